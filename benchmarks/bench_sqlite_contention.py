"""SQLite under contention (issue 10): eight workstations deciding and one import on one SQLite file.

    [BENCH_SEEDED=6000] python benchmarks/bench_sqlite_contention.py [--workstations 8] [--listings 6000]
        [--pace 0 --pace 1] [--label "after"] [--write]

(BENCH_SEEDED: items in the workstations' own queue.)

For each pace (seconds a reviewer looks at an item before deciding; 0 = flat out, the worst case):
eight workstation processes claim and decide on one SQLite file while this process imports a file of
flagged listings and then runs the notice sync, as ``moderator-app import`` does. Measured: how long a
decision (``decide``, one write transaction) and a claim take while the import runs (p50/p95/max), and
the import's rate alone (same file, no workstations) against its rate under contention. With
``--write`` the figures go into the "SQLite under contention" section of docs/performance.md (the
section keeps one table per ``--label``, so a run before a change and one after stand side by side).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import OUT, PERFORMANCE_DOC, machine_description, percentiles, write_section

SECTION = "## SQLite under contention"
SEEDED = int(
    os.environ.get("BENCH_SEEDED", "6000")
)  # items the workstations work on (a queue of their own, so the import's rate is its own)


def lines(n: int, prefix: str, queue: str) -> list[str]:
    received = datetime(2026, 11, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        out.append(
            json.dumps(
                {
                    "id": f"{prefix}-{i:07d}",
                    "trader": {"id": f"{prefix}-T{i % 97}", "name": f"Shop {i % 97}", "kind": "business"},
                    "title": f"Magnetic set {i}",
                    "price": "9.90",
                    "currency": "EUR",
                    "category": "Toys & Games",
                    "url": f"https://marketplace.example/item/{prefix}-{i:07d}",
                    "created_at": (received - timedelta(days=1)).isoformat(),
                    "flags": [
                        {
                            "source": "user_notice",
                            "notifier": f"Notifier {i % 31}",
                            "notifier_email": f"n{i % 31}@example.org",
                            "category": "unsafe_toy",
                            "explanation": "Small magnets come loose.",
                            "received_at": received.isoformat(),
                        }
                    ],
                    "queue": queue,
                }
            )
        )
    return out


def workstation(
    url: str, reviewer: str, pace: float, start: object, stop: object, out: object, ready: object
) -> None:
    """A workstation process: claim, look for ``pace`` seconds, decide; (start time, claim s, decide s)."""
    from moderator_app.domain.enums import Action, Ground, PolicyCategory
    from moderator_app.domain.errors import DatabaseUnavailable
    from moderator_app.services.workstation import open_workstation

    ws = open_workstation(url)
    samples: list[tuple[float, float, float]] = []
    failures = 0
    ready.put(reviewer)  # type: ignore[attr-defined]
    start.wait()  # type: ignore[attr-defined]
    remove = (Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Loose magnets.")
    while not stop.is_set():  # type: ignore[attr-defined]
        t0 = time.time()
        try:
            case = ws.review.claim_next("bench-review", reviewer)
            t1 = time.time()
            if case is None:
                break
            if pace:
                time.sleep(pace)
            t2 = time.time()
            ws.review.decide(case.item.id, reviewer, *remove)
            samples.append((t2, t1 - t0, time.time() - t2))
        except DatabaseUnavailable:  # the busy timeout ran out: a refused decision
            failures += 1
    ws.close()
    out.put((samples, failures))  # type: ignore[attr-defined]


def run(workdir: Path, listings: int, workstations: int, pace: float | None) -> dict[str, object]:
    """One import (with the notice sync) on a fresh copy of the seeded database, with ``workstations``
    deciding at ``pace`` (None: no workstations)."""
    from moderator_app.services.workstation import open_workstation

    db = workdir / f"run-{time.monotonic_ns()}.db"
    _copy(workdir / "seeded.db", db)
    url = f"sqlite:///{db}"
    ctx = multiprocessing.get_context("spawn")
    start, stop, out, ready = ctx.Event(), ctx.Event(), ctx.Queue(), ctx.Queue()
    procs = []
    if pace is not None:
        procs = [
            ctx.Process(target=workstation, args=(url, f"ws-{n}", pace, start, stop, out, ready))
            for n in range(workstations)
        ]
        for p in procs:
            p.start()
        for _ in procs:  # every workstation has opened the database before the clock starts
            ready.get(timeout=600)
    ws = open_workstation(url)
    start.set()
    time.sleep(2 if pace is not None else 0)  # they are at work when the import starts
    t0 = time.time()
    report = ws.importer.import_lines(lines(listings, "IMP", "bench-import"), workdir)
    t1 = time.time()
    ws.dsa.notices.sync()
    t2 = time.time()
    stop.set()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    ws.close()
    assert report.listings_added == listings, report.rejection_messages()[:3]
    samples = [s for r, _ in results for s in r if t0 <= s[0] <= t2]
    result: dict[str, object] = {
        "import_s": round(t1 - t0, 2),
        "sync_s": round(t2 - t1, 2),
        "listings_per_s": round(listings / (t1 - t0)),
        "refused": sum(f for _, f in results),
        "decisions": len(samples),
    }
    if samples:
        result["decide_ms"] = percentiles([s[2] * 1000 for s in samples])
        result["claim_ms"] = percentiles([s[1] * 1000 for s in samples])
    return result


def _copy(src: Path, dst: Path) -> None:
    """A copy that includes what is still in the source's WAL file (a plain file copy would not)."""
    import sqlite3

    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


def seed(workdir: Path) -> None:
    from moderator_app.services.workstation import open_workstation

    ws = open_workstation(str(workdir / "seeded.db"))
    report = ws.importer.import_lines(lines(SEEDED, "SEED", "bench-review"), workdir)
    ws.dsa.notices.sync()
    ws.close()
    assert report.listings_added == SEEDED


def table(label: str, alone: dict[str, object], runs: dict[float, dict[str, object]], n: int) -> str:
    rows = [
        f"**{label}**",
        "",
        f"| {n} workstations | decide p50 / p95 / max (ms) | claim p50 / p95 / max (ms) | decisions | "
        "refused (busy timeout) | import (listings/s) | import slower by | notice sync (s) |",
        "|---|---|---|---|---|---|---|---|",
        f"| none (import alone) | | | | | {alone['listings_per_s']:,} | 1x | {alone['sync_s']} |",
    ]
    for pace, r in runs.items():
        d, c = r.get("decide_ms", {}), r.get("claim_ms", {})

        def fmt(p: dict) -> str:  # type: ignore[type-arg]
            return f"{p['p50']:.0f} / {p['p95']:.0f} / {p['max']:.0f}" if p else "-"

        what = "flat out" if pace == 0 else f"one decision every {pace:g} s each"
        slower = float(alone["listings_per_s"]) / max(1.0, float(r["listings_per_s"]))  # type: ignore[arg-type]
        rows.append(
            f"| {what} | {fmt(d)} | {fmt(c)} | {r['decisions']} | {r['refused']} | "
            f"{r['listings_per_s']:,} | {slower:.1f}x | {r['sync_s']} |"
        )
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workstations", type=int, default=8)
    ap.add_argument("--listings", type=int, default=6000)
    ap.add_argument("--pace", type=float, action="append")
    ap.add_argument("--label", default="current code")
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    paces = a.pace or [0.0, 1.0]
    workdir = Path(tempfile.mkdtemp(dir=OUT if OUT.exists() else None))
    load_before = os.getloadavg()
    try:
        seed(workdir)
        alone = run(workdir, a.listings, a.workstations, None)
        print("alone", alone, flush=True)
        runs = {}
        for pace in paces:
            runs[pace] = run(workdir, a.listings, a.workstations, pace)
            print(pace, runs[pace], flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()
    text = table(a.label, alone, runs, a.workstations)
    text += (
        f"\n\nImport of {a.listings:,} flagged listings (each with an Art 16 notice) plus the notice sync; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min; the machine is shared).\n"
    )
    print(text)
    if a.write:
        _write(a.label, text)


def _write(label: str, text: str) -> None:
    """Replace this label's part of the section, keep the other labels' parts."""
    doc = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else ""
    start = doc.find(SECTION)
    body = ""
    if start >= 0:
        nxt = doc.find("\n## ", start + len(SECTION))
        body = doc[start + len(SECTION) : nxt if nxt >= 0 else len(doc)]
    parts = [p for p in body.split("\n**") if p.strip() and not p.startswith("*") and "|" in p]
    kept = ["**" + p.strip() for p in parts if not p.startswith(label + "**")]
    intro = (
        f"{SECTION}\n\nMeasured by `benchmarks/bench_sqlite_contention.py`: eight workstation processes "
        f"claim and decide on one SQLite file while one import runs. Machine: {machine_description()}.\n"
    )
    write_section(SECTION, intro + "\n" + "\n\n".join([*kept, text.strip()]) + "\n")


if __name__ == "__main__":
    main()
