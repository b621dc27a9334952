"""Bulk writes of imported traders, listings, images, flags and review items (SQLAlchemy Core).

Everything here runs in the caller's transaction (one per import batch), uses one executemany per table
and looks existing rows up with ``IN (...)`` per batch, never row by row: an import of a few hundred
thousand listings must take seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session

from moderator_app.domain.enums import ItemState, ListingStatus, TraderStatus
from moderator_app.domain.ids import new_id
from moderator_app.domain.imports.imports import FlagRecord, ImageRecord, ListingRecord, TraderRecord
from moderator_app.domain.review.policy import COUNTER_WINDOW
from moderator_app.domain.supervision.sampling import SIDE_QUEUES
from moderator_app.storage.orm import Base, Flag, Listing, ListingImage, ReviewItem, Trader, UTCDateTime
from moderator_app.storage.review.decision_repo import violations_since

IN_CHUNK = 5000
"""At most this many values in one IN (...) (SQLite allows 32766 parameters, PostgreSQL 65535)."""

ROWS_PER_STATEMENT = 256
"""Rows per INSERT statement (a power of two; at most 16 columns keeps it under SQLite's 32766 parameters)."""

traders = cast(Table, Trader.__table__)
listings = cast(Table, Listing.__table__)
images = cast(Table, ListingImage.__table__)
flags = cast(Table, Flag.__table__)
items = cast(Table, ReviewItem.__table__)

OPEN = ItemState.OPEN.value


def _chunks(values: Collection[Any]) -> Iterator[list[Any]]:
    seq = list(values)
    for start in range(0, len(seq), IN_CHUNK):
        yield seq[start : start + IN_CHUNK]


def _conn(session: Session) -> Connection:
    return session.connection()


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


def lock_for_import(session: Session) -> None:
    """Let one import batch at a time look up and insert (SQLite: the writer already holds the lock).

    On PostgreSQL two workstations importing at once would otherwise both find a listing missing and
    both insert it; the advisory lock is released when the batch's transaction ends.
    """
    conn = _conn(session)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('moderator_app.import'))")


def find_traders(
    session: Session, external_ids: Collection[str], now: datetime
) -> dict[str, tuple[int, bool]]:
    """Traders already stored: external id -> (id, repeat offender?) from their stored counters."""
    conn = _conn(session)
    found: dict[str, tuple[int, bool]] = {}
    for chunk in _chunks(external_ids):
        rows = conn.execute(
            select(
                traders.c.id, traders.c.external_id, traders.c.violations_total, traders.c.last_violation_at
            ).where(traders.c.external_id.in_(chunk))
        )
        for tid, ext, total, last in rows:
            repeat = total >= 3
            if total == 2 and last is not None and last >= now - COUNTER_WINDOW:
                # Only these few need the strikes counted (two violations, both maybe recent).
                repeat = violations_since(session, tid, now - COUNTER_WINDOW) >= 2
            found[ext] = (tid, repeat)
    return found


def _insert_many(
    conn: Connection, table: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, ids: bool = False
) -> dict[str, int]:
    """Insert rows with multi-row ``INSERT ... VALUES (...), (...)`` statements (PostgreSQL: ``INSERT ...
    SELECT * FROM unnest(arrays)``), straight to the driver.

    SQLAlchemy's per-row parameter handling costs more than the database itself at import volumes, and
    sqlite3's executemany releases and retakes the GIL for every row; one statement per few hundred rows
    avoids both, and lets the database work while the import's other thread parses. Values must already
    be in the driver's terms (see :func:`_converter`). With ``ids``, returns external id -> new row id
    (``RETURNING``, or a look-up where unsupported).
    """
    if not rows:
        return {}
    dialect = conn.dialect
    quote = dialect.identifier_preparer
    head = f"INSERT INTO {quote.format_table(table)} ({', '.join(quote.quote(c) for c in columns)}) "
    returning = ids and dialect.insert_returning
    tail = f" RETURNING {quote.quote('id')}, {quote.quote('external_id')}" if returning else ""
    found: dict[str, int] = {}
    if dialect.name == "postgresql":
        # One array per column: a short statement whatever the number of rows (psycopg parses the
        # text of every statement longer than 4 kB again, in Python).
        arrays = ", ".join(f"%s::{table.c[c].type.compile(dialect)}[]" for c in columns)
        result = conn.exec_driver_sql(
            f"{head}SELECT * FROM unnest({arrays}){tail}", tuple(map(list, zip(*rows, strict=True)))
        )
        if returning:
            found.update((ext, rid) for rid, ext in result.all())
        return found
    width = len(columns)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    one = "(" + ", ".join([mark] * width) + ")"
    flat = list(chain.from_iterable(rows))
    start = 0
    for size in _statement_sizes(len(rows)):
        sql = head + "VALUES " + ", ".join([one] * size) + tail
        result = conn.exec_driver_sql(sql, tuple(flat[start * width : (start + size) * width]))
        start += size
        if returning:
            found.update((ext, rid) for rid, ext in result.all())
    if ids and not returning:
        found = _ids_of(conn, table, [row[columns.index("external_id")] for row in rows])
    return found


def _statement_sizes(n: int) -> Iterator[int]:
    """Rows per statement: full statements of ROWS_PER_STATEMENT, the rest in powers of two.

    Drivers keep prepared statements by their text (sqlite3 up to 128 of them, and one of a few hundred
    rows takes a megabyte or more), so only a handful of distinct texts may ever be made.
    """
    full, rest = divmod(n, ROWS_PER_STATEMENT)
    yield from [ROWS_PER_STATEMENT] * full
    size = ROWS_PER_STATEMENT
    while rest:
        size //= 2
        if rest >= size:
            yield size
            rest -= size


def _converter(conn: Connection, column: Any) -> Callable[[Any], Any]:
    """What the column type does to a value on its way to the driver (UTC datetimes, booleans), as one
    function to apply while building the rows; None stays None."""
    return _converter_for(conn.dialect, column.table.name, column.name)


@lru_cache(maxsize=64)
def _converter_for(dialect: Any, table: str, name: str) -> Callable[[Any], Any]:
    column = Base.metadata.tables[table].c[name]
    proc = _processor(column, dialect)
    if proc is None:
        return _same
    return lambda value: None if value is None else proc(value)


def _same(value: Any) -> Any:
    return value


def _processor(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's bind processor for this dialect; for UTC datetimes on SQLite a faster one that
    gives exactly the same text (checked here against SQLAlchemy's own, else not used)."""
    proc: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    if proc is None or dialect.name != "sqlite" or not isinstance(column.type, UTCDateTime):
        return proc
    samples = [datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), datetime(987, 6, 5, 4, 3, 2, 10, tzinfo=UTC)]
    samples.append(datetime(2026, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))))
    if all(_sqlite_utc_text(d) == proc(d) for d in samples):
        return _sqlite_utc_text
    return proc


def _sqlite_utc_text(value: datetime) -> str:
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # "YYYY-MM-DD HH:MM:SS.ffffff", no offset


TRADER_COLUMNS = _columns(
    "external_id display_name legal_name address email phone trade_register_number country kind status suspended_until violations_total warnings_total last_violation_at created_at"
)


def insert_traders(session: Session, records: Sequence[TraderRecord], now: datetime) -> dict[str, int]:
    """Insert new traders; returns external id -> id."""
    if not records:
        return {}
    conn = _conn(session)
    until = _converter(conn, traders.c.suspended_until)
    created = _converter(conn, traders.c.created_at)(now)
    rows = [
        (
            t.external_id,
            t.display_name,
            t.legal_name,
            t.address,
            t.email,
            t.phone,
            t.trade_register_number,
            t.country,
            t.kind.value,
            t.status.value,
            until(t.suspended_until) if t.status is TraderStatus.SUSPENDED else None,
            0,
            0,
            None,
            created,
        )
        for t in records
    ]
    return _insert_many(conn, traders, TRADER_COLUMNS, rows, ids=True)


def find_listings(session: Session, external_ids: Collection[str]) -> dict[str, int]:
    """Listings already stored: external id -> id."""
    return _ids_of(_conn(session), listings, external_ids)


def _ids_of(conn: Connection, table: Any, external_ids: Collection[str]) -> dict[str, int]:
    """external id -> row id of those stored; a plain ``IN (?, ...)`` for the driver (strings need no
    conversion, and building a SQLAlchemy expression with thousands of parameters costs more)."""
    dialect = conn.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer
    head = f"SELECT {quote.quote('external_id')}, {quote.quote('id')} FROM {quote.format_table(table)} "
    found: dict[str, int] = {}
    if dialect.name == "postgresql":  # one array parameter: a short statement
        sql = head + f"WHERE {quote.quote('external_id')} = ANY(%s::VARCHAR[])"
        found.update(conn.exec_driver_sql(sql, (list(external_ids),)).all())  # type: ignore[arg-type]
        return found
    for chunk in _chunks(external_ids):
        sql = head + f"WHERE {quote.quote('external_id')} IN ({', '.join([mark] * len(chunk))})"
        found.update(conn.exec_driver_sql(sql, tuple(chunk)).all())  # type: ignore[arg-type]
    return found


LISTING_COLUMNS = _columns(
    "external_id trader_id title description price_minor currency category url ean created_at status imported_at"
)


def insert_listings(
    session: Session, rows: Sequence[tuple[ListingRecord, int]], now: datetime
) -> dict[str, int]:
    """Insert new listings (each with its trader's id); returns external id -> id."""
    if not rows:
        return {}
    conn = _conn(session)
    live = ListingStatus.LIVE.value
    at = _converter(conn, listings.c.created_at)
    imported = _converter(conn, listings.c.imported_at)(now)
    values = [
        (
            r.external_id,
            trader_id,
            r.title,
            r.description,
            r.price_minor,
            r.currency,
            r.category,
            r.url,
            r.ean,
            at(r.created_at),
            live,
            imported,
        )
        for r, trader_id in rows
    ]
    return _insert_many(conn, listings, LISTING_COLUMNS, values, ids=True)


IMAGE_COLUMNS = _columns(
    "listing_id position sha256 source_name size_bytes width height format readable problem"
)


def insert_images(session: Session, groups: Sequence[tuple[int, Sequence[ImageRecord]]]) -> None:
    """The images of new listings: (listing id, its images)."""
    conn = _conn(session)
    flag_of = _converter(conn, images.c.readable)
    values = [
        (
            lid,
            i.position,
            i.sha256,
            i.source_name,
            i.size_bytes,
            i.width,
            i.height,
            i.format,
            flag_of(i.readable),
            i.problem,
        )
        for lid, group in groups
        for i in group
    ]
    _insert_many(conn, images, IMAGE_COLUMNS, values)


def flag_keys(session: Session, listing_ids: Collection[int]) -> dict[int, set[str]]:
    """The de-duplication keys of the flags each listing already has."""
    conn = _conn(session)
    keys: dict[int, set[str]] = {}
    for chunk in _chunks(listing_ids):
        for lid, key in conn.execute(
            select(flags.c.listing_id, flags.c.dedup_key).where(flags.c.listing_id.in_(chunk))
        ):
            keys.setdefault(lid, set()).add(key)
    return keys


FLAG_COLUMNS = _columns(
    "gid listing_id dedup_key source notifier notifier_email category explanation received_at"
)


def insert_flags(session: Session, groups: Sequence[tuple[int, Sequence[FlagRecord]]]) -> None:
    """New flags: (listing id, its new flags)."""
    conn = _conn(session)
    at = _converter(conn, flags.c.received_at)
    values = [
        (
            new_id(),  # straight to the driver: the mapping's default does not apply
            lid,
            f.dedup_key,
            f.source._value_,  # the plain value, without the enum property's cost per row
            f.notifier,
            f.notifier_email,
            f.category._value_,
            f.explanation,
            at(f.received_at),
        )
        for lid, group in groups
        for f in group
    ]
    _insert_many(conn, flags, FLAG_COLUMNS, values)


def open_items(session: Session, listing_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """The open review item of each listing that has one: listing id -> (item id, priority).

    Items that review an earlier decision (a complaint, a second review) are not the listing's item:
    new flags must not be folded into them."""
    conn = _conn(session)
    found: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(listing_ids):
        rows = conn.execute(
            select(items.c.listing_id, items.c.id, items.c.priority)
            .where(items.c.listing_id.in_(chunk), items.c.state == OPEN, items.c.queue.not_in(SIDE_QUEUES))
            .order_by(items.c.priority.desc(), items.c.id.desc())
        )
        for lid, iid, priority in rows:
            found.setdefault(lid, (iid, priority))
    return found


ITEM_COLUMNS = ("gid", "listing_id", "queue", "priority", "state", "created_at")


def insert_items(session: Session, rows: Sequence[tuple[int, str, int]], now: datetime) -> None:
    """Open review items, unclaimed: (listing id, queue, priority)."""
    conn = _conn(session)
    created = _converter(conn, items.c.created_at)(now)
    values = [(new_id(), lid, queue, priority, OPEN, created) for lid, queue, priority in rows]
    _insert_many(conn, items, ITEM_COLUMNS, values)


def raise_priorities(session: Session, rows: Sequence[tuple[int, int]]) -> None:
    """Set (item id, priority) on open items, never lowering one (new, graver flags move it up)."""
    if not rows:
        return
    _conn(session).execute(
        update(items)
        .where(
            items.c.id == bindparam("item_id"),
            items.c.state == OPEN,
            items.c.priority < bindparam("new_priority"),
        )
        .values(priority=bindparam("new_priority")),
        [{"item_id": iid, "new_priority": p} for iid, p in rows],
    )
