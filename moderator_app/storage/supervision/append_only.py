"""The audit log and the database facts are append-only: triggers refuse every UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE) of ``audit_events`` and ``db_facts``, whoever runs them, the application included.

Installed by migration 0009. A later migration that rebuilds one of these tables (SQLite's batch mode
copies the table and drops the old one, and its triggers with it) calls :func:`remove` before and
:func:`install` after.

What this does and does not stop (docs/supervisors.md, "What cannot be prevented"): a program or a
person using the application's connection cannot edit or delete an event. The owner of the table (on
PostgreSQL) or anyone who can write the SQLite file can drop the triggers first; on PostgreSQL the
application should therefore connect as a role that does not own the tables
(packaging/postgresql-audit-append-only.sql), so it cannot drop them.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

PROTECTED: tuple[str, ...] = ("audit_events", "db_facts")
PG_FUNCTION = "moderator_append_only"
# SQLSTATE of the refusal on PostgreSQL (class 42: "syntax error or access rule violation").
PG_SQLSTATE = "42501"


def install_statements(dialect: str) -> list[str]:
    out: list[str] = []
    if dialect == "sqlite":
        for table in PROTECTED:
            for op in ("UPDATE", "DELETE"):
                out.append(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows are never changed or "
                    "deleted'); END"
                )
        return out
    out.append(
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only: rows are never changed or deleted (%)', "
        f"TG_TABLE_NAME, TG_OP USING ERRCODE = '{PG_SQLSTATE}'; END $$"
    )
    for table in PROTECTED:
        out.append(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
        )
        out.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        )
        # ENABLE ALWAYS: they fire even in replica mode (session_replication_role = replica)
        out.append(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_append_only")
        out.append(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {table}_no_truncate")
    return out


def remove_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_{op}" for table in PROTECTED for op in ("update", "delete")
        ]
    out = [
        f"DROP TRIGGER IF EXISTS {table}_{kind} ON {table}"
        for table in PROTECTED
        for kind in ("append_only", "no_truncate")
    ]
    return [*out, f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"]


def install(conn: Connection) -> None:
    for statement in install_statements(conn.dialect.name):
        conn.execute(text(statement))


def remove(conn: Connection) -> None:
    for statement in remove_statements(conn.dialect.name):
        conn.execute(text(statement))
