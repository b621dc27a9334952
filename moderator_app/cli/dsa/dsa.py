"""``export sor``, ``report transparency``, ``statement`` and ``outbox``: what the DSA asks the platform
to publish or send. The acting person is the global ``--reviewer``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from moderator_app.cli import output
from moderator_app.domain.dsa.model import ExportReport, StatementInfo
from moderator_app.domain.errors import InvalidInput
from moderator_app.services.workstation import Workstation

Handler = Callable[[Workstation, argparse.Namespace], int]


def day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def since_arg(text: str) -> date | str:
    return "last" if text.strip().lower() == "last" else day(text)


def dumps(value: Any) -> str:
    """JSON of a DTO (as ``output.dumps``), with dates (periods, export days) as ISO text."""
    return json.dumps(output.to_jsonable(value), ensure_ascii=False, indent=2, default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def emit(text: str) -> None:
    sys.stdout.write(text + "\n")


def add_commands(sub: Any) -> dict[str, Handler]:
    e = sub.add_parser("export", help="export statements of reasons for the DSA Transparency Database")
    es = e.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    sor = es.add_parser("sor", help="statements of reasons as the Transparency Database API v1 takes them")
    sor.add_argument(
        "--out", type=Path, required=True, help="file to write (JSON Lines, one bulk request a line)"
    )
    sor.add_argument(
        "--since",
        type=since_arg,
        help="only statements decided on or after DATE (YYYY-MM-DD); 'last': only those no earlier export carried",
    )
    sor.add_argument("--json", action="store_true", help="print the export report as JSON")

    r = sub.add_parser("report", help="reports: the DSA transparency report")
    rs = r.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    t = rs.add_parser("transparency", help="Art 15/24 figures for a period (whole UTC days, both included)")
    t.add_argument("--from", dest="period_from", type=day, required=True)
    t.add_argument("--to", dest="period_to", type=day, required=True)
    fmt = t.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")

    st = sub.add_parser(
        "statement", help="show the statement of reasons of a decision (by puid or --decision)"
    )
    st.add_argument("puid", nargs="?")
    st.add_argument("--decision", type=int)
    st.add_argument("--json", action="store_true")

    o = sub.add_parser("outbox", help="messages owed to notifiers, traders and complainants")
    os_ = o.add_subparsers(dest="outbox_kind", metavar="KIND", required=True)
    ol = os_.add_parser("list", help="list the messages")
    ol.add_argument("--new", action="store_true", help="only messages not yet exported")
    ol.add_argument("--json", action="store_true")
    oe = os_.add_parser("export", help="write the messages as JSON Lines for the mail system")
    oe.add_argument("--out", type=Path, required=True)
    oe.add_argument("--all", action="store_true", help="also messages exported before")
    return {"export": cmd_export, "report": cmd_report, "statement": cmd_statement, "outbox": cmd_outbox}


def export_text(r: ExportReport) -> str:
    lines = [f"wrote {r.written} statements in {r.batches} batches to {r.file} (export {r.export_id})"]
    if r.failed:
        lines.append(f"{len(r.failed)} statements failed the checks and were left out:")
    return "\n".join(lines)


def cmd_export(ws: Workstation, a: argparse.Namespace) -> int:
    only_new = a.since == "last"
    since = None if only_new else a.since
    report = ws.dsa.exports.export(a.out, a.reviewer, since=since, only_new=only_new)
    for puid, problem in report.failed:
        sys.stderr.write(f"{puid}: {problem}\n")
    emit(dumps(report) if a.json else export_text(report))
    return 1 if report.failed else 0


def cmd_report(ws: Workstation, a: argparse.Namespace) -> int:
    report = ws.dsa.transparency.report(a.period_from, a.period_to)
    if a.json:
        emit(dumps(report))
    elif a.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["section", "figure", "value"])
        w.writerows(["" if v is None else v for v in row] for row in report.rows())
        sys.stdout.write(buf.getvalue())
    else:
        section = None
        for sec, name, value in report.rows():
            if sec != section:
                emit(sec)
                section = sec
            emit(f"  {name}: {'-' if value is None else value}")
    return 0


def statement_text(s: StatementInfo) -> str:
    head = f"statement {s.puid}" + ("  (WITHDRAWN: its decision was undone)" if s.withdrawn else "")
    lines = [head] + [f"  {k}: {v}" for k, v in sorted(s.payload.items())]
    lines.append(f"  redress: {s.redress}")
    lines.append(f"  exported: {'in export ' + str(s.first_export_id) if s.first_export_id else 'not yet'}")
    return "\n".join(lines)


def cmd_statement(ws: Workstation, a: argparse.Namespace) -> int:
    if a.decision is not None:
        found = ws.dsa.statements.of_decision(a.decision)
        if found is None:
            emit(
                "null"
                if a.json
                else f"decision {a.decision} has no statement of reasons (it restricts nothing)"
            )
            return 0
    elif a.puid:
        found = ws.dsa.statements.find(a.puid)
    else:
        raise InvalidInput("give a statement's puid or --decision ID")
    emit(dumps(found) if a.json else statement_text(found))
    return 0


def cmd_outbox(ws: Workstation, a: argparse.Namespace) -> int:
    if a.outbox_kind == "export":
        n = ws.dsa.outbox.export(a.out, a.reviewer, only_new=not a.all)
        emit(f"wrote {n} messages to {a.out}")
        return 0
    msgs = ws.dsa.outbox.messages(only_new=a.new, limit=None, viewer=a.reviewer)
    if a.json:
        emit(dumps(msgs))
    else:
        for m in msgs:
            sent = "exported" if m.exported_at else "new"
            emit(
                f"{m.id:>6} {m.created_at:%Y-%m-%d %H:%M} {m.kind.value:<16} {sent:<8} to {m.recipient_kind}: {m.subject}"
            )
        if not msgs:
            emit("The outbox is empty.")
    return 0
