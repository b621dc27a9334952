"""Queue queries and the claim protocol.

Two workstations on one database never get the same item:
- SQLite: the writer holds the database lock (BEGIN IMMEDIATE) and claims with one conditional UPDATE
  whose row count says whether the claim was won;
- PostgreSQL: the next free row is locked with ``FOR UPDATE SKIP LOCKED`` so concurrent claimers pass
  over each other's rows instead of waiting, then updated under that lock.
An item is free when it is open and has no lease or an expired one. Order: priority, then age.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, UnaryExpression, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from moderator_app.domain.enums import ItemState
from moderator_app.domain.review.model import QueueCount
from moderator_app.domain.supervision.sampling import SIDE_QUEUES
from moderator_app.storage.orm import QueueCounter, ReviewItem, as_utc

OPEN = ItemState.OPEN.value


def _free(now: datetime) -> ColumnElement[bool]:
    return and_(
        ReviewItem.state == OPEN,
        or_(ReviewItem.lease_expires_at.is_(None), ReviewItem.lease_expires_at < now),
    )


def _queue_order() -> tuple[UnaryExpression[Any], ...]:
    return (ReviewItem.priority.desc(), ReviewItem.created_at.asc(), ReviewItem.id.asc())


def own_live_claim(
    session: Session, queue: str, reviewer: str, now: datetime, exclude: Collection[int]
) -> int | None:
    """An item this reviewer already holds (after a restart, say), so it is resumed, not lost.

    Reads only the live leases (a handful, through ix_review_items_lease), never the queue itself.
    """
    rows = session.execute(
        select(ReviewItem.id, ReviewItem.queue, ReviewItem.state, ReviewItem.claimed_by)
        .where(ReviewItem.lease_expires_at >= now)
        .order_by(ReviewItem.claimed_at.asc(), ReviewItem.id.asc())
    ).all()
    skip = set(exclude)
    return next(
        (
            item_id
            for item_id, q, state, holder in rows
            if holder == reviewer and q == queue and state == OPEN and item_id not in skip
        ),
        None,
    )


def claim_next(
    session: Session,
    queue: str,
    reviewer: str,
    now: datetime,
    lease: timedelta,
    exclude: Collection[int] = (),
) -> int | None:
    """Claim the first free item of ``queue``; None when the queue has nothing free."""
    pick = (
        select(ReviewItem.id).where(ReviewItem.queue == queue, _free(now)).order_by(*_queue_order()).limit(1)
    )
    if exclude:
        pick = pick.where(ReviewItem.id.not_in(list(exclude)))
    values = {"claimed_by": reviewer, "claimed_at": now, "lease_expires_at": now + lease}
    if session.get_bind().dialect.name == "postgresql":
        item_id = session.scalar(pick.with_for_update(skip_locked=True))
        if item_id is None:
            return None
        session.execute(update(ReviewItem).where(ReviewItem.id == item_id).values(**values))
        return item_id
    # SQLite: one statement, re-checking freedom in the WHERE clause; the row count decides.
    result = session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == pick.scalar_subquery(), _free(now))
        .values(**values)
        .returning(ReviewItem.id)
    )
    return result.scalar_one_or_none()


def claim_item(session: Session, item_id: int, reviewer: str, now: datetime, lease: timedelta) -> bool:
    """Claim (or renew the claim on) one given item; False when it is closed or someone else holds it."""
    stmt = (
        update(ReviewItem)
        .where(
            ReviewItem.id == item_id,
            ReviewItem.state == OPEN,
            or_(
                ReviewItem.claimed_by == reviewer,
                ReviewItem.lease_expires_at.is_(None),
                ReviewItem.lease_expires_at < now,
            ),
        )
        .values(claimed_by=reviewer, claimed_at=now, lease_expires_at=now + lease)
    )
    return cast("CursorResult[Any]", session.execute(stmt)).rowcount == 1


def release(session: Session, item_id: int, reviewer: str) -> bool:
    stmt = (
        update(ReviewItem)
        .where(ReviewItem.id == item_id, ReviewItem.state == OPEN, ReviewItem.claimed_by == reviewer)
        .values(claimed_by=None, claimed_at=None, lease_expires_at=None)
    )
    return cast("CursorResult[Any]", session.execute(stmt)).rowcount == 1


def lock_item(session: Session, item_id: int) -> ReviewItem | None:
    """Load an item for change; on PostgreSQL the row stays locked until the transaction ends."""
    stmt = select(ReviewItem).where(ReviewItem.id == item_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def open_items_per_queue(session: Session) -> list[tuple[str, int]]:
    """(queue, open items) of every queue with open items, by queue name: the sum of its shards."""
    total = func.sum(QueueCounter.open_items)
    rows = session.execute(
        select(QueueCounter.queue, total)
        .group_by(QueueCounter.queue)
        .having(total > 0)
        .order_by(QueueCounter.queue)
    ).all()
    return [(queue, int(n)) for queue, n in rows]


def queue_counts(session: Session, now: datetime) -> list[QueueCount]:
    """Open items per queue from the trigger-kept counters; live claims and backlog age from indexes."""
    open_items = open_items_per_queue(session)
    # Only the lease bound in SQL, so the planner takes ix_review_items_lease (a few live rows) rather than
    # walking a whole queue index; the state is checked here.
    claimed: dict[str, int] = {}
    for queue, state in session.execute(
        select(ReviewItem.queue, ReviewItem.state).where(ReviewItem.lease_expires_at >= now)
    ):
        if state == OPEN:
            claimed[queue] = claimed.get(queue, 0) + 1
    counts = []
    for queue, total in open_items:
        oldest = session.scalar(
            select(func.min(ReviewItem.created_at)).where(ReviewItem.queue == queue, ReviewItem.state == OPEN)
        )
        held = int(claimed.get(queue, 0))
        counts.append(
            QueueCount(queue=queue, pending=int(total) - held, claimed=held, oldest_pending_at=as_utc(oldest))
        )
    return counts


def open_item_for_listing(session: Session, listing_id: int) -> ReviewItem | None:
    """The open item of a listing: the one that reviews the listing itself first, then a complaint or a
    second review of one of its decisions (``appeal`` commands claim complaint items this way)."""
    side_last = case((ReviewItem.queue.in_(SIDE_QUEUES), 1), else_=0)
    return session.scalar(
        select(ReviewItem)
        .where(ReviewItem.listing_id == listing_id, ReviewItem.state == OPEN)
        .order_by(side_last, ReviewItem.priority.desc(), ReviewItem.id)
        .limit(1)
    )


def open_listing_item(session: Session, listing_id: int) -> ReviewItem | None:
    """The open item that reviews the listing itself (not a complaint or a second review of it)."""
    return session.scalar(
        select(ReviewItem)
        .where(
            ReviewItem.listing_id == listing_id,
            ReviewItem.state == OPEN,
            ReviewItem.queue.not_in(SIDE_QUEUES),
        )
        .limit(1)
    )


def items_of_listing(session: Session, listing_id: int) -> list[ReviewItem]:
    return list(
        session.scalars(select(ReviewItem).where(ReviewItem.listing_id == listing_id).order_by(ReviewItem.id))
    )
