"""Decisions, strikes and the trader counters they drive, written in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa.model import MeasureStep, SubjectKind
from moderator_app.domain.enums import StrikeKind, TraderStatus
from moderator_app.domain.review.model import TraderCounters
from moderator_app.domain.review.policy import status_from_record
from moderator_app.storage.dsa.orm_dsa import AccountMeasure
from moderator_app.storage.orm import Decision, Listing, Strike, Trader, as_utc


def new_puid() -> str:
    """Stable platform id of a decision (the Transparency Database's ``puid``): [a-zA-Z0-9-]."""
    return "mw-" + uuid.uuid4().hex


def refresh_trader_counters(session: Session, trader: Trader) -> None:
    """Recount the stored counters from the trader's standing strikes.

    One code path for decisions, undos and (later) reversals on appeal, so the stored figures can never
    drift from the record they summarise.

    On PostgreSQL the trader's row is locked first: two workstations deciding on listings of the same
    trader at once would otherwise each count the strikes their own snapshot sees and the last to commit
    would store a figure without the other's strike. Under the lock the count (a new statement, READ
    COMMITTED) sees every strike committed before it. SQLite has one writer at a time anyway.
    """
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # FOR NO KEY UPDATE (what an UPDATE of the counters takes anyway): FOR UPDATE would also wait for
        # the key-share locks the decision's and strike's foreign keys hold, and deadlock two deciders.
        session.execute(select(Trader.id).where(Trader.id == trader.id).with_for_update(key_share=True))
    rows = session.execute(
        select(Strike.kind, func.count(), func.max(Strike.created_at))
        .where(Strike.trader_id == trader.id, Strike.revoked_at.is_(None))
        .group_by(Strike.kind)
    ).all()
    by_kind = {kind: (int(count), last) for kind, count, last in rows}
    violations, last = by_kind.get(StrikeKind.VIOLATION.value, (0, None))
    warnings, _ = by_kind.get(StrikeKind.WARNING.value, (0, None))
    trader.violations_total = violations
    trader.warnings_total = warnings
    trader.last_violation_at = as_utc(last)
    standing = warnings + policy_warnings_in_force(session, trader.id)
    trader.status = status_from_record(TraderStatus(trader.status), standing).value


def policy_warnings_in_force(session: Session, trader_id: int) -> int:
    """Art 23 warnings a supervisor confirmed for the trader and nobody revoked or lifted: a trader so
    warned stays "warned" like one with a warning strike."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(AccountMeasure)
            .where(
                AccountMeasure.trader_id == trader_id,
                AccountMeasure.subject_kind == SubjectKind.TRADER.value,
                AccountMeasure.step == MeasureStep.WARNING.value,
                AccountMeasure.revoked_at.is_(None),
                AccountMeasure.lifted_at.is_(None),
            )
        )
        or 0
    )


def violations_since(session: Session, trader_id: int, since: datetime) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Strike)
            .where(
                Strike.trader_id == trader_id,
                Strike.kind == StrikeKind.VIOLATION.value,
                Strike.revoked_at.is_(None),
                Strike.created_at >= since,
            )
        )
        or 0
    )


def counters_of(session: Session, trader: Trader, now: datetime, window: timedelta) -> TraderCounters:
    return TraderCounters(
        violations_90d=violations_since(session, trader.id, now - window),
        violations_total=trader.violations_total,
        warnings=trader.warnings_total,
        status=TraderStatus(trader.status),
        last_violation_at=trader.last_violation_at,
    )


def recent_decisions(session: Session, trader_id: int, limit: int) -> list[tuple[Decision, str]]:
    rows = session.execute(
        select(Decision, Listing.external_id)
        .join(Listing, Listing.id == Decision.listing_id)
        .where(Decision.trader_id == trader_id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(limit)
    ).all()
    return [(d, ext) for d, ext in rows]


def strike_of_decision(session: Session, decision_id: int) -> Strike | None:
    return session.scalar(select(Strike).where(Strike.decision_id == decision_id))
