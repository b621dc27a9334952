"""The audit log's storage: appending under the chain-head lock, reading in order, filtering.

Appending costs one locked read of the one-row head, one INSERT and one UPDATE, in the caller's
transaction (so the event commits or rolls back with the change it records):
- SQLite: the writer already holds the database lock (BEGIN IMMEDIATE), so appenders are serialized;
- PostgreSQL: ``SELECT ... FOR UPDATE`` on the head row makes concurrent appenders wait for each other
  until commit; each then chains onto the head the previous one left.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moderator_app.domain.supervision.audit import AuditEvent, ChainHead, EventDraft, chain
from moderator_app.storage.accounts.orm_accounts import AuditEventRow, AuditHead
from moderator_app.storage.orm import as_utc

HEAD_ID = 1
READ_CHUNK = 2000


def append(session: Session, draft: EventDraft, now: datetime) -> AuditEvent:
    stmt = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    seq, prev = session.execute(stmt).one()
    event = chain(draft, seq=seq + 1, at=now, prev_hash=prev)
    session.add(
        AuditEventRow(
            seq=event.seq,
            at=event.at,
            actor=event.actor,
            action=event.action,
            subject=event.subject,
            queue=event.queue,
            category=event.category,
            listing_id=event.listing_id,
            before_json=event.before,
            after_json=event.after,
            detail=event.detail,
            prev_hash=event.prev_hash,
            hash=event.hash,
        )
    )
    session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=event.seq, hash=event.hash))
    return event


def head(session: Session) -> ChainHead:
    seq, h = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)).one()
    return ChainHead(int(seq), h)


def to_event(r: AuditEventRow) -> AuditEvent:
    at = as_utc(r.at)
    assert at is not None
    return AuditEvent(
        seq=r.seq,
        at=at,
        actor=r.actor,
        action=r.action,
        subject=r.subject,
        queue=r.queue,
        category=r.category,
        listing_id=r.listing_id,
        before=r.before_json,
        after=r.after_json,
        detail=r.detail,
        prev_hash=r.prev_hash,
        hash=r.hash,
    )


def in_order(session: Session) -> Iterator[AuditEvent]:
    """Every event by seq, read in chunks by key (never the whole table in memory)."""
    last = -1
    while True:
        rows = list(
            session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.seq > last)
                .order_by(AuditEventRow.seq)
                .limit(READ_CHUNK)
            )
        )
        if not rows:
            return
        for r in rows:
            yield to_event(r)
        last = rows[-1].seq
        session.expunge_all()


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    queue: str | None = None
    category: str | None = None
    listing_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None


def search(session: Session, f: AuditFilter, limit: int, before_seq: int | None = None) -> list[AuditEvent]:
    """Newest first, at most ``limit``; ``before_seq`` pages further back."""
    stmt = select(AuditEventRow)
    if f.actor:
        stmt = stmt.where(AuditEventRow.actor == f.actor)
    if f.action:
        stmt = stmt.where(AuditEventRow.action == f.action)
    if f.queue:
        stmt = stmt.where(AuditEventRow.queue == f.queue)
    if f.category:
        stmt = stmt.where(AuditEventRow.category == f.category)
    if f.listing_id is not None:
        stmt = stmt.where(AuditEventRow.listing_id == f.listing_id)
    if f.start is not None:
        stmt = stmt.where(AuditEventRow.at >= f.start)
    if f.end is not None:
        stmt = stmt.where(AuditEventRow.at < f.end)
    if before_seq is not None:
        stmt = stmt.where(AuditEventRow.seq < before_seq)
    rows = session.scalars(stmt.order_by(AuditEventRow.seq.desc()).limit(limit))
    return [to_event(r) for r in rows]
