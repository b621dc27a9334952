"""The schema as SQLAlchemy 2.0 typed mappings.

The tables are created and changed only by the Alembic migrations in ``migrations/``; these classes must
match them (a test compares the two). Enumerated columns hold the enum values of :mod:`domain.enums`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from moderator_app.domain.ids import new_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (naive text) as on PostgreSQL (timestamptz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def gid_column() -> Mapped[str]:
    """The global id of a row that travels to another database (a team's PostgreSQL, a workstation's
    file, an offline case copy), where its integer id means nothing: a UUIDv7 made on insert
    (:func:`moderator_app.domain.ids.new_id`), unique. Migration 0007 gave existing rows one."""
    return mapped_column(String(36), default=new_id, unique=True, index=True)


class Trader(Base):
    __tablename__ = "traders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(300))
    legal_name: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(100))
    trade_register_number: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Repeat-offender counters, kept in the same transaction as the decisions that change them.
    # The 90-day count is not stored (it decays with time): it is counted from strikes.
    violations_total: Mapped[int] = mapped_column(Integer, default=0)
    warnings_total: Mapped[int] = mapped_column(Integer, default=0)
    last_violation_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Listing(Base):
    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    trader_id: Mapped[int] = mapped_column(ForeignKey("traders.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    price_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    category: Mapped[str] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(Text)
    ean: Mapped[str | None] = mapped_column(String(13))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="live")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ListingImage(Base):
    __tablename__ = "listing_images"
    __table_args__ = (UniqueConstraint("listing_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    source_name: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[str | None] = mapped_column(String(16))
    readable: Mapped[bool] = mapped_column(Boolean)
    problem: Mapped[str | None] = mapped_column(Text)


class Flag(Base):
    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("listing_id", "dedup_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    gid: Mapped[str] = gid_column()
    dedup_key: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(32))
    notifier: Mapped[str | None] = mapped_column(String(300))
    notifier_email: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(32))
    explanation: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewItem(Base):
    __tablename__ = "review_items"
    __table_args__ = (
        Index("ix_review_items_listing_state", "listing_id", "state"),
        # live leases are few: claimed counts and "the items I hold" read this index, never the whole queue
        Index("ix_review_items_lease", "lease_expires_at"),
        # the oldest open item of each queue (backlog age)
        Index("ix_review_items_queue_age", "queue", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gid: Mapped[str] = gid_column()
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    queue: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="open")
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The claim query walks this index in queue order (priority first, then age) and stops at the first item
# without a live lease; it covers every column the query reads, so no table row is visited.
Index(
    "ix_review_items_claim",
    ReviewItem.queue,
    ReviewItem.state,
    ReviewItem.priority.desc(),
    ReviewItem.created_at,
    ReviewItem.id,
    ReviewItem.lease_expires_at,
)


COUNTER_SHARDS = 64
"""Counter rows per queue on PostgreSQL (migration 0007): a connection adds to row
``pg_backend_pid() % COUNTER_SHARDS``, so concurrent decisions in one queue rarely wait on one row."""


class QueueCounter(Base):
    """Open review items per queue, kept by database triggers (migrations 0005, 0007) on every insert,
    update and delete of review_items, whichever code path makes it: counting 1,000,000 open items row by
    row takes too long for a window that shows the counts all day.

    A queue's count is the sum of its shards (:func:`open_items_per_queue`). Every decision closes an
    item and so changes its queue's count; with one row per queue every deciding workstation of a team
    would lock the same row until it commits. On PostgreSQL each connection writes its own shard; SQLite
    has one writer at a time anyway and writes shard 0 only. A shard may go below zero (an item opened
    through one connection and closed through another); only the sum means anything.
    """

    __tablename__ = "queue_counters"

    queue: Mapped[str] = mapped_column(String(64), primary_key=True)
    shard: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    open_items: Mapped[int] = mapped_column(Integer, default=0)


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_trader_decided", "trader_id", "decided_at"),
        Index("ix_decisions_decided_at", "decided_at"),
        # "my last decision" (undo) must not scan every decision ever made
        Index("ix_decisions_reviewer_decided", "reviewer", "decided_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gid: Mapped[str] = gid_column()
    puid: Mapped[str] = mapped_column(String(64), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    trader_id: Mapped[int] = mapped_column(ForeignKey("traders.id"))
    action: Mapped[str] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(32))
    ground: Mapped[str | None] = mapped_column(String(32))
    explanation: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # What the listing was before, so an undo can put it back exactly.
    listing_status_before: Mapped[str] = mapped_column(String(16))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(100))


class Strike(Base):
    __tablename__ = "strikes"
    __table_args__ = (Index("ix_strikes_trader_kind_created", "trader_id", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gid: Mapped[str] = gid_column()
    trader_id: Mapped[int] = mapped_column(ForeignKey("traders.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """An aggregate (min/max) may bypass the column type: SQLite can hand back text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
