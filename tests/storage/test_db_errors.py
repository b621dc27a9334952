"""Database errors are told apart by SQLSTATE (PostgreSQL) or result code (SQLite), not by their text:
each test makes the real error happen and checks what a person is told (or that it stays a bug)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from moderator_app.domain.errors import DatabaseUnavailable
from moderator_app.services.workstation import open_workstation
from moderator_app.storage import orm
from moderator_app.storage.db import Database, Failure, classify

NOW = orm.utcnow()


def _trader(ext: str) -> orm.Trader:
    return orm.Trader(external_id=ext, display_name="Shop", kind="business", status="active", created_at=NOW)


def test_a_sqlite_file_locked_by_another_program_is_told_as_locked(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_workstation(str(path)).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    db = Database(str(path), lock_wait=0.1)
    try:
        with (
            pytest.raises(DatabaseUnavailable, match="locked by another program") as caught,
            db.write() as s,
        ):
            s.add(_trader("T-1"))
        assert classify(caught.value.__cause__) is Failure.LOCKED
        assert caught.value.__cause__.orig.sqlite_errorname == "SQLITE_BUSY"  # type: ignore[union-attr]
    finally:
        other.rollback()
        other.close()
        db.dispose()


def test_a_file_that_is_not_a_database_is_told_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(DatabaseUnavailable, match="the database is damaged"):
        open_workstation(str(path))


def test_a_read_only_sqlite_file_is_told_as_read_only(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    open_workstation(str(path)).close()
    db = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with pytest.raises(DatabaseUnavailable, match="read-only") as caught, db.write() as s:
            s.add(_trader("T-1"))
        assert classify(caught.value.__cause__) is Failure.READ_ONLY
    finally:
        db.dispose()


def test_a_unique_violation_is_classified_and_stays_a_bug(db_url: str) -> None:
    ws = open_workstation(db_url)
    try:
        with ws.db.write() as s:
            s.add(_trader("T-1"))
        with pytest.raises(IntegrityError) as caught, ws.db.write() as s:  # stays a bug, no message
            s.add(_trader("T-1"))
        assert classify(caught.value) is Failure.UNIQUE
    finally:
        ws.close()


def test_an_unreachable_server_is_told_as_such() -> None:
    db = Database("postgresql+psycopg://moderator@127.0.0.1:9/nothing")  # port 9: nobody listens
    try:
        with pytest.raises(DatabaseUnavailable, match="cannot be reached") as caught, db.read() as s:
            s.execute(sa.text("SELECT 1"))
        assert classify(caught.value.__cause__) is Failure.UNREACHABLE
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_message_that_looks_like_a_known_failure_is_still_a_bug(pg_url: str) -> None:
    """Told by SQLSTATE: an error of ours (P0001) whose text says "database is locked" is not a lock."""
    db = Database(pg_url)
    try:
        with pytest.raises(DBAPIError) as caught, db.write() as s:
            s.execute(sa.text("DO $$ BEGIN RAISE EXCEPTION 'database is locked, disk is full'; END $$"))
        assert not isinstance(caught.value, DatabaseUnavailable)
        assert classify(caught.value) is None
    finally:
        db.dispose()


@pytest.mark.postgres
def test_postgresql_lock_timeout_serialization_failure_and_deadlock(pg_url: str) -> None:
    ws = open_workstation(pg_url)
    engine = sa.create_engine(pg_url)
    try:
        with ws.db.write() as s:
            s.add_all([_trader("T-1"), _trader("T-2")])
        lock = sa.text("SELECT id FROM traders WHERE external_id = :e FOR UPDATE")
        touch = sa.text("UPDATE traders SET warnings_total = warnings_total + 1 WHERE external_id = :e")

        with engine.connect() as holder, engine.connect() as waiter:  # 55P03 lock_not_available
            holder.execute(lock, {"e": "T-1"})
            waiter.execute(sa.text("SET lock_timeout = '100ms'"))
            with pytest.raises(DBAPIError) as caught:
                waiter.execute(lock, {"e": "T-1"})
            assert classify(caught.value) is Failure.LOCKED

        with engine.connect() as a, engine.connect() as b:  # 40001 serialization_failure
            a.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            a.execute(sa.text("SELECT warnings_total FROM traders WHERE external_id = 'T-1'"))
            b.execute(touch, {"e": "T-1"})
            b.commit()
            with pytest.raises(DBAPIError) as caught:
                a.execute(touch, {"e": "T-1"})
            assert classify(caught.value) is Failure.CONFLICT

        with engine.connect() as a, engine.connect() as b:  # 40P01 deadlock_detected
            for conn in (a, b):
                conn.execute(sa.text("SET deadlock_timeout = '50ms'"))
            a.execute(lock, {"e": "T-1"})
            b.execute(lock, {"e": "T-2"})
            errors: list[BaseException] = []

            def a_wants_t2() -> None:
                try:
                    a.execute(lock, {"e": "T-2"})
                except DBAPIError as exc:
                    errors.append(exc)
                    a.rollback()  # lets b go on

            t = threading.Thread(target=a_wants_t2)
            t.start()
            try:
                b.execute(lock, {"e": "T-1"})
            except DBAPIError as exc:
                errors.append(exc)
                b.rollback()  # lets a go on
            t.join(timeout=30)
            assert [classify(e) for e in errors] == [Failure.CONFLICT]
            assert "40P01" in {getattr(e.orig, "sqlstate", None) for e in errors}  # type: ignore[attr-defined]
    finally:
        engine.dispose()
        ws.close()
