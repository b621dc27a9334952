"""``audit verify | export --csv | list``: the tamper-evident audit log (supervisors, investigators,
administrators). ``verify`` exits 1 and names the first broken link when the chain does not hold."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from moderator_app.cli.dsa.dsa import Handler, day
from moderator_app.cli.output import dumps
from moderator_app.domain.supervision.audit import AuditEvent
from moderator_app.services.supervision.audit import AuditFilter
from moderator_app.services.workstation import Workstation


def add_commands(sub: Any) -> dict[str, Handler]:
    a = sub.add_parser("audit", help="the audit log: verify its hash chain, list or export events")
    as_ = a.add_subparsers(dest="audit_kind", metavar="KIND", required=True)
    v = as_.add_parser(
        "verify",
        help="check every event and link (names the first broken one), then cross-check the tables "
        "against the log (names every row without its event and every event without its row)",
    )
    v.add_argument("--chain-only", action="store_true", help="skip the cross-check of the tables")
    for name, text in (
        ("list", "list events, newest first"),
        ("export", "write events as CSV, oldest first"),
    ):
        p = as_.add_parser(name, help=text)
        p.add_argument("--actor", help="only this person")
        p.add_argument("--action", help="only this action (decide, undo, claim, login_refused ...)")
        p.add_argument("--queue")
        p.add_argument("--category")
        p.add_argument("--listing", type=int, help="internal listing number")
        p.add_argument("--from", dest="period_from", type=day, help="from this UTC day")
        p.add_argument("--to", dest="period_to", type=day, help="to this UTC day, included")
        if name == "list":
            p.add_argument("--limit", type=int, default=50)
            p.add_argument("--json", action="store_true")
        else:
            p.add_argument("--csv", action="store_true", required=True, help="CSV (the one format)")
            p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    return {"audit": cmd_audit}


def _filter(a: argparse.Namespace) -> AuditFilter:
    start = datetime.combine(a.period_from, time(0), tzinfo=UTC) if a.period_from else None
    end = datetime.combine(a.period_to, time(0), tzinfo=UTC) + timedelta(days=1) if a.period_to else None
    return AuditFilter(a.actor, a.action, a.queue, a.category, a.listing, start, end)


def safe_line(text: str) -> str:
    """Names in a mismatch come from the database: control characters are shown escaped, never sent
    to the terminal."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def event_line(e: AuditEvent) -> str:
    where = " ".join(x for x in (e.queue or "", e.category or "") if x)
    return (
        f"#{e.seq:<6} {e.at:%Y-%m-%d %H:%M:%S} {e.actor:<16} {e.action:<16} {e.subject:<18} {where}"
        + (f"  {e.detail}" if e.detail else "")
    ).rstrip()


def cmd_audit(ws: Workstation, a: argparse.Namespace) -> int:
    if a.audit_kind == "verify":
        result = ws.audit.verify(a.reviewer)
        lines = [result.text()]
        ok = result.ok
        if not a.chain_only:
            cross = ws.audit.crosscheck(a.reviewer)
            lines += [f"  {m.text}" for m in cross.mismatches] + [cross.text()]
            ok = ok and cross.ok
        # everything on one stream: standard output when all holds, standard error otherwise
        (sys.stdout if ok else sys.stderr).write("".join(safe_line(x) + "\n" for x in lines))
        return 0 if ok else 1
    f = _filter(a)
    if a.audit_kind == "list":
        events = ws.audit.events(a.reviewer, f, a.limit)
        sys.stdout.write(
            (dumps(events) if a.json else "\n".join(map(event_line, events)) or "No events.") + "\n"
        )
        return 0
    rows, text = ws.audit.export_csv(a.reviewer, a.out, f)
    if a.out is None:
        sys.stdout.write(text)
    else:
        sys.stderr.write(f"wrote {rows} events to {text}\n")
    return 0
