"""``moderator-app score`` and ``moderator-app predict``: the image models and text rules on the command line.

- ``score [--queue Q] [--limit N]`` scores pending review items with a progress line; it is resumable
  and Ctrl-C safe (the chunk in hand is rolled back, the rest is kept, nothing is scored twice).
- ``predict IMAGE... [--json]`` runs every model on image files, for investigators and scripts; an
  unreadable file gets one line on stderr and the others are still predicted.

A model that is missing or altered is named once on stderr; the commands work with what is left.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from moderator_app.cli import output
from moderator_app.domain.predictions.model import FilePrediction, ScoreProgress, ScoreReport
from moderator_app.services.workstation import Workstation

Handler = Callable[[Workstation, argparse.Namespace], int]


def add_commands(sub: Any) -> dict[str, Handler]:
    s = sub.add_parser(
        "score",
        help="score pending review items with the image models, OCR and text rules (resumable, Ctrl-C safe)",
    )
    s.add_argument("--queue", help="only this queue (default: all queues, in queue order)")
    s.add_argument("--limit", type=_positive, help="at most this many review items")
    s.add_argument("--no-ocr", action="store_true", help="skip text recognition (about 1 s an image)")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.add_argument("--quiet", action="store_true", help="no progress display")

    p = sub.add_parser("predict", help="run the image models and text rules on image files")
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument("--no-ocr", action="store_true", help="skip text recognition")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    return {"score": cmd_score, "predict": cmd_predict}


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


class ScoreProgressLine(output.ProgressLine):
    def __call__(self, p: ScoreProgress) -> None:
        if not self.due(final=p.listings_done >= p.listings_total):
            return
        rate = p.images_scored / self.elapsed
        pct = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
        bar = ""
        if p.fraction is not None and self.live:
            filled = round(p.fraction * 20)
            bar = "[" + "#" * filled + "." * (20 - filled) + "] "
        self.show(
            f"scoring: {bar}{pct}{p.listings_done:,}/{p.listings_total:,} listings, "
            f"{p.images_scored:,} images ({rate:.1f}/s)"
        )


def score_summary(report: ScoreReport, seconds: float) -> str:
    runs = ", ".join(f"{k} {v:,}" for k, v in sorted(report.model_runs.items())) or "none"
    head = "scoring interrupted; kept so far: " if report.interrupted else "scoring done: "
    return head + (
        f"{report.listings_scanned:,} listings scanned, {report.images_scored:,} images scored "
        f"({report.images_cached:,} already cached, {report.images_failed:,} unreadable), "
        f"{report.items_reprioritised:,} review items reprioritised; model runs: {runs} ({seconds:.1f} s)"
    )


def _warn(lines: Any) -> None:
    for line in lines:
        sys.stderr.write(f"moderator-app: {line}\n")


def cmd_score(ws: Workstation, a: argparse.Namespace) -> int:
    _warn(ws.predictions.problems())
    progress = None if a.quiet else ScoreProgressLine(sys.stderr)
    started = time.monotonic()
    try:
        report = ws.predictions.score_pending(a.queue, a.limit, progress, ocr=not a.no_ocr)
    finally:
        if progress is not None:
            progress.close()
    if a.json:
        sys.stdout.write(output.dumps(report) + "\n")
    else:
        sys.stdout.write(score_summary(report, time.monotonic() - started) + "\n")
        if report.interrupted:
            sys.stdout.write("run the same command again to finish: nothing is scored twice\n")
    return report.exit_status


def _box_text(box: Any) -> str:
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    return f"({min(xs):.0f},{min(ys):.0f})-({max(xs):.0f},{max(ys):.0f})"


def prediction_text(fp: FilePrediction) -> str:
    lines = [f"{fp.path} ({fp.width}x{fp.height}):"]
    if fp.product is not None:
        lines.append(f"  {fp.product.appears_to_show()}")
        bars = ", ".join(
            f"{c.phrase} {c.score:.0%}" for c in sorted(fp.product.categories, key=lambda c: -c.score)
        )
        lines.append(f"  categories: {bars}")
        lines.append("  top labels: " + ", ".join(f"{t.label} {t.score:.0%}" for t in fp.product.top_labels))
    if fp.adult is not None:
        lines.append(
            f"  adult content: {fp.adult.score:.0%}" + (" (would be blurred)" if fp.adult.blur else "")
        )
    if fp.ocr is not None:
        text = " | ".join(line.text for line in fp.ocr)
        lines.append(f"  text in the image: {text or '(none found)'}")
    lines += [f"  finding: {f.summary} at {_box_text(f.location.box)}" for f in fp.findings if f.location.box]
    lines.append("  models: " + ", ".join(m.label for m in fp.models))
    return "\n".join(lines)


def cmd_predict(ws: Workstation, a: argparse.Namespace) -> int:
    _warn(ws.predictions.problems())
    results = ws.predictions.predict_files(a.images, ocr=not a.no_ocr)
    for fp in results:
        if not fp.ok:
            sys.stderr.write(f"moderator-app: {fp.path}: cannot read the image: {fp.problem}\n")
    if a.json:
        data = []
        for fp in results:
            entry = output.to_jsonable(fp)
            entry["sentence"] = fp.sentence
            entry["blur"] = fp.adult.blur if fp.adult else None
            data.append(entry)
        sys.stdout.write(output.dumps(data) + "\n")
    else:
        texts = [prediction_text(fp) for fp in results if fp.ok]
        if texts:
            sys.stdout.write("\n\n".join(texts) + "\n")
    return 1 if any(not fp.ok for fp in results) else 0
