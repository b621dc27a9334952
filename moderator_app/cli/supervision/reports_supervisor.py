"""``report supervisor --from --to [--json | --pdf OUT.pdf]``: the dashboard's figures for a period.

The ``report`` group belongs to the DSA commands (``report transparency``); this module adds the
``supervisor`` kind to it and hands every other kind back to the DSA handler.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from moderator_app.cli.dsa import dsa
from moderator_app.cli.dsa.dsa import Handler, day
from moderator_app.cli.output import dumps
from moderator_app.domain.supervision.dashboard import DashboardFigures, duration_text, percent
from moderator_app.services.workstation import Workstation


def add_commands(sub: Any) -> dict[str, Handler]:
    report = sub.choices["report"]
    kinds = next(x for x in report._actions if isinstance(x, argparse._SubParsersAction))
    p = kinds.add_parser(
        "supervisor", help="the supervisor dashboard's figures for a period (whole UTC days)"
    )
    p.add_argument("--from", dest="period_from", type=day, required=True)
    p.add_argument("--to", dest="period_to", type=day, required=True)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the report as a PDF file")
    return {"report": cmd_report}


def cmd_report(ws: Workstation, a: argparse.Namespace) -> int:
    if a.report_kind != "supervisor":
        return dsa.cmd_report(ws, a)
    start = datetime.combine(a.period_from, time(0), tzinfo=UTC)
    end = datetime.combine(a.period_to, time(0), tzinfo=UTC) + timedelta(days=1)
    figures = ws.dashboard.figures(a.reviewer, start, end)
    if a.pdf is not None:
        from moderator_app.ui.supervision.supervisor_pdf import write_pdf

        pages = write_pdf(figures, a.pdf, database=ws.description)
        sys.stderr.write(f"wrote {a.pdf} ({pages} pages)\n")
    elif a.json:
        sys.stdout.write(dumps(figures) + "\n")
    else:
        sys.stdout.write(report_text(figures) + "\n")
    return 0


def report_text(f: DashboardFigures) -> str:
    lines = [
        f"Supervisor report {f.start:%Y-%m-%d} to {(f.end - timedelta(seconds=1)):%Y-%m-%d} (UTC)",
        f"decisions: {f.decisions}; median time from flag to decision: {duration_text(f.median_flag_to_decision)}",
        f"backlog now: {f.open_items} open items, {f.past_sla} past their target",
    ]
    for b in f.backlog:
        lines.append(
            f"  {b.queue:<16} {b.open_items:>7} open  {b.claimed:>4} claimed  oldest {duration_text(b.age(f.now))}"
            f"  target {duration_text(b.sla)}  past target {b.past_sla}"
        )
    peak = f.peak_hour
    if peak is not None and peak.decisions:
        lines.append(f"busiest hour: {peak.hour:%Y-%m-%d %H:00} UTC with {peak.decisions} decisions")
    lines.append("decisions by action: " + ", ".join(f"{k} {v}" for k, v in f.by_action().items()))
    lines.append("decisions by category: " + ", ".join(f"{k} {v}" for k, v in f.by_category().items()))
    q = f.quality
    lines.append(
        f"second reviews: {q.sampled} drawn, {q.pending} waiting, {q.overall.reviewed} reviewed, "
        f"agreement {percent(q.overall.agreement)}"
    )
    for name, r in q.by_moderator.items():
        lines.append(f"  {name:<16} {r.reviewed:>4} reviewed  agreement {percent(r.agreement)}")
    lines.append(
        f"appeals decided: {f.appeals_decided}, reversed {f.appeals_reversed} ({percent(f.appeal_reversal_rate)})"
    )
    for m in q.models:
        lines.append(
            f"  model {m.model}: flagged {m.flagged}, confirmed {m.confirmed}, overturned {m.overturned}"
        )
    return "\n".join(lines)
