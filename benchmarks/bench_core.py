"""Core benchmark at the service layer, on SQLite.

    python benchmarks/bench_core.py [--listings 1000000] [--decisions 2000] [--rebuild]

1. builds (once, cached in benchmarks/out/) a database of N flagged listings through the real importer
   and reports the import rate;
2. in a fresh process holding that database open: claim-next + decide latency (p50/p95/p99) with all
   N items pending, queue-count latency, and the peak memory of the process;
and writes the figures into the "Core" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import big_database, machine_description, peak_rss_mb, percentiles, write_section

SECTION = "## Core (service layer, SQLite)"


def measure(db: Path, decisions: int) -> dict[str, object]:
    """Runs in its own process: the figures (memory above all) are those of a workstation process."""
    import shutil
    import tempfile

    from moderator_app.domain.enums import Action, Ground, PolicyCategory
    from moderator_app.services.workstation import open_workstation

    # Work on a copy so the cached database stays with every item pending.
    work = Path(tempfile.mkdtemp()) / db.name
    shutil.copyfile(db, work)
    ws = open_workstation(str(work))
    rss_open = peak_rss_mb()
    try:
        counts_ms = []
        for _ in range(20):
            t = time.perf_counter()
            counts = ws.review.queue_counts()
            counts_ms.append((time.perf_counter() - t) * 1000)
        pending = sum(c.pending for c in counts)
        queues = [c.queue for c in counts]
        actions = [
            (Action.REMOVE, PolicyCategory.COUNTERFEIT, Ground.ILLEGAL_CONTENT, "Counterfeit logo."),
            (Action.NO_VIOLATION, None, None, ""),
            (Action.RESTRICT, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "No CE mark."),
            (Action.WARN, PolicyCategory.HIDDEN_LINK, Ground.TERMS_OF_SERVICE, "Phone number in photo."),
        ]
        claim_ms, decide_ms, total_ms = [], [], []
        for i in range(decisions):
            queue = queues[i % len(queues)]
            t0 = time.perf_counter()
            case = ws.review.claim_next(queue, "bench")
            t1 = time.perf_counter()
            assert case is not None
            ws.review.decide(case.item.id, "bench", *actions[i % len(actions)])
            t2 = time.perf_counter()
            claim_ms.append((t1 - t0) * 1000)
            decide_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
        return {
            "pending_at_start": pending,
            "queues": len(queues),
            "queue_counts_ms": percentiles(counts_ms),
            "claim_next_ms": percentiles(claim_ms),
            "decide_ms": percentiles(decide_ms),
            "claim_and_decide_ms": percentiles(total_ms),
            "rss_after_open_mb": round(rss_open, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
    finally:
        ws.close()
        shutil.rmtree(work.parent, ignore_errors=True)


def fmt(p: dict[str, float]) -> str:
    return f"p50 {p['p50']:.2f} ms, p95 {p['p95']:.2f} ms, p99 {p['p99']:.2f} ms (max {p['max']:.1f} ms, n={p['n']:.0f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--listings", type=int, default=1_000_000)
    ap.add_argument("--decisions", type=int, default=2000)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--measure-only", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure_only:
        print(json.dumps(measure(a.measure_only, a.decisions)))
        return
    db = big_database(a.listings, rebuild=a.rebuild)
    imp = json.loads(db.with_suffix(".import.json").read_text())
    out = subprocess.run(
        [sys.executable, __file__, "--measure-only", str(db), "--decisions", str(a.decisions)],
        check=True,
        capture_output=True,
        text=True,
    )
    m = json.loads(out.stdout.strip().splitlines()[-1])
    ok = lambda cond: "met" if cond else "NOT met"  # noqa: E731
    text = f"""{SECTION}

Measured by `python benchmarks/bench_core.py --listings {a.listings}` on {time.strftime("%Y-%m-%d")}.
Machine: {machine_description()}.

| what | measured | target | |
|---|---|---|---|
| import rate ({imp["listings"]:,} listings, {imp["flags"]:,} flags, {imp["traders"]:,} traders, {imp["file_mb"]} MB JSONL, no images) | {imp["listings_per_second"]:,} listings/s ({imp["seconds"]} s) | >= 20,000/s | {ok(imp["listings_per_second"] >= 20000)} |
| peak memory of the import process | {imp["peak_rss_mb"]} MB | | |
| claim-next + decide, {m["pending_at_start"]:,} pending in {m["queues"]} queues, {a.decisions} decisions | {fmt(m["claim_and_decide_ms"])} | p95 <= 10 ms | {ok(m["claim_and_decide_ms"]["p95"] <= 10)} |
| of which claim-next (loads the whole review case) | {fmt(m["claim_next_ms"])} | | |
| of which decide (one transaction: decision, listing, item, strike, counters) | {fmt(m["decide_ms"])} | | |
| queue counts (all queues) | {fmt(m["queue_counts_ms"])} | <= 100 ms | {ok(m["queue_counts_ms"]["p95"] <= 100)} |
| memory of a process holding the database open (peak RSS, after the decisions) | {m["peak_rss_mb"]} MB (after opening: {m["rss_after_open_mb"]} MB) | <= 300 MB | {ok(m["peak_rss_mb"] <= 300)} |

Database file: {imp["db_mb"]} MB for {imp["listings"]:,} listings.
"""
    write_section(SECTION, text)
    print(text)


if __name__ == "__main__":
    main()
