"""``moderator-app db status | upgrade``: the schema of a database, and its upgrade on purpose.

A team's PostgreSQL is shared by workstations that may run different versions; none of them upgrades it
on its own (they refuse to run on a schema other than theirs). An administrator runs ``db upgrade`` with
the new version once, after a backup (pg_dump); it holds an advisory lock so two runs never overlap.
"""

from __future__ import annotations

from moderator_app.storage import migrate
from moderator_app.storage.db import Database

SchemaStatus = migrate.SchemaStatus
MigrationResult = migrate.MigrationResult


def schema_status(url: str | None) -> SchemaStatus:
    db = Database(url or "")
    try:
        return migrate.status(db)
    finally:
        db.dispose()


def upgrade_schema(url: str | None, *, wait: float = 600.0) -> MigrationResult:
    """Upgrade to this version's schema (SQLite: after a backup copy); refuses a newer schema."""
    db = Database(url or "")
    try:
        return migrate.upgrade(db, wait=wait)
    finally:
        db.dispose()
