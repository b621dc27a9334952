"""The audit log's storage: appending to this workstation's chain, reading chains in order, filtering.

Appending costs one locked read of this workstation's head row in ``audit_origins``, one INSERT and one
UPDATE, in the caller's transaction (so the event commits or rolls back with the change it records):
- SQLite: the writer already holds the database lock (BEGIN IMMEDIATE), so appenders are serialized;
- PostgreSQL: ``SELECT ... FOR UPDATE`` on the workstation's own head row: workstations never wait for
  one another (only two processes of one workstation do), each chains onto its own head.

Whose chain a session appends to comes from the :class:`Database` handle that opened it
(``session.info["workstation"]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from moderator_app.domain.ids import new_id
from moderator_app.domain.supervision.audit import GENESIS, AuditEvent, ChainHead, EventDraft, chain
from moderator_app.storage.accounts.orm_accounts import AuditEventRow, AuditOrigin
from moderator_app.storage.orm import as_utc

READ_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class OriginInfo:
    head: ChainHead
    kind: str  # local / foreign / legacy / "" (events with no head row)
    label: str
    workstation: str | None
    created_at: datetime | None


def _workstation(session: Session) -> tuple[str, str]:
    info = session.info.get("workstation")
    if info is None:  # a session not opened by Database: a chain of its own
        info = session.info["workstation"] = (new_id(), "session")
    return info  # type: ignore[no-any-return,unused-ignore]


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _lock_own(session: Session, now: datetime) -> tuple[str, int, str]:
    ws, label = _workstation(session)
    stmt = select(AuditOrigin.origin, AuditOrigin.seq, AuditOrigin.hash).where(AuditOrigin.workstation == ws)
    if _is_pg(session):
        stmt = stmt.with_for_update()
    row = session.execute(stmt).first()
    if row is None:
        insert = pg_insert if _is_pg(session) else sqlite_insert
        values = {
            "origin": new_id(),
            "kind": "local",
            "workstation": ws,
            "label": label[:200],
            "created_at": now,
            "seq": 0,
            "hash": GENESIS,
        }
        session.execute(insert(AuditOrigin).values(**values).on_conflict_do_nothing())
        row = session.execute(stmt).one()
    return str(row[0]), int(row[1]), str(row[2])


def _row(e: AuditEvent) -> AuditEventRow:
    return AuditEventRow(
        id=e.id,
        origin=e.origin,
        seq=e.seq,
        at=e.at,
        actor=e.actor,
        action=e.action,
        subject=e.subject,
        queue=e.queue,
        category=e.category,
        listing_id=e.listing_id,
        before_json=e.before,
        after_json=e.after,
        detail=e.detail,
        prev_hash=e.prev_hash,
        hash=e.hash,
    )


def append(session: Session, draft: EventDraft, now: datetime) -> AuditEvent:
    origin, seq, prev = _lock_own(session, now)
    event = chain(draft, seq=seq + 1, at=now, prev_hash=prev, origin=origin, gid=new_id())
    session.add(_row(event))
    session.execute(
        update(AuditOrigin).where(AuditOrigin.origin == origin).values(seq=event.seq, hash=event.hash)
    )
    return event


def own_origin(session: Session) -> str | None:
    ws, _ = _workstation(session)
    return session.scalar(select(AuditOrigin.origin).where(AuditOrigin.workstation == ws))


def head(session: Session, origin: str | None = None) -> ChainHead:
    """The head of ``origin``'s chain (default: this workstation's); seq 0 when it has none."""
    origin = origin or own_origin(session)
    row = session.execute(
        select(AuditOrigin.seq, AuditOrigin.hash).where(AuditOrigin.origin == origin)
    ).first()
    return ChainHead(int(row[0]), str(row[1]), origin or "") if row else ChainHead(0, GENESIS, origin or "")


def origins(session: Session) -> list[OriginInfo]:
    """Every chain: those with a head row, and any found only in the events (a head row deleted, or a
    chain inserted without one), oldest first."""
    found: dict[str, OriginInfo] = {}
    for r in session.scalars(select(AuditOrigin).order_by(AuditOrigin.created_at, AuditOrigin.origin)):
        found[r.origin] = OriginInfo(
            ChainHead(r.seq, r.hash, r.origin), r.kind, r.label, r.workstation, as_utc(r.created_at)
        )
    for o in session.scalars(select(AuditEventRow.origin).distinct()):
        if o not in found:
            found[o] = OriginInfo(ChainHead(0, GENESIS, o), "", "", None, None)
    return list(found.values())


def lock_head(session: Session, origin: str) -> ChainHead | None:
    stmt = select(AuditOrigin.seq, AuditOrigin.hash).where(AuditOrigin.origin == origin)
    if _is_pg(session):
        stmt = stmt.with_for_update()
    row = session.execute(stmt).first()
    return ChainHead(int(row[0]), str(row[1]), origin) if row else None


def append_foreign(
    session: Session, origin: str, label: str, events: Iterable[AuditEvent], now: datetime
) -> ChainHead:
    """Add events of another database's chain as they are (their ids, hashes and positions) and move
    that chain's head here; the caller has checked that they continue it (:func:`lock_head`)."""
    current = lock_head(session, origin)
    if current is None:
        session.add(
            AuditOrigin(
                origin=origin,
                kind="foreign",
                workstation=None,
                label=label[:200],
                created_at=now,
                seq=0,
                hash=GENESIS,
            )
        )
        session.flush()
        current = ChainHead(0, GENESIS, origin)
    last = current
    for e in events:
        session.add(_row(e))
        last = ChainHead(e.seq, e.hash, origin)
    session.execute(
        update(AuditOrigin).where(AuditOrigin.origin == origin).values(seq=last.seq, hash=last.hash)
    )
    return last


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
        id=r.id,
        origin=r.origin,
    )


def chain_events(session: Session, origin: str, after_seq: int = 0) -> Iterator[AuditEvent]:
    """One chain by seq, read in chunks by key (never the whole table in memory)."""
    last = after_seq
    while True:
        rows = list(
            session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.origin == origin, AuditEventRow.seq > last)
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


def event_at(session: Session, origin: str, seq: int) -> AuditEvent | None:
    row = session.scalars(
        select(AuditEventRow).where(AuditEventRow.origin == origin, AuditEventRow.seq == seq)
    ).first()
    return to_event(row) if row is not None else None


def in_order(session: Session) -> Iterator[AuditEvent]:
    """Every event, chain after chain (oldest chain first), each by seq."""
    for o in origins(session):
        yield from chain_events(session, o.head.origin)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    queue: str | None = None
    category: str | None = None
    listing_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None


def search(session: Session, f: AuditFilter, limit: int, before_id: str | None = None) -> list[AuditEvent]:
    """Newest first (by global id, which is time-ordered), at most ``limit``; ``before_id`` pages back."""
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
    if before_id is not None:
        stmt = stmt.where(AuditEventRow.id < before_id)
    rows = session.scalars(stmt.order_by(AuditEventRow.id.desc()).limit(limit))
    return [to_event(r) for r in rows]
