"""Complaints (Art 20): each waits as a review item in the "appeals" queue (the claim machinery serves it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa.appeals import APPEAL_PRIORITY
from moderator_app.domain.dsa.model import APPEALS_QUEUE, AppealInfo, AppealStatus, AppellantKind
from moderator_app.domain.enums import Action, ItemState
from moderator_app.storage.dsa.orm_dsa import Appeal
from moderator_app.storage.orm import Decision, Listing, ReviewItem


def add(
    session: Session,
    decision: Decision,
    *,
    kind: AppellantKind,
    appellant: str | None,
    email: str | None,
    key: str | None,
    reason: str,
    received_at: datetime,
    actor: str,
    now: datetime,
) -> Appeal:
    item = ReviewItem(
        listing_id=decision.listing_id,
        queue=APPEALS_QUEUE,
        priority=APPEAL_PRIORITY,
        state=ItemState.OPEN.value,
        created_at=now,
    )
    session.add(item)
    session.flush()
    appeal = Appeal(
        decision_id=decision.id,
        item_id=item.id,
        appellant_kind=kind.value,
        appellant=appellant,
        appellant_email=email,
        appellant_key=key,
        reason=reason.strip(),
        received_at=received_at,
        entered_by=actor,
        status=AppealStatus.OPEN.value,
    )
    session.add(appeal)
    session.flush()
    return appeal


def info(session: Session, a: Appeal) -> AppealInfo:
    d = session.get_one(Decision, a.decision_id)
    ext = session.scalar(select(Listing.external_id).where(Listing.id == d.listing_id)) or ""
    return AppealInfo(
        id=a.id,
        gid=a.gid,
        decision_id=d.id,
        decision_puid=d.puid,
        listing_id=d.listing_id,
        listing_external_id=ext,
        item_id=a.item_id,
        original_action=Action(d.action),
        original_reviewer=d.reviewer,
        appellant_kind=AppellantKind(a.appellant_kind),
        appellant=a.appellant,
        reason=a.reason,
        received_at=a.received_at,
        status=AppealStatus(a.status),
        decided_by=a.decided_by,
        decided_at=a.decided_at,
        outcome_reason=a.outcome_reason,
        manifestly_unfounded=a.unfounded,
    )


def decision_by_ref(session: Session, ref: int | str) -> Decision | None:
    """A decision by its number or its puid."""
    text = str(ref).strip()
    found = session.get(Decision, int(text)) if text.isdigit() else None
    return found or session.scalar(select(Decision).where(Decision.puid == text))


def by_item(session: Session, item_id: int) -> Appeal | None:
    return session.scalar(select(Appeal).where(Appeal.item_id == item_id))


def listed(session: Session, status: AppealStatus | None, limit: int) -> list[Appeal]:
    stmt = select(Appeal).order_by(Appeal.received_at, Appeal.id).limit(limit)
    if status is not None:
        stmt = stmt.where(Appeal.status == status.value)
    return list(session.scalars(stmt))


def open_items_against(session: Session, reviewer: str) -> list[int]:
    """Open complaint items against this reviewer's own decisions (they must not be handed to them)."""
    return list(
        session.scalars(
            select(Appeal.item_id)
            .join(Decision, Decision.id == Appeal.decision_id)
            .where(
                Appeal.status == AppealStatus.OPEN.value, func.lower(Decision.reviewer) == reviewer.lower()
            )
        )
    )


def open_appeal_of_decision(session: Session, decision_id: int) -> Appeal | None:
    return session.scalar(
        select(Appeal)
        .where(Appeal.decision_id == decision_id, Appeal.status == AppealStatus.OPEN.value)
        .limit(1)
    )


def complainant_record(session: Session, key: str, since: datetime) -> tuple[int, list[datetime], str | None]:
    """(complaints, when each unfounded one was decided so, a name) since ``since``."""
    rows = session.execute(
        select(Appeal.appellant, Appeal.unfounded, Appeal.decided_at).where(
            Appeal.appellant_key == key, Appeal.received_at >= since
        )
    ).all()
    name = next((n for n, _, _ in rows if n), None)
    return len(rows), [d for _, u, d in rows if u and d is not None], name
