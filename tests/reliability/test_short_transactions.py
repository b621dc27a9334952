"""Issue 10: on one SQLite file every writer waits for the one holding the write lock, so no write
transaction may be long: an import commits every WRITE_BATCH listings, a notice sync every SYNC_STEP
flags, and SQLite syncs every commit to disk (a power cut takes back no acknowledged decision)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from moderator_app.services.dsa import notices as notice_service
from moderator_app.services.imports.importer import WRITE_BATCH
from moderator_app.services.workstation import Workstation
from moderator_app.storage.accounts.orm_accounts import AuditEventRow
from moderator_app.storage.dsa import notice_repo
from moderator_app.storage.dsa.orm_dsa import Notice
from tests.factories import seed


def _listing(i: int) -> str:
    return json.dumps(
        {
            "id": f"S-{i:05d}",
            "trader": {"id": "S-T", "name": "Shop", "kind": "business"},
            "title": f"Set {i}",
            "price": "1.00",
            "currency": "EUR",
            "category": "Toys & Games",
            "created_at": "2026-10-01T00:00:00Z",
            "flags": [
                {"source": "automated", "category": "unsafe_toy", "received_at": "2026-10-02T00:00:00Z"}
            ],
        }
    )


def test_an_import_commits_every_write_batch_listings(sqlite_ws: Workstation, tmp_path: Path) -> None:
    n = 2 * WRITE_BATCH + 7
    assert WRITE_BATCH <= 500  # a transaction of at most about a tenth of a second
    report = sqlite_ws.importer.import_lines([_listing(i) for i in range(n)], tmp_path)
    assert report.listings_added == n
    with sqlite_ws.db.read() as s:
        batches = s.scalar(
            select(func.count()).select_from(AuditEventRow).where(AuditEventRow.action == "import")
        )
    assert batches == 3  # one audit event per committed batch


def test_a_notice_sync_commits_in_steps(sqlite_ws: Workstation, monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps already committed stay when a later one fails (and the next sync goes on from there)."""
    seed(sqlite_ws, traders=1, listings=12)
    monkeypatch.setattr(notice_service, "SYNC_STEP", 5)
    real = notice_repo.record_notice
    calls = 0

    def fail_at_the_eleventh(*args: object, **kwargs: object) -> int | None:
        nonlocal calls
        calls += 1
        if calls == 11:
            raise RuntimeError("the disk went away")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(notice_repo, "record_notice", fail_at_the_eleventh)
    with pytest.raises(RuntimeError):
        sqlite_ws.dsa.notices.sync()
    with sqlite_ws.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Notice)) == 10
    monkeypatch.setattr(notice_repo, "record_notice", real)
    assert sqlite_ws.dsa.notices.sync() == 2


def test_sqlite_syncs_every_commit(sqlite_ws: Workstation) -> None:
    with sqlite_ws.db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
