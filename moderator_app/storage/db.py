"""The database handle: engine, sessions with the right locking, and translation of known failures.

SQLite is the embedded default (WAL, foreign keys on, writers take the lock up front with
BEGIN IMMEDIATE so a read-then-write transaction never fails half way); PostgreSQL serves teams.
Services open one short transaction per use case with :meth:`Database.read` or :meth:`Database.write`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from moderator_app.domain.errors import DatabaseUnavailable, InvalidInput, SchemaTooNew
from moderator_app.domain.ids import new_id
from moderator_app.paths import default_database_path, user_data_dir
from moderator_app.storage.media import MediaStore


def resolve_url(given: str | None = None, data_dir: Path | None = None) -> str:
    """The URL given (the entry point's Settings chose it), else the SQLite file in the data directory.

    A plain file path is taken as a SQLite database file.
    """
    raw = given or str(default_database_path(data_dir))
    if "://" not in raw:
        return "sqlite:///" + str(Path(raw).expanduser().resolve())
    if raw.startswith(("postgresql://", "postgres://")):
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def describe_url(url: str | URL) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _media_dir_for(url: URL, data_dir: Path | None) -> Path:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(db.stem + ".media")
    safe = re.sub(r"[^A-Za-z0-9]+", "_", f"{url.host}_{url.port}_{url.database}")
    return (data_dir or user_data_dir()) / f"media-{safe}"


class Database:
    """One database (SQLite file or PostgreSQL) plus its media folder."""

    def __init__(
        self,
        url: str,
        *,
        media_dir: Path | None = None,
        data_dir: Path | None = None,
        pool_size: int = 5,
        lock_wait: float = 15.0,
        workstation: str | None = None,
        workstation_label: str = "",
    ) -> None:
        """``lock_wait``: seconds a SQLite writer waits for another one's lock before giving up."""
        self.url = make_url(resolve_url(url, data_dir))
        # Whose audit chain this handle appends to (a workstation id, see services/supervision/keys.py);
        # without one, this handle is a workstation of its own (a chain per process).
        self.workstation = workstation or new_id()
        self.workstation_label = workstation_label or "process"
        self.dialect = self.url.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise InvalidInput(
                f"unsupported database {describe_url(self.url)}: use a SQLite file or PostgreSQL"
            )
        if self.dialect == "sqlite":
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(self.url, connect_args={"timeout": lock_wait})
            _configure_sqlite(self.engine, int(lock_wait * 1000))
        else:
            self.engine = create_engine(
                self.url, pool_size=pool_size, pool_pre_ping=True, connect_args={"connect_timeout": 5}
            )
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        self.media = MediaStore(media_dir or _media_dir_for(self.url, data_dir))
        # The schema this workstation was started on (set by migrate.prepare on PostgreSQL): every write
        # checks it is still the database's, so a workstation left running when an administrator ran
        # `db upgrade` with a newer version stops with a clear message instead of writing the old way.
        self.schema_revision: str | None = None

    @property
    def description(self) -> str:
        return describe_url(self.url)

    @property
    def sqlite_path(self) -> Path | None:
        if self.dialect == "sqlite" and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (on SQLite: a consistent WAL snapshot that blocks no writer)."""
        with translate_errors(self), self._reader() as session:
            session.info["workstation"] = (self.workstation, self.workstation_label)
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that commits when the block ends and rolls back entirely on any error."""
        with translate_errors(self), self._writer.begin() as session:
            session.info["workstation"] = (self.workstation, self.workstation_label)
            if self.schema_revision is not None:
                self._check_schema(session)
            yield session

    def _check_schema(self, session: Session) -> None:
        found = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if found != self.schema_revision:
            raise SchemaTooNew(
                f"this database ({self.description}) was upgraded by a newer version of the workstation "
                f"(schema {found}) while this one was running (schema {self.schema_revision}); nothing "
                "was saved. Update the app and start it again."
            )

    def connection_for_migrations(self) -> Any:
        return self.engine.connect()

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own handling is wrong
        # for SAVEPOINT and for choosing the lock), as the SQLAlchemy documentation recommends.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        # FULL, not NORMAL: in WAL mode NORMAL survives a crash of the program (kill -9) but not a power
        # cut or an OS crash, which may take back the last transactions committed before it, decisions
        # a reviewer saw recorded among them. FULL syncs the WAL at every commit; that costs one fsync
        # per decision and per import batch (docs/deployment.md, docs/performance.md).
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        # Checkpoint the WAL every ~40 MB instead of every 4 MB: a bulk import no longer pays a checkpoint
        # and an fsync per batch (measured: commit time halved on a 450k-listing import).
        cur.execute("PRAGMA wal_autocheckpoint=10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Failure(StrEnum):
    """What went wrong, told by the SQLSTATE (PostgreSQL) or the result code (SQLite), never by the
    message text (which changes with the server's language and version)."""

    LOCKED = "locked"  # waited too long for a lock (SQLITE_BUSY / SQLITE_LOCKED, 55P03)
    CONFLICT = "conflict"  # serialization failure or deadlock: the transaction may simply be run again
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    CANNOT_OPEN = "cannot_open"  # the SQLite file (or its folder) cannot be opened
    IO_ERROR = "io_error"
    CORRUPT = "corrupt"  # SQLITE_CORRUPT / SQLITE_NOTADB, PostgreSQL data corruption (XX001, XX002)
    UNREACHABLE = "unreachable"  # no connection to the server, or it went away
    LOGIN_REFUSED = "login_refused"
    NO_SUCH_DATABASE = "no_such_database"
    TOO_MANY_CONNECTIONS = "too_many_connections"
    UNIQUE = "unique"  # a unique constraint: a bug, or a race a caller handles; never a message here
    CONSTRAINT = "constraint"  # another integrity constraint (foreign key, not null, check)


LOCK_NOT_AVAILABLE = "55P03"

PG_STATES: dict[str, Failure] = {
    "40001": Failure.CONFLICT,  # serialization_failure
    "40P01": Failure.CONFLICT,  # deadlock_detected
    "55P03": Failure.LOCKED,  # lock_not_available (lock_timeout, NOWAIT)
    "53100": Failure.DISK_FULL,  # disk_full
    "25006": Failure.READ_ONLY,  # read_only_sql_transaction (a standby, default_transaction_read_only)
    "28000": Failure.LOGIN_REFUSED,  # invalid_authorization_specification
    "28P01": Failure.LOGIN_REFUSED,  # invalid_password
    "3D000": Failure.NO_SUCH_DATABASE,  # invalid_catalog_name
    "53300": Failure.TOO_MANY_CONNECTIONS,  # too_many_connections
    "57P01": Failure.UNREACHABLE,  # admin_shutdown
    "57P02": Failure.UNREACHABLE,  # crash_shutdown
    "57P03": Failure.UNREACHABLE,  # cannot_connect_now (starting up, shutting down)
    "XX001": Failure.CORRUPT,  # data_corrupted
    "XX002": Failure.CORRUPT,  # index_corrupted
    "23505": Failure.UNIQUE,  # unique_violation
}
PG_CLASSES: dict[str, Failure] = {
    "08": Failure.UNREACHABLE,  # connection_exception
    "23": Failure.CONSTRAINT,  # integrity_constraint_violation
}

SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY = 2067, 1555
SQLITE_PRIMARY: dict[int, Failure] = {
    5: Failure.LOCKED,  # SQLITE_BUSY: another connection holds the write lock past busy_timeout
    6: Failure.LOCKED,  # SQLITE_LOCKED: a conflict within one connection's shared cache
    13: Failure.DISK_FULL,  # SQLITE_FULL
    8: Failure.READ_ONLY,  # SQLITE_READONLY
    14: Failure.CANNOT_OPEN,  # SQLITE_CANTOPEN
    11: Failure.CORRUPT,  # SQLITE_CORRUPT
    26: Failure.CORRUPT,  # SQLITE_NOTADB: the file is not a database
    10: Failure.IO_ERROR,  # SQLITE_IOERR_* (a failed read, write or fsync)
    19: Failure.CONSTRAINT,  # SQLITE_CONSTRAINT (the unique ones are told apart below)
}


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error (psycopg's ``sqlstate``), else None."""
    code = getattr(getattr(exc, "orig", None) or exc, "sqlstate", None)
    return code if isinstance(code, str) else None


def classify(exc: BaseException) -> Failure | None:
    """The kind of a database error, or None when it is none we know (a bug)."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _sqlite_failure(code)
    if hasattr(orig, "sqlstate"):  # psycopg
        state = orig.sqlstate
        if isinstance(state, str):
            return PG_STATES.get(state) or PG_CLASSES.get(state[:2])
        # No SQLSTATE: the error did not come from a server (refused, timed out, name not resolved).
        if isinstance(exc, OperationalError):
            return Failure.UNREACHABLE
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return Failure.UNREACHABLE
    return None


def _sqlite_failure(code: int) -> Failure | None:
    if code in (SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY):
        return Failure.UNIQUE
    return SQLITE_PRIMARY.get(code & 0xFF)  # the primary result code is the low byte of the extended one


MESSAGES: dict[Failure, str] = {
    Failure.LOCKED: "the database is locked by another program for too long; try again in a moment",
    Failure.CONFLICT: "another workstation changed the same records at the same moment; "
    "nothing was saved, try again",
    Failure.DISK_FULL: "the disk holding the database is full; free some space and try again (nothing was saved)",
    Failure.READ_ONLY: "the database is read-only",
    Failure.CANNOT_OPEN: "the database file cannot be opened",
    Failure.IO_ERROR: "the disk holding the database reported an error; nothing was saved",
    Failure.CORRUPT: "the database is damaged; restore it from a backup",
    Failure.UNREACHABLE: "the database server cannot be reached",
    Failure.LOGIN_REFUSED: "the database server refused the login (user name or password)",
    Failure.NO_SUCH_DATABASE: "the database does not exist on that server",
    Failure.TOO_MANY_CONNECTIONS: "the database server has no free connection; try again in a moment",
}


def known_failure(exc: BaseException) -> str | None:
    """The message for a person, or None for a failure that is a bug (unique violations included)."""
    failure = classify(exc)
    return MESSAGES.get(failure) if failure is not None else None


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Known database failures become one clear :class:`DatabaseUnavailable`; the rest stay bugs."""
    try:
        yield
    except DBAPIError as exc:
        message = known_failure(exc)
        if message is None:
            raise
        raise DatabaseUnavailable(f"{message} ({db.description})") from exc
