"""``db status | upgrade``: run without opening a workstation (an outdated shared database refuses one)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from moderator_app.services.schema import schema_status, upgrade_schema

STATE_TEXT = {
    "empty": "no schema yet: `moderator-app db upgrade` creates it",
    "current": "up to date",
    "behind": "older than this version: run `moderator-app db upgrade`",
    "newer": "upgraded by a newer version of the workstation: update the app",
}


def add_parser(sub: Any) -> None:
    d = sub.add_parser("db", help="the database schema: show it, or upgrade a shared PostgreSQL on purpose")
    ds = d.add_subparsers(dest="db_kind", metavar="KIND", required=True)
    ds.add_parser("status", help="the database's schema and this version's; exit 1 unless they match")
    up = ds.add_parser(
        "upgrade",
        help="upgrade the schema to this version's (PostgreSQL: one run at a time, under an advisory "
        "lock; back the database up first)",
    )
    up.add_argument(
        "--wait", type=float, default=600.0, help="seconds to wait for another upgrade run (default 600)"
    )


def run(args: argparse.Namespace) -> int:
    if args.db_kind == "status":
        st = schema_status(args.db)
        sys.stdout.write(
            f"database: {st.database}\nschema: {st.current or '(none)'}\n"
            f"this version's schema: {st.head}\nstate: {STATE_TEXT[st.state]}\n"
        )
        return 0 if st.state == "current" else 1
    result = upgrade_schema(args.db, wait=args.wait)
    if not result.changed:
        sys.stdout.write(f"already at schema {result.after}; nothing to do\n")
    else:
        sys.stdout.write(f"upgraded from schema {result.before or '(none)'} to {result.after}\n")
        if result.backup:
            sys.stdout.write(f"backup kept at {result.backup}\n")
    return 0
