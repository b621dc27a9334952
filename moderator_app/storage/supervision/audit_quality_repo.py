"""Quality samples: drawing a decision for a second review, withdrawing it on undo, recording outcomes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.domain.enums import ItemState
from moderator_app.domain.supervision.sampling import QUALITY_PRIORITY, QUALITY_QUEUE
from moderator_app.storage.accounts.orm_accounts import QualitySample
from moderator_app.storage.orm import Decision, ReviewItem


def earlier_decisions(session: Session, reviewer: str, before_id: int, cap: int) -> int:
    """How many decisions ``reviewer`` made before this one, counted up to ``cap`` only (reads at most
    ``cap`` index entries of ix_decisions_reviewer_decided, however many decisions there are)."""
    if cap <= 0:
        return 0
    sub = (
        select(Decision.id)
        .where(Decision.reviewer == reviewer, Decision.id != before_id, Decision.undone_at.is_(None))
        .limit(cap)
        .subquery()
    )
    return len(session.execute(select(sub.c.id)).all())


def add_sample(session: Session, decision: Decision, share: Decimal, now: datetime) -> QualitySample:
    item = ReviewItem(
        listing_id=decision.listing_id,
        queue=QUALITY_QUEUE,
        priority=QUALITY_PRIORITY,
        state=ItemState.OPEN.value,
        created_at=now,
    )
    session.add(item)
    session.flush()
    sample = QualitySample(
        decision_id=decision.id,
        item_id=item.id,
        moderator=decision.reviewer,
        action=decision.action,
        category=decision.category,
        share=str(share),
        sampled_at=now,
        note="",
    )
    session.add(sample)
    return sample


def sample_of_decision(session: Session, decision_id: int) -> QualitySample | None:
    return session.scalar(select(QualitySample).where(QualitySample.decision_id == decision_id))


def sample_of_item(session: Session, item_id: int) -> QualitySample | None:
    return session.scalar(select(QualitySample).where(QualitySample.item_id == item_id))


def withdraw(session: Session, sample: QualitySample) -> None:
    """The decision was undone: its second review has nothing left to review."""
    item = session.get_one(ReviewItem, sample.item_id)
    session.delete(sample)
    session.flush()
    session.delete(item)


def samples(session: Session, start: datetime | None, end: datetime | None) -> list[QualitySample]:
    stmt = select(QualitySample)
    if start is not None:
        stmt = stmt.where(QualitySample.sampled_at >= start)
    if end is not None:
        stmt = stmt.where(QualitySample.sampled_at < end)
    return list(session.scalars(stmt.order_by(QualitySample.id)))
