"""Bring a database to the schema this version knows, safely.

- an empty database gets the whole schema;
- an older one is first backed up (SQLite: a consistent copy beside the file), then upgraded;
- a newer one (written by a later version of the app) is refused with a clear message, untouched;
- a shared PostgreSQL is upgraded only on purpose (``moderator-app db upgrade``, :func:`upgrade`), one
  run at a time; workstations check its schema and refuse an older or newer one (:func:`prepare`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from moderator_app.domain.errors import DatabaseUnavailable, SchemaOutdated, SchemaTooNew
from moderator_app.storage.db import LOCK_NOT_AVAILABLE, Database, sqlstate, translate_errors

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True, slots=True)
class MigrationResult:
    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with translate_errors(db), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


SchemaState = Literal["empty", "current", "behind", "newer"]


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    database: str
    current: str | None  # None: no schema yet
    head: str  # the schema this version of the app knows
    state: SchemaState


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def _state(current: str | None, head: str) -> SchemaState:
    if current is None:
        return "empty"
    if current == head:
        return "current"
    return "behind" if _known(current) else "newer"


def status(db: Database) -> SchemaStatus:
    head = head_revision()
    current = current_revision(db)
    return SchemaStatus(db.description, current, head, _state(current, head))


def _too_new(db: Database, current: str, head: str) -> SchemaTooNew:
    return SchemaTooNew(
        f"this database ({db.description}) was upgraded by a newer version of the workstation "
        f"(schema {current}); this version knows schema {head}. Update the app to open it."
    )


def prepare(db: Database) -> MigrationResult:
    """What a workstation does on start.

    A SQLite file is the workstation's own: an older one is backed up and upgraded on the spot. A shared
    PostgreSQL is upgraded only by an administrator running ``moderator-app db upgrade`` (workstations
    of several versions may be pointed at it); a workstation refuses to run on an older schema as on a
    newer one. An empty PostgreSQL database (a new team's) gets the schema, under the upgrade lock.
    """
    if db.dialect != "postgresql":
        return upgrade(db)
    head = head_revision()
    current = current_revision(db)
    state = _state(current, head)
    if state == "empty":
        result = upgrade(db)
        db.schema_revision = result.after
        return result
    if state == "newer":
        assert current is not None
        raise _too_new(db, current, head)
    if state == "behind":
        raise SchemaOutdated(
            f"the database {db.description} has schema {current}, this version of the workstation needs "
            f"schema {head}: an administrator must run `moderator-app db upgrade` first"
        )
    db.schema_revision = head
    return MigrationResult(current, head, None)


# Advisory locks are per database, not per schema: the key names the schema, so two schemas of one
# database (a team each, or test runs) upgrade independently.
UPGRADE_KEY = "hashtext('moderator_app.schema_upgrade:' || current_schema())"
UPGRADE_LOCK = f"SELECT pg_advisory_lock({UPGRADE_KEY})"
UPGRADE_UNLOCK = f"SELECT pg_advisory_unlock({UPGRADE_KEY})"


def upgrade(db: Database, *, to: str = "head", wait: float = 600.0) -> MigrationResult:
    """Bring the schema to ``to``. SQLite: a backup copy first. PostgreSQL: one upgrade at a time,
    holding a session advisory lock (waiting up to ``wait`` seconds for another run to finish); the
    revision is read again once the lock is held, so a second run finds the work done."""
    cfg = alembic_config()
    head = head_revision() if to == "head" else to
    with translate_errors(db), db.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            _take_upgrade_lock(db, conn, wait)
        try:
            before = MigrationContext.configure(conn).get_current_revision()
            conn.commit()
            if before is not None and not _known(before):
                raise _too_new(db, before, head)
            if before == head:
                return MigrationResult(before, head, None)
            backup = _backup_sqlite(db, before) if before is not None else None
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, to)
            return MigrationResult(before, head, backup)
        finally:
            if postgres:
                conn.rollback()
                conn.exec_driver_sql(UPGRADE_UNLOCK)
                conn.commit()


def _take_upgrade_lock(db: Database, conn: Connection, wait: float) -> None:
    conn.exec_driver_sql(f"SET lock_timeout = {max(1, int(wait * 1000))}")
    try:
        conn.exec_driver_sql(UPGRADE_LOCK)
    except DBAPIError as exc:
        if sqlstate(exc) != LOCK_NOT_AVAILABLE:
            raise
        conn.rollback()
        raise DatabaseUnavailable(
            f"another `moderator-app db upgrade` is still running on {db.description}; "
            "try again when it has finished"
        ) from exc
    conn.exec_driver_sql("SET lock_timeout = 0")  # the migration itself waits for running workstations
    conn.commit()


def _backup_sqlite(db: Database, revision: str) -> Path | None:
    path = db.sqlite_path
    if path is None or not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target
