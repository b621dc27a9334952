"""Shared fixtures: every storage and service test runs on SQLite and, when the test command has
started one, on a real PostgreSQL (MODERATOR_TEST_PG_URL). MODERATOR_REQUIRE_PG=1 (set by
scripts/test.sh) turns a missing PostgreSQL into a failure instead of a skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from moderator_app.services.accounts import service as account_service
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.storage import migrate
from moderator_app.storage.db import Database

PG_URL = os.environ.get("MODERATOR_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("MODERATOR_REQUIRE_PG") == "1"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class FakeClock:
    """A clock the test moves by hand (lease expiry, undo window, 90-day counters)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""argon2id at its cheapest (about 1 ms instead of most of a second): for tests only. The app's
parameters are checked in tests/services/accounts/test_accounts.py."""


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Every AccountService a test makes (directly, through the CLI, the window or the demo) hashes
    cheaply, unless the test hands it a hasher of its own."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(account_service, "DEFAULT_HASHER", CHEAP_HASHER)
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does touches the real user data directory or a configured database."""
    monkeypatch.setenv("MODERATOR_DATA_DIR", str(tmp_path / "user-data"))  # read by the CLI's Settings
    monkeypatch.delenv("MODERATOR_CONFIG_DIR", raising=False)  # the audit key, the workstation id: XDG below
    monkeypatch.delenv("MODERATOR_AUDIT_KEY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))  # the platform defaults (platformdirs)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("MODERATOR_DB_URL", raising=False)
    monkeypatch.delenv("MODERATOR_MEDIA_DIR", raising=False)


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty schema on the throwaway PostgreSQL, dropped afterwards."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("MODERATOR_REQUIRE_PG=1 but MODERATOR_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL for this run (scripts/test.sh starts one)")
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'moderator.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'moderator.db'}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file brought to the head schema by the migrations, once per run."""
    path = tmp_path_factory.mktemp("migrated") / "moderator.db"
    db = Database(f"sqlite:///{path}")
    try:
        migrate.upgrade(db)
    finally:
        db.dispose()
    assert not Path(f"{path}-wal").exists(), "the template's write-ahead log was not folded in"
    return path


def _prime(url: str, request: pytest.FixtureRequest) -> None:
    """A SQLite file the migrations would create, copied in (a few ms instead of a quarter second).
    The file is byte for byte what migrating an empty database gives; PostgreSQL schemas are migrated
    in place (a template database is no faster there)."""
    if url.startswith("sqlite:///"):
        target = Path(url.removeprefix("sqlite:///"))
        if not target.exists():
            shutil.copyfile(request.getfixturevalue("_migrated_sqlite"), target)


@pytest.fixture
def ws(db_url: str, clock: FakeClock, request: pytest.FixtureRequest) -> Iterator[Workstation]:
    """Services over a fresh database (SQLite and PostgreSQL), with a clock the test controls."""
    _prime(db_url, request)
    workstation = open_workstation(db_url, clock=clock)
    try:
        yield workstation
    finally:
        workstation.close()


@pytest.fixture
def sqlite_ws(sqlite_url: str, clock: FakeClock, request: pytest.FixtureRequest) -> Iterator[Workstation]:
    """Services over a fresh SQLite database only (for tests about the embedded default)."""
    _prime(sqlite_url, request)
    workstation = open_workstation(sqlite_url, clock=clock)
    try:
        yield workstation
    finally:
        workstation.close()
