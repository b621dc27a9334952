"""Account measures (Art 23): the record they are decided on, the measures, and what they restrict.

The trader's status follows from the measures in force and, below them, from the strikes through the
one counter code path (:func:`decision_repo.refresh_trader_counters`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa.model import MeasureInfo, MeasureStep, SubjectKind
from moderator_app.domain.dsa.repeat_offender import MeasureFact, StrikeFact
from moderator_app.domain.enums import Ground, ListingStatus, PolicyCategory, StrikeKind, TraderStatus
from moderator_app.storage.dsa.orm_dsa import AccountMeasure, MeasureListing, Statement
from moderator_app.storage.orm import Decision, Listing, Strike, Trader
from moderator_app.storage.review import decision_repo


def strike_facts(session: Session, trader_id: int, since: datetime | None = None) -> list[StrikeFact]:
    """Standing violation strikes of the trader for illegal content (what Art 23(1) counts)."""
    stmt = (
        select(Strike.id, Strike.listing_id, Strike.category, Strike.created_at)
        .join(Decision, Decision.id == Strike.decision_id)
        .where(
            Strike.trader_id == trader_id,
            Strike.kind == StrikeKind.VIOLATION.value,
            Strike.revoked_at.is_(None),
            Decision.ground == Ground.ILLEGAL_CONTENT.value,
        )
        .order_by(Strike.created_at, Strike.id)
    )
    if since is not None:
        stmt = stmt.where(Strike.created_at >= since)
    return [
        StrikeFact(sid, lid, PolicyCategory(cat) if cat else None, when)
        for sid, lid, cat, when in session.execute(stmt)
    ]


def warning_times(session: Session, trader_id: int) -> list[datetime]:
    """When the trader's standing warnings on single listings (WARN decisions) were given."""
    return list(
        session.scalars(
            select(Strike.created_at).where(
                Strike.trader_id == trader_id,
                Strike.kind == StrikeKind.WARNING.value,
                Strike.revoked_at.is_(None),
            )
        )
    )


def traders_with_strikes_since(session: Session, since: datetime) -> list[int]:
    return list(
        session.scalars(
            select(Strike.trader_id)
            .where(
                Strike.kind == StrikeKind.VIOLATION.value,
                Strike.revoked_at.is_(None),
                Strike.created_at >= since,
            )
            .group_by(Strike.trader_id)
            .order_by(Strike.trader_id)
        )
    )


def measures_of_trader(session: Session, trader_id: int) -> list[AccountMeasure]:
    return list(
        session.scalars(
            select(AccountMeasure)
            .where(
                AccountMeasure.subject_kind == SubjectKind.TRADER.value, AccountMeasure.trader_id == trader_id
            )
            .order_by(AccountMeasure.created_at, AccountMeasure.id)
        )
    )


def measures_of_subject(session: Session, kind: SubjectKind, key: str) -> list[AccountMeasure]:
    return list(
        session.scalars(
            select(AccountMeasure)
            .where(AccountMeasure.subject_kind == kind.value, AccountMeasure.subject_key == key)
            .order_by(AccountMeasure.created_at, AccountMeasure.id)
        )
    )


def facts(measures: list[AccountMeasure]) -> list[MeasureFact]:
    return [
        MeasureFact(MeasureStep(m.step), m.created_at, m.revoked_at is not None, m.lifted_at is not None)
        for m in measures
    ]


def listings_total(session: Session, trader_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Listing).where(Listing.trader_id == trader_id)) or 0
    )


def in_force(m: AccountMeasure, now: datetime) -> bool:
    if m.revoked_at is not None or m.lifted_at is not None:
        return False
    return m.ends_at is None or m.ends_at > now


def add(
    session: Session,
    *,
    kind: SubjectKind,
    step: MeasureStep,
    trader_id: int | None,
    subject_key: str | None,
    ends_at: datetime | None,
    reason: str,
    factors: dict[str, Any],
    actor: str,
    now: datetime,
) -> AccountMeasure:
    m = AccountMeasure(
        subject_kind=kind.value,
        trader_id=trader_id,
        subject_key=subject_key,
        step=step.value,
        starts_at=now,
        ends_at=ends_at,
        reason=reason,
        factors=json.dumps(factors, ensure_ascii=False, sort_keys=True),
        confirmed_by=actor,
        created_at=now,
    )
    session.add(m)
    session.flush()
    return m


def restrict_live_listings(
    session: Session, measure: AccountMeasure, trader_id: int, to: ListingStatus
) -> int:
    """Restrict (or remove) every live listing of the trader, remembering each one's status."""
    live = list(
        session.scalars(
            select(Listing).where(Listing.trader_id == trader_id, Listing.status == ListingStatus.LIVE.value)
        )
    )
    for listing in live:
        session.add(
            MeasureListing(measure_id=measure.id, listing_id=listing.id, status_before=listing.status)
        )
        listing.status = to.value
    session.flush()
    return len(live)


def restore_listings(session: Session, measure: AccountMeasure) -> int:
    """Put back the listings a measure restricted, unless something else has changed them since."""
    to = ListingStatus.REMOVED if measure.step == MeasureStep.TERMINATION.value else ListingStatus.RESTRICTED
    restored = 0
    for link in session.scalars(select(MeasureListing).where(MeasureListing.measure_id == measure.id)):
        listing = session.get_one(Listing, link.listing_id)
        if listing.status == to.value:
            listing.status = link.status_before
            restored += 1
    return restored


def apply_status(session: Session, trader: Trader, now: datetime) -> None:
    """The trader's status from the measures in force, else from the strikes (the counter path)."""
    measures = [m for m in measures_of_trader(session, trader.id) if in_force(m, now)]
    if any(m.step == MeasureStep.TERMINATION.value for m in measures):
        trader.status, trader.suspended_until = TraderStatus.TERMINATED.value, None
        return
    suspensions = [m for m in measures if m.step == MeasureStep.SUSPENSION.value]
    if suspensions:
        trader.status = TraderStatus.SUSPENDED.value
        trader.suspended_until = max(m.ends_at for m in suspensions if m.ends_at is not None)
        return
    trader.status, trader.suspended_until = TraderStatus.ACTIVE.value, None
    decision_repo.refresh_trader_counters(session, trader)
    if any(m.step == MeasureStep.WARNING.value for m in measures):
        trader.status = TraderStatus.WARNED.value


def expired_suspensions(session: Session, now: datetime) -> list[AccountMeasure]:
    return list(
        session.scalars(
            select(AccountMeasure).where(
                AccountMeasure.step == MeasureStep.SUSPENSION.value,
                AccountMeasure.revoked_at.is_(None),
                AccountMeasure.lifted_at.is_(None),
                AccountMeasure.ends_at <= now,
            )
        )
    )


def info(session: Session, m: AccountMeasure) -> MeasureInfo:
    affected = int(
        session.scalar(
            select(func.count()).select_from(MeasureListing).where(MeasureListing.measure_id == m.id)
        )
        or 0
    )
    puid = session.scalar(select(Statement.puid).where(Statement.measure_id == m.id))
    return MeasureInfo(
        id=m.id,
        subject_kind=SubjectKind(m.subject_kind),
        trader_id=m.trader_id,
        subject_key=m.subject_key,
        step=MeasureStep(m.step),
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        reason=m.reason,
        factors=json.loads(m.factors),
        confirmed_by=m.confirmed_by,
        created_at=m.created_at,
        revoked_at=m.revoked_at,
        revoked_reason=m.revoked_reason,
        lifted_at=m.lifted_at,
        listings_affected=affected,
        statement_puid=puid,
    )
