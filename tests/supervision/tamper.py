"""Raw SQL as an attacker who owns the database would run it: the protection of the audit log
(triggers) is dropped first and foreign keys are not checked, then the statements run in one
transaction. Only tests import this."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa

from moderator_app.services.workstation import Workstation


def tamper(ws: Workstation, *statements: str) -> None:
    path = ws.db.sqlite_path
    if path is not None:
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA foreign_keys=OFF")
            for statement in statements:
                conn.execute(statement)
            conn.commit()
        finally:
            conn.close()
        return
    with ws.db.engine.begin() as c:
        c.execute(sa.text("SET LOCAL session_replication_role = replica"))  # no FK checks, no triggers
        for statement in statements:
            c.execute(sa.text(statement))
