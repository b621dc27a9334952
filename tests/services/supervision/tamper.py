"""Raw SQL as an attacker who owns the database would run it: the append-only triggers of the audit log
are dropped first (as the owner of the file or of the tables can) and foreign keys are not checked, then
the statements run in one transaction. Only tests import this."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from moderator_app.services.workstation import Workstation
from moderator_app.storage.supervision import append_only


def tamper(ws: Workstation, *statements: str) -> None:
    path = ws.db.sqlite_path
    if path is not None:
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA foreign_keys=OFF")
            for statement in append_only.remove_statements("sqlite"):
                conn.execute(statement)
            for statement in statements:
                conn.execute(statement)
            conn.commit()
        finally:
            conn.close()
        return
    with ws.db.engine.begin() as c:
        append_only.remove(c)
        c.execute(sa.text("SET LOCAL session_replication_role = replica"))  # no foreign key checks
        for statement in statements:
            c.execute(sa.text(statement))
