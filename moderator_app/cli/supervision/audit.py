"""``audit verify | heads | checkpoint | key | merge | export --csv | list``: the tamper-evident audit
log (supervisors, investigators, administrators). ``verify`` exits 1 and names the first event that no
longer holds: a broken link, or a chain that no longer matches a signed checkpoint or ``--expect``."""

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
        help="check every chain, link and signed checkpoint (names the first broken event), then "
        "cross-check the tables against the log (names every row without its event and every event "
        "without its row)",
    )
    v.add_argument("--chain-only", action="store_true", help="skip the cross-check of the tables")
    v.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="[ORIGIN:]SEQ:HASH",
        help="a chain head noted down earlier (as `audit heads` prints it); repeatable",
    )
    v.add_argument(
        "--checkpoints",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="signed checkpoints kept elsewhere (the .checkpoint file beside an export); repeatable",
    )
    as_.add_parser(
        "heads", help="every chain's head (ORIGIN:SEQ:HASH) and how far signed checkpoints cover it"
    )
    as_.add_parser("checkpoint", help="sign every chain head now with this workstation's key")
    k = as_.add_parser("key", help="this workstation's public key and key file, and the keys it trusts")
    k.add_argument("--trust", metavar="KEY", help="trust checkpoints signed by this public key (ed25519:...)")
    k.add_argument("--name", default="", help="whose key it is (with --trust)")
    m = as_.add_parser(
        "merge", help="bring the audit chains of an offline copy (a SQLite file) into this database"
    )
    m.add_argument("source", help="the copy's SQLite file or URL")
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


def safe(text: str) -> str:
    """Text from a database (labels, names) without control characters, for a terminal."""
    return "".join(c if c.isprintable() or c == "\n" else "?" for c in text)


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
        result = ws.audit.verify(a.reviewer, a.expect, a.checkpoints)
        lines = [result.text()]
        ok = result.ok
        if not a.chain_only:
            cross = ws.audit.crosscheck(a.reviewer)
            lines += [f"  {m.text}" for m in cross.mismatches] + [cross.text()]
            ok = ok and cross.ok
        # everything on one stream: standard output when all holds, standard error otherwise
        (sys.stdout if ok else sys.stderr).write("".join(safe_line(x) + "\n" for x in lines))
        return 0 if ok else 1
    if a.audit_kind == "heads":
        for line in ws.audit.heads(a.reviewer):
            h = line.head
            who = "this workstation" if line.mine else (line.kind or "NO HEAD ROW")
            cover = f"signed up to #{line.anchored}" if line.anchored else "no signed checkpoint"
            sys.stdout.write(f"{h.text()}  {who}, {safe(line.label)}, {cover}\n")
        return 0
    if a.audit_kind == "checkpoint":
        cp = ws.audit.checkpoint(a.reviewer)
        sys.stdout.write(f"checkpoint {cp.id}: {len(cp.heads)} chain heads signed by {cp.signer}\n")
        return 0
    if a.audit_kind == "key":
        if a.trust:
            ws.audit.trust(a.reviewer, a.trust, a.name)
            sys.stdout.write(f"trusted {a.trust}\n")
            return 0
        public, path, trusted = ws.audit.key_info()
        sys.stdout.write(f"public key: {public}\nkey file:   {path}\n")
        for key, name in trusted.items():
            sys.stdout.write(f"trusted:    {key} {safe(name)}\n")
        return 0
    if a.audit_kind == "merge":
        report = ws.audit.merge_from(a.reviewer, a.source)
        sys.stdout.write(safe(report.text()) + "\n")
        return 1 if report.conflicts else 0
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
