"""Bring a database to the schema this version knows, safely.

- an empty database gets the whole schema;
- an older one is first backed up (SQLite: a consistent copy beside the file), then upgraded;
- a newer one (written by a later version of the app) is refused with a clear message, untouched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from moderator_app.domain.errors import SchemaTooNew
from moderator_app.storage.db import Database, translate_errors

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


def upgrade(db: Database, *, to: str = "head") -> MigrationResult:
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = head_revision() if to == "head" else to
    before = current_revision(db)
    if before is not None:
        try:
            known = script.get_revision(before)
        except Exception:  # alembic raises several kinds for an unknown id
            known = None
        if known is None:
            raise SchemaTooNew(
                f"the database {db.description} was written by a newer version of the workstation "
                f"(schema {before}); this version knows schema {head}. Update the app to open it."
            )
    if before == head:
        return MigrationResult(before, head, None)
    backup = _backup_sqlite(db, before) if before is not None else None
    with translate_errors(db), db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, to)
    return MigrationResult(before, head, backup)


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
