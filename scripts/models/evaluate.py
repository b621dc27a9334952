"""Evaluate the models and text rules on the project's small labelled set; write the figures to docs/models.md.

    .venv/bin/python scripts/models/evaluate.py            # runs with the app's own venv (no torch)
    .venv/bin/python scripts/models/evaluate.py --no-write # print only

The set (scripts/models/eval, made by make_eval_set.py) is small and says what it can: real photos under free
licences (none of a watched product type: none could be had offline), text cards and stickers with the
text the rules look for, and listing texts. Categories with no labelled example get "n/a", not a number.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from moderator_app.domain.predictions.model import ModelKind, RiskCategory  # noqa: E402
from moderator_app.domain.predictions.text_rules import RuleKind, RuleSet, TextLocation, TextSource  # noqa: E402
from moderator_app.inference.images import prepare  # noqa: E402
from moderator_app.services.predictions.predictions_engines import EngineLoader  # noqa: E402

EVAL = ROOT / "scripts" / "models" / "eval"
DOC = ROOT / "docs" / "models.md"
START, END = "<!-- evaluation:start -->", "<!-- evaluation:end -->"


def pr(tp: int, fp: int, fn: int) -> tuple[str, str]:
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "n/a"
    recall = f"{tp / (tp + fn):.2f}" if tp + fn else "n/a"
    return precision, recall


def kinds_table(rows: list[tuple[set[str], set[str]]]) -> list[str]:
    lines = ["| rule kind | labelled | found | precision | recall |", "|---|---|---|---|---|"]
    for kind in RuleKind:
        k = kind.value
        tp = sum(1 for want, got in rows if k in want and k in got)
        fp = sum(1 for want, got in rows if k not in want and k in got)
        fn = sum(1 for want, got in rows if k in want and k not in got)
        p, r = pr(tp, fp, fn)
        lines.append(f"| {k.replace('_', ' ')} | {tp + fn} | {tp + fp} | {p} | {r} |")
    clean = [got for want, got in rows if not want]
    lines.append(
        f"| (texts with nothing to find) | {len(clean)} | {sum(1 for g in clean if g)} with a finding | | |"
    )
    return lines


def evaluate() -> str:
    engines = EngineLoader().get()
    if engines.problems:
        sys.exit("evaluate: " + "; ".join(engines.problems))
    labels = json.loads((EVAL / "labels.json").read_text(encoding="utf-8"))
    models, ocr, rules = engines.models, engines.ocr, engines.rules
    confusion: Counter[tuple[str, str]] = Counter()
    adult_scores: list[tuple[float, str]] = []
    image_rows: list[tuple[set[str], set[str]]] = []
    misses: list[str] = []
    ocr_ms: list[float] = []
    for item in labels["images"]:
        img = prepare((EVAL / item["file"]).read_bytes(), models.input_specs, ocr=True)
        (res,) = models.classify([img])
        assert res.product is not None and res.adult is not None
        shown = res.product.shown()
        got = shown[0].category.value if shown else RiskCategory.OTHER.value
        if item["category"]:
            confusion[(item["category"], got)] += 1
            if got != item["category"]:
                misses.append(f"{item['file']} ({item['shows']}): {res.product.appears_to_show()}")
        adult_scores.append((res.adult.score, item["file"]))
        t0 = time.perf_counter()
        lines = ocr.read(img.ocr, img.ocr_scale) if img.ocr is not None else ()
        ocr_ms.append((time.perf_counter() - t0) * 1000)
        found = {f.kind.value for f in rules.find_in_ocr(lines, 0)}
        want = set(item["rule_kinds"])
        image_rows.append((want, found))
        if want != found:
            read = " / ".join(line.text for line in lines)
            misses.append(
                f"{item['file']}: expected {sorted(want) or 'nothing'}, found {sorted(found) or 'nothing'} (OCR read: {read!r})"
            )
    text_rows = _texts(rules, misses)

    out = [
        START,
        "",
        f"Figures from `scripts/models/evaluate.py` on {len(labels['images'])} images and {len(text_rows)} listing texts.",
    ]
    out += ["", "### Product-type model (photos with a labelled category)", ""]
    out += ["| category | labelled | predicted | precision | recall |", "|---|---|---|---|---|"]
    for cat in RiskCategory:
        c = cat.value
        tp = confusion[(c, c)]
        fp = sum(v for (want, got), v in confusion.items() if got == c and want != c)
        fn = sum(v for (want, got), v in confusion.items() if want == c and got != c)
        p, r = pr(tp, fp, fn)
        out.append(f"| {c.replace('_', ' ')} | {tp + fn} | {tp + fp} | {p} | {r} |")
    out += ["", "### Adult-content model", ""]
    adult_spec = models.spec(ModelKind.ADULT_CONTENT)
    blur = adult_spec.threshold("blur", 0.4) if adult_spec else 0.4
    blurred = [(s, f) for s, f in adult_scores if s >= blur]
    top = max(adult_scores)
    out.append(
        f"All {len(adult_scores)} images are safe for work: {len(blurred)} would be blurred "
        f"(false alarms at the blur threshold {blur}); the highest score is "
        f"{top[0]:.3f} ({top[1]}). The set has no adult image, so the recall of this model is not "
        "measured here (see the limits above)."
    )
    out += ["", "### Text rules on the text read from images (OCR, then the rules)", ""]
    out += kinds_table(image_rows)
    out += ["", "### Text rules on listing titles and descriptions", ""]
    out += kinds_table(text_rows)
    ocr_ms.sort()
    out += ["", f"OCR took {ocr_ms[len(ocr_ms) // 2]:.0f} ms an image (median) on this machine.", ""]
    if misses:
        out += ["Every miss and false alarm, as it came out:", ""]
        out += [f"- {m}" for m in misses]
        out.append("")
    out.append(END)
    return "\n".join(out)


def _texts(rules: RuleSet, misses: list[str]) -> list[tuple[set[str], set[str]]]:
    rows = []
    for line in (EVAL / "texts.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        findings = rules.find(entry["text"], TextLocation(TextSource.TITLE))
        found = {f.kind.value for f in findings}
        want = set(entry["rule_kinds"])
        rows.append((want, found))
        if want != found:
            matched = ", ".join(f"{f.kind.value}: {f.matched_text!r}" for f in findings)
            misses.append(
                f"text {entry['text']!r}: expected {sorted(want) or 'nothing'}, found {matched or 'nothing'}"
            )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    text = evaluate()
    print(text)
    if not args.no_write:
        doc = DOC.read_text(encoding="utf-8")
        if START not in doc or END not in doc:
            sys.exit(f"evaluate: {DOC} has no {START} ... {END} markers")
        before, rest = doc.split(START, 1)
        after = rest.split(END, 1)[1]
        DOC.write_text(before + text + after, encoding="utf-8")
        print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
