"""What one decision costs, in the code and in the database: the modules of our package it runs
through, the SQL statements it sends, and the time of claim + decide (SQLite file).

    .venv/bin/python benchmarks/bench_decide_path.py [--decisions 200] [--write]

Run it on two checkouts to compare (the closing note of the unit-of-work change does).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import generate_jsonl, machine_description, percentiles, write_section
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.services.workstation import open_workstation


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decisions", type=int, default=200)
    ap.add_argument("--write", action="store_true", help="write the figures to docs/performance.md")
    args = ap.parse_args()
    from sqlalchemy import event

    with tempfile.TemporaryDirectory() as tmp:
        feed = generate_jsonl(Path(tmp) / "feed.jsonl", args.decisions + 20)
        ws = open_workstation(f"sqlite:///{tmp}/bench.db")
        ws.importer.import_file(feed)
        statements: list[str] = []
        event.listen(ws.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        queues = [q.queue for q in ws.review.queue_counts()]
        times, per_decision, modules = [], [], set()
        done = 0
        for queue in queues:
            while done < args.decisions:
                statements.clear()
                t0 = time.perf_counter()
                case = ws.review.claim_next(queue, "bench")
                if case is None:
                    break
                claim_sql = len(statements)
                statements.clear()
                tracing = done == 0
                if tracing:
                    sys.setprofile(_tracer(modules))
                ws.review.decide(
                    case.item.id,
                    "bench",
                    Action.REMOVE,
                    PolicyCategory.COUNTERFEIT,
                    Ground.ILLEGAL_CONTENT,
                    "Counterfeit logo.",
                )
                if tracing:
                    sys.setprofile(None)
                times.append((time.perf_counter() - t0) * 1000)
                per_decision.append((claim_sql, len(statements)))
                done += 1
        ws.close()
    ours = sorted(m for m in modules if m.startswith("moderator_app."))
    p = percentiles(times)
    claim_sql = statistics.median(c for c, _ in per_decision)
    decide_sql = statistics.median(d for _, d in per_decision)
    heading = "## Decision path (claim + decide)"
    text = heading + "\n\n" + (
        f"One decision (claim next + decide REMOVE, SQLite file, {done} decisions, {machine_description()}):\n\n"
        f"- claim + decide: p50 {p['p50']:.1f} ms, p95 {p['p95']:.1f} ms\n"
        f"- SQL statements: claim {claim_sql:.0f}, decide {decide_sql:.0f} (median)\n"
        f"- modules of moderator_app that decide runs through: {len(ours)}\n\n"
        + "\n".join(f"  - {m}" for m in ours)
        + "\n"
    )
    print(text)
    if args.write:
        write_section(heading, text)


def _tracer(modules: set[str]):  # type: ignore[no-untyped-def]
    def trace(frame, event, _arg):  # type: ignore[no-untyped-def]
        if event == "call":
            modules.add(frame.f_globals.get("__name__", "?"))

    return trace


if __name__ == "__main__":
    main()
