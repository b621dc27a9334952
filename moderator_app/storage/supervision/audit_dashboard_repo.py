"""Queries behind the supervisor dashboard and quality figures (read-only, one report at a time).

Backlog figures read the trigger-kept queue counters and the (queue, state, created_at) index; figures
over a period read the decisions of that period through ix_decisions_decided_at.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa.model import AppealStatus
from moderator_app.domain.enums import Action, ItemState
from moderator_app.domain.supervision.dashboard import CategoryAction
from moderator_app.domain.supervision.sampling import (
    QUALITY_QUEUE,
    ModelRecord,
    QualityOutcome,
    QualityStats,
    Rate,
)
from moderator_app.storage.accounts.orm_accounts import QualitySample
from moderator_app.storage.dsa.orm_dsa import Appeal
from moderator_app.storage.orm import Decision, Flag, ReviewItem, as_utc
from moderator_app.storage.predictions.orm_predictions import (
    DecisionFinding,
    DecisionPrediction,
    ListingScan,
    Prediction,
    TextFindingRow,
)
from moderator_app.storage.review.review_repo import open_items_per_queue

OPEN = ItemState.OPEN.value
VIOLATION = {Action.REMOVE.value, Action.RESTRICT.value, Action.WARN.value}


def open_quality_items_of(session: Session, reviewer: str) -> list[int]:
    """Open quality items that review ``reviewer``'s own decisions (they never get them)."""
    return list(
        session.scalars(
            select(QualitySample.item_id)
            .join(ReviewItem, ReviewItem.id == QualitySample.item_id)
            .where(QualitySample.moderator == reviewer, ReviewItem.state == OPEN)
        )
    )


# -- backlog ---------------------------------------------------------------------------------------------


def backlog(
    session: Session, now: datetime, sla_of: dict[str, timedelta], default_sla: timedelta
) -> list[tuple[str, int, int, datetime | None, timedelta, int]]:
    counts = open_items_per_queue(session)
    claimed: dict[str, int] = defaultdict(int)
    for queue, state in session.execute(
        select(ReviewItem.queue, ReviewItem.state).where(ReviewItem.lease_expires_at >= now)
    ):
        if state == OPEN:
            claimed[queue] += 1
    out = []
    for queue, total in counts:
        sla = sla_of.get(queue, default_sla)
        in_queue = and_(ReviewItem.queue == queue, ReviewItem.state == OPEN)
        oldest = session.scalar(select(func.min(ReviewItem.created_at)).where(in_queue))
        late = session.scalar(
            select(func.count()).select_from(ReviewItem).where(in_queue, ReviewItem.created_at < now - sla)
        )
        out.append((queue, int(total), claimed[queue], as_utc(oldest), sla, int(late or 0)))
    return out


# -- decisions of a period -------------------------------------------------------------------------------


def _standing(start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    return and_(Decision.decided_at >= start, Decision.decided_at < end, Decision.undone_at.is_(None))


def decision_times(session: Session, start: datetime, end: datetime) -> list[datetime]:
    rows = session.scalars(select(Decision.decided_at).where(_standing(start, end)))
    return [as_utc(r) for r in rows]  # type: ignore[misc]


def by_category_action(session: Session, start: datetime, end: datetime) -> list[CategoryAction]:
    rows = session.execute(
        select(Decision.category, Decision.action, func.count())
        .where(_standing(start, end))
        .group_by(Decision.category, Decision.action)
    ).all()
    out = [CategoryAction(cat or "", action, int(n)) for cat, action, n in rows]
    return sorted(out, key=lambda c: (-c.decisions, c.category, c.action))


def flag_to_decision(session: Session, start: datetime, end: datetime) -> list[timedelta]:
    """For each standing decision of the period (escalations excepted): decided_at minus the first flag
    on its listing received before it."""
    first_flag = (
        select(func.min(Flag.received_at))
        .where(Flag.listing_id == Decision.listing_id, Flag.received_at <= Decision.decided_at)
        .correlate(Decision)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Decision.decided_at, first_flag).where(
            _standing(start, end), Decision.action != Action.ESCALATE.value
        )
    ).all()
    out = []
    for decided, flagged in rows:
        if flagged is not None:
            out.append(as_utc(decided) - as_utc(flagged))  # type: ignore[operator]
    return out


def appeals_decided(session: Session, start: datetime, end: datetime) -> tuple[int, int]:
    rows = session.execute(
        select(Appeal.status, func.count())
        .where(Appeal.decided_at >= start, Appeal.decided_at < end)
        .group_by(Appeal.status)
    ).all()
    by = {status: int(n) for status, n in rows}
    decided = by.get(AppealStatus.UPHELD.value, 0) + by.get(AppealStatus.REVERSED.value, 0)
    return decided, by.get(AppealStatus.REVERSED.value, 0)


# -- quality ---------------------------------------------------------------------------------------------


def quality_stats(session: Session, start: datetime | None, end: datetime | None) -> QualityStats:
    """Agreement of second reviews (by the time of the sample), per moderator and per category; and per
    model, how its flags fared on the decisions of the same period."""
    stmt = select(QualitySample.moderator, QualitySample.category, QualitySample.outcome)
    if start is not None:
        stmt = stmt.where(QualitySample.sampled_at >= start)
    if end is not None:
        stmt = stmt.where(QualitySample.sampled_at < end)
    sampled = pending = 0
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    mods: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for moderator, category, outcome in session.execute(stmt):
        sampled += 1
        if outcome is None:
            pending += 1
            continue
        agree = int(outcome == QualityOutcome.AGREE.value)
        for bucket in (totals["all"], mods[moderator], cats[category or ""]):
            bucket[0] += 1
            bucket[1] += agree
    all_ = totals["all"]
    return QualityStats(
        sampled=sampled,
        pending=pending,
        overall=Rate(all_[0], all_[1]),
        by_moderator={k: Rate(*v) for k, v in sorted(mods.items())},
        by_category={k: Rate(*v) for k, v in sorted(cats.items())},
        models=tuple(model_records(session, start, end)),
    )


def _reversed_later(session: Session, decision_ids: set[int]) -> set[int]:
    if not decision_ids:
        return set()
    ids = sorted(decision_ids)
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        out |= set(
            session.scalars(
                select(QualitySample.decision_id).where(
                    QualitySample.decision_id.in_(chunk),
                    QualitySample.outcome == QualityOutcome.OVERTURN.value,
                )
            )
        )
        out |= set(
            session.scalars(
                select(Appeal.decision_id).where(
                    Appeal.decision_id.in_(chunk), Appeal.status == AppealStatus.REVERSED.value
                )
            )
        )
    return out


def model_records(session: Session, start: datetime | None, end: datetime | None) -> list[ModelRecord]:
    """Per model (and text rule): decisions where it flagged the listing, and how they stood."""
    period = [Decision.undone_at.is_(None), Decision.action != Action.ESCALATE.value]
    if start is not None:
        period.append(Decision.decided_at >= start)
    if end is not None:
        period.append(Decision.decided_at < end)
    flagged: dict[str, dict[int, str]] = defaultdict(dict)  # model -> decision id -> action
    preds = session.execute(
        select(Prediction.model_id, Decision.id, Decision.action)
        .join(DecisionPrediction, DecisionPrediction.prediction_id == Prediction.id)
        .join(Decision, Decision.id == DecisionPrediction.decision_id)
        .where(
            *period,
            Prediction.error.is_(None),
            Prediction.score.is_not(None),
            Prediction.threshold.is_not(None),
            Prediction.score >= Prediction.threshold,
        )
    )
    for model, did, action in preds:
        flagged[model][did] = action
    rules = session.execute(
        select(TextFindingRow.rule_id, Decision.id, Decision.action)
        .join(DecisionFinding, DecisionFinding.finding_id == TextFindingRow.id)
        .join(ListingScan, ListingScan.id == TextFindingRow.scan_id)
        .join(Decision, Decision.id == DecisionFinding.decision_id)
        .where(*period)
    )
    for rule, did, action in rules:
        flagged[f"text rule {rule}"][did] = action
    reversed_ = _reversed_later(session, {d for m in flagged.values() for d in m})
    out = []
    for model, decisions in sorted(flagged.items()):
        # a violation that stands, or a 'no violation' found wrong later: the flag was right
        confirmed = sum(1 for d, a in decisions.items() if (a in VIOLATION) != (d in reversed_))
        out.append(ModelRecord(model, len(decisions), confirmed, len(decisions) - confirmed))
    return out


def quality_queue_open(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReviewItem)
            .where(ReviewItem.queue == QUALITY_QUEUE, ReviewItem.state == OPEN)
        )
        or 0
    )
