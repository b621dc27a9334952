"""Schema upgrades on start: new files get the schema, older ones are backed up and upgraded, newer
ones are refused untouched, and the ORM mappings match what the migrations build."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from moderator_app.domain.errors import SchemaTooNew
from moderator_app.services.workstation import open_workstation
from moderator_app.storage import migrate
from moderator_app.storage.db import Database
from moderator_app.storage.schema import metadata


def test_a_new_database_gets_the_whole_schema_and_it_matches_the_mappings(db_url: str) -> None:
    ws = open_workstation(db_url)
    try:
        assert ws.migration is not None
        assert (ws.migration.before, ws.migration.after) == (None, migrate.head_revision())
        with ws.db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        ws.close()


def test_an_older_file_is_backed_up_then_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(str(path))
    migrate.upgrade(db, to="0001")  # a file as the first release left it
    db.dispose()
    with sqlite3.connect(path) as conn:  # with data written by that release
        conn.execute(
            "INSERT INTO traders (id, external_id, display_name, kind, status, violations_total, "
            "warnings_total, created_at) VALUES (1, 'T-1', 'Shop', 'business', 'active', 0, 0, '2026-01-01')"
        )
        for i in range(3):
            conn.execute(
                "INSERT INTO listings (id, external_id, trader_id, title, description, category, created_at, "
                "status, imported_at) VALUES (?, ?, 1, 'Toy', '', 'Toys', '2026-01-01', 'live', '2026-01-01')",
                (i + 1, f"L-{i}"),
            )
            conn.execute(
                "INSERT INTO review_items (listing_id, queue, priority, state, created_at) "
                "VALUES (?, 'general', 10, 'open', '2026-01-01')",
                (i + 1,),
            )
    ws = open_workstation(str(path))
    try:
        assert ws.migration is not None
        assert (ws.migration.before, ws.migration.after) == ("0001", migrate.head_revision())
        backup = ws.migration.backup
        assert backup is not None and backup.exists() and backup.parent == tmp_path
        assert "0001" in backup.name
        counts = ws.review.queue_counts()  # the queue counters were filled from the existing items
        assert [(c.queue, c.pending) for c in counts] == [("general", 3)]
        case = ws.review.claim_next("general", "ana")
        assert case is not None and case.listing.external_id == "L-0"
    finally:
        ws.close()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM listings").fetchone() == (3,)


def test_a_newer_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_workstation(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer version of the workstation"):
        open_workstation(str(path))
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.bak")) == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    ws = open_workstation(str(tmp_path / "x.db"))
    try:
        with ws.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert ws.db.media.root == tmp_path / "x.media"
    finally:
        ws.close()
