"""The outbox: messages owed to notifiers, traders and complainants, recorded once each.

A message about a decision that its reviewer then took back (undo) is never handed out.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import Session

from moderator_app.domain.dsa.model import OutboxKind
from moderator_app.domain.dsa.model import OutboxMessage as OutboxInfo
from moderator_app.storage.dsa.orm_dsa import OutboxMessage
from moderator_app.storage.idempotent import insert_once
from moderator_app.storage.orm import Decision


def add(
    session: Session,
    *,
    dedup_key: str,
    kind: OutboxKind,
    recipient_kind: str,
    recipient_name: str | None,
    recipient_email: str | None,
    subject: str,
    body: str,
    now: datetime,
    decision_id: int | None = None,
    flag_id: int | None = None,
    appeal_id: int | None = None,
    measure_id: int | None = None,
) -> bool:
    """Record a message unless one with the same key exists; True when recorded."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)) is not None:
        return False
    # Two transactions may both find the key free (PostgreSQL): the second one then records nothing.
    session.flush()
    written = insert_once(
        session,
        OutboxMessage,
        "dedup_key",
        {
            "dedup_key": dedup_key[:120],
            "kind": kind.value,
            "recipient_kind": recipient_kind,
            "recipient_name": recipient_name,
            "recipient_email": recipient_email,
            "subject": subject,
            "body": body,
            "decision_id": decision_id,
            "flag_id": flag_id,
            "appeal_id": appeal_id,
            "measure_id": measure_id,
            "created_at": now,
        },
    )
    return written is not None


def _live() -> ColumnElement[bool]:
    """Not about an undone decision."""
    undone = exists().where(and_(Decision.id == OutboxMessage.decision_id, Decision.undone_at.is_not(None)))
    return or_(OutboxMessage.decision_id.is_(None), ~undone)


def messages(
    session: Session, *, only_new: bool, since: datetime | None = None, limit: int | None = None
) -> list[OutboxInfo]:
    stmt = select(OutboxMessage).where(_live()).order_by(OutboxMessage.created_at, OutboxMessage.id)
    if only_new:
        stmt = stmt.where(OutboxMessage.exported_at.is_(None))
    if since is not None:
        stmt = stmt.where(OutboxMessage.created_at >= since)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [info(m) for m in session.scalars(stmt)]


def mark_exported(session: Session, ids: list[int], now: datetime) -> None:
    for start in range(0, len(ids), 500):
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids[start : start + 500]), OutboxMessage.exported_at.is_(None))
            .values(exported_at=now)
        )


def has_live_message(session: Session, kind: OutboxKind, flag_id: int) -> bool:
    return (
        session.scalar(
            select(OutboxMessage.id)
            .where(OutboxMessage.kind == kind.value, OutboxMessage.flag_id == flag_id, _live())
            .limit(1)
        )
        is not None
    )


def info(m: OutboxMessage) -> OutboxInfo:
    return OutboxInfo(
        id=m.id,
        kind=OutboxKind(m.kind),
        recipient_kind=m.recipient_kind,
        recipient_name=m.recipient_name,
        recipient_email=m.recipient_email,
        subject=m.subject,
        body=m.body,
        created_at=m.created_at,
        exported_at=m.exported_at,
        decision_id=m.decision_id,
        flag_id=m.flag_id,
        appeal_id=m.appeal_id,
        measure_id=m.measure_id,
    )
