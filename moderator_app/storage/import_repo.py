"""Bulk writes of imported traders, listings, images, flags and review items (SQLAlchemy Core).

Everything here runs in the caller's transaction (one per import batch), uses one executemany per table
and looks existing rows up with ``IN (...)`` per batch, never row by row: an import of a few hundred
thousand listings must take seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from moderator_app.domain.enums import ItemState, ListingStatus, TraderStatus
from moderator_app.domain.imports import FlagRecord, ImageRecord, ListingRecord, TraderRecord
from moderator_app.domain.policy import COUNTER_WINDOW
from moderator_app.storage.decision_repo import violations_since
from moderator_app.storage.orm import Flag, Listing, ListingImage, ReviewItem, Trader

IN_CHUNK = 5000
"""At most this many values in one IN (...) (SQLite allows 32766 parameters, PostgreSQL 65535)."""

traders = Trader.__table__
listings = Listing.__table__
images = ListingImage.__table__
flags = Flag.__table__
items = ReviewItem.__table__

OPEN = ItemState.OPEN.value


def _chunks(values: Collection[Any]) -> Iterator[list[Any]]:
    seq = list(values)
    for start in range(0, len(seq), IN_CHUNK):
        yield seq[start : start + IN_CHUNK]


def _conn(session: Session) -> Connection:
    return session.connection()


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


def _insert_many(conn: Connection, table: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One executemany straight to the driver.

    SQLAlchemy's per-row parameter handling costs more than the database itself at import volumes, so
    the statement is compiled once and the rows go to the driver as they are; values still pass through
    each column type's own bind processor (UTC datetimes, booleans), once per distinct value.
    """
    if not rows:
        return
    dialect = conn.dialect
    compiled = table.insert().inline().compile(dialect=dialect, column_keys=list(columns))
    processors = [
        (i, proc)
        for i, name in enumerate(columns)
        if (proc := table.c[name].type.bind_processor(dialect)) is not None
    ]
    prepared: list[list[Any]] = []
    memos: list[dict[Any, Any]] = [{} for _ in processors]
    for row in rows:
        values = list(row)
        for (i, proc), memo in zip(processors, memos, strict=True):
            value = values[i]
            if value is not None:
                done = memo.get(value)
                if done is None:
                    done = memo[value] = proc(value)
                values[i] = done
        prepared.append(values)
    if compiled.positional:
        order = [list(columns).index(name) for name in compiled.positiontup or ()]
        conn.exec_driver_sql(compiled.string, [tuple(v[i] for i in order) for v in prepared])
    else:
        conn.exec_driver_sql(compiled.string, [dict(zip(columns, v, strict=True)) for v in prepared])


TRADER_COLUMNS = (
    "external_id",
    "display_name",
    "legal_name",
    "address",
    "email",
    "phone",
    "trade_register_number",
    "country",
    "kind",
    "status",
    "suspended_until",
    "violations_total",
    "warnings_total",
    "last_violation_at",
    "created_at",
)


def insert_traders(session: Session, records: Sequence[TraderRecord], now: datetime) -> dict[str, int]:
    """Insert new traders; returns external id -> id."""
    if not records:
        return {}
    conn = _conn(session)
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
            t.suspended_until if t.status is TraderStatus.SUSPENDED else None,
            0,
            0,
            None,
            now,
        )
        for t in records
    ]
    _insert_many(conn, traders, TRADER_COLUMNS, rows)
    return _ids_of(conn, traders, [t.external_id for t in records])


def find_listings(session: Session, external_ids: Collection[str]) -> dict[str, int]:
    """Listings already stored: external id -> id."""
    return _ids_of(_conn(session), listings, external_ids)


def _ids_of(conn: Connection, table: Any, external_ids: Collection[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(external_ids):
        rows = conn.execute(select(table.c.external_id, table.c.id).where(table.c.external_id.in_(chunk)))
        found.update(dict(rows.all()))  # type: ignore[arg-type]
    return found


LISTING_COLUMNS = (
    "external_id",
    "trader_id",
    "title",
    "description",
    "price_minor",
    "currency",
    "category",
    "url",
    "ean",
    "created_at",
    "status",
    "imported_at",
)


def insert_listings(
    session: Session, rows: Sequence[tuple[ListingRecord, int]], now: datetime
) -> dict[str, int]:
    """Insert new listings (each with its trader's id); returns external id -> id."""
    if not rows:
        return {}
    conn = _conn(session)
    live = ListingStatus.LIVE.value
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
            r.created_at,
            live,
            now,
        )
        for r, trader_id in rows
    ]
    _insert_many(conn, listings, LISTING_COLUMNS, values)
    return _ids_of(conn, listings, [r.external_id for r, _ in rows])


IMAGE_COLUMNS = (
    "listing_id",
    "position",
    "sha256",
    "source_name",
    "size_bytes",
    "width",
    "height",
    "format",
    "readable",
    "problem",
)


def insert_images(session: Session, rows: Sequence[tuple[int, ImageRecord]]) -> None:
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
            i.readable,
            i.problem,
        )
        for lid, i in rows
    ]
    _insert_many(_conn(session), images, IMAGE_COLUMNS, values)


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


FLAG_COLUMNS = (
    "listing_id",
    "dedup_key",
    "source",
    "notifier",
    "notifier_email",
    "category",
    "explanation",
    "received_at",
)


def insert_flags(session: Session, rows: Sequence[tuple[int, FlagRecord]]) -> None:
    values = [
        (
            lid,
            f.dedup_key,
            f.source.value,
            f.notifier,
            f.notifier_email,
            f.category.value,
            f.explanation,
            f.received_at,
        )
        for lid, f in rows
    ]
    _insert_many(_conn(session), flags, FLAG_COLUMNS, values)


def open_items(session: Session, listing_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """The open review item of each listing that has one: listing id -> (item id, priority)."""
    conn = _conn(session)
    found: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(listing_ids):
        rows = conn.execute(
            select(items.c.listing_id, items.c.id, items.c.priority)
            .where(items.c.listing_id.in_(chunk), items.c.state == OPEN)
            .order_by(items.c.priority.desc(), items.c.id.desc())
        )
        for lid, iid, priority in rows:
            found.setdefault(lid, (iid, priority))
    return found


ITEM_COLUMNS = ("listing_id", "queue", "priority", "state", "created_at")


def insert_items(session: Session, rows: Sequence[tuple[int, str, int]], now: datetime) -> None:
    """Open review items, unclaimed: (listing id, queue, priority)."""
    values = [(lid, queue, priority, OPEN, now) for lid, queue, priority in rows]
    _insert_many(_conn(session), items, ITEM_COLUMNS, values)


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
