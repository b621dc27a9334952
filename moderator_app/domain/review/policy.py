"""Rules of the workstation that do not depend on how data is stored.

Routing of flagged listings to queues, their priority, what a decision does to a listing and to the
trader's repeat-offender record, and the time limits (claim lease, undo window, counter window).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from moderator_app.domain.enums import (
    Action,
    FlagSource,
    Ground,
    ListingStatus,
    PolicyCategory,
    Queue,
    StrikeKind,
    TraderStatus,
)

CLAIM_LEASE = timedelta(minutes=10)
"""How long a claimed item stays with its reviewer before it returns to the queue."""

UNDO_WINDOW = timedelta(minutes=5)
"""How long after a decision its reviewer may take it back."""

COUNTER_WINDOW = timedelta(days=90)
"""The recent window of the repeat-offender counters."""

QUEUE_OF_CATEGORY: dict[PolicyCategory, Queue] = {
    PolicyCategory.COUNTERFEIT: Queue.COUNTERFEIT,
    PolicyCategory.UNSAFE_TOY: Queue.PRODUCT_SAFETY,
    PolicyCategory.UNSAFE_ELECTRICAL: Queue.PRODUCT_SAFETY,
    PolicyCategory.PROHIBITED_ITEM: Queue.PRODUCT_SAFETY,
    PolicyCategory.ILLEGAL_MEDICINE: Queue.HEALTH,
    PolicyCategory.UNAPPROVED_SUPPLEMENT: Queue.HEALTH,
    PolicyCategory.HIDDEN_LINK: Queue.HIDDEN_LINKS,
    PolicyCategory.ADULT_CONTENT: Queue.ADULT,
    PolicyCategory.MISLEADING_INFO: Queue.GENERAL,
    PolicyCategory.TRADER_TRACEABILITY: Queue.GENERAL,
    PolicyCategory.OTHER: Queue.GENERAL,
}

GRAVITY: dict[PolicyCategory, int] = {
    PolicyCategory.ILLEGAL_MEDICINE: 40,
    PolicyCategory.UNSAFE_TOY: 35,
    PolicyCategory.PROHIBITED_ITEM: 35,
    PolicyCategory.UNSAFE_ELECTRICAL: 30,
    PolicyCategory.UNAPPROVED_SUPPLEMENT: 25,
    PolicyCategory.HIDDEN_LINK: 20,
    PolicyCategory.ADULT_CONTENT: 20,
    PolicyCategory.COUNTERFEIT: 15,
    PolicyCategory.MISLEADING_INFO: 10,
    PolicyCategory.TRADER_TRACEABILITY: 10,
    PolicyCategory.OTHER: 5,
}
"""How much harm a category can do; higher is reviewed first."""

SOURCE_WEIGHT: dict[FlagSource, int] = {
    FlagSource.AUTHORITY_ORDER: 50,
    FlagSource.TRUSTED_FLAGGER: 30,  # Art 22: trusted flaggers' notices get priority
    FlagSource.USER_NOTICE: 10,
    FlagSource.AUTOMATED: 5,
    FlagSource.OWN_INITIATIVE: 5,
}

RESTRICTING_ACTIONS = frozenset({Action.REMOVE, Action.RESTRICT, Action.WARN})
"""Actions that find a violation: they need a policy category, a ground and an explanation."""


@dataclass(frozen=True, slots=True)
class FlagSignal:
    """What routing and priority need to know of one flag."""

    source: FlagSource
    category: PolicyCategory


def queue_for(flags: Iterable[FlagSignal], listing_category: PolicyCategory | None = None) -> str:
    """The queue of a flagged listing: the queue of its gravest flagged category."""
    cats = [f.category for f in flags]
    if listing_category is not None and not cats:
        cats = [listing_category]
    if not cats:
        return Queue.GENERAL.value
    gravest = max(cats, key=lambda c: (GRAVITY[c], c.value))
    return QUEUE_OF_CATEGORY[gravest].value


def priority_for(flags: Iterable[FlagSignal], repeat_offender: bool = False) -> int:
    """Higher first. Gravity of the worst category, the strongest source, more flags, repeat offenders."""
    flags = list(flags)
    if not flags:
        return 0
    gravity = max(GRAVITY[f.category] for f in flags)
    source = max(SOURCE_WEIGHT[f.source] for f in flags)
    extra = min(len(flags) - 1, 5) * 3
    return gravity + source + extra + (15 if repeat_offender else 0)


def listing_status_after(action: Action, current: ListingStatus) -> ListingStatus:
    if action is Action.REMOVE:
        return ListingStatus.REMOVED
    if action is Action.RESTRICT:
        return ListingStatus.RESTRICTED
    return current


def strike_kind_of(action: Action) -> StrikeKind | None:
    """The repeat-offender record a decision leaves: removals and restrictions are violations."""
    if action in (Action.REMOVE, Action.RESTRICT):
        return StrikeKind.VIOLATION
    if action is Action.WARN:
        return StrikeKind.WARNING
    return None


def status_from_record(current: TraderStatus, warnings: int) -> TraderStatus:
    """The trader status that follows from its warnings, without touching suspensions or terminations.

    Suspension and termination are decided by a supervisor under the Art 23 policy; decisions on single
    listings only move a trader between active and warned.
    """
    if current in (TraderStatus.SUSPENDED, TraderStatus.TERMINATED):
        return current
    return TraderStatus.WARNED if warnings > 0 else TraderStatus.ACTIVE


def missing_for_decision(
    action: Action, category: PolicyCategory | None, ground: Ground | None, explanation: str
) -> list[str]:
    """What a decision still needs before it can be recorded (empty when complete)."""
    missing: list[str] = []
    if action in RESTRICTING_ACTIONS:
        if category is None:
            missing.append("policy category")
        if ground is None:
            missing.append("ground (illegal content or terms of service)")
        if not explanation.strip():
            missing.append("explanation")
    elif action is Action.ESCALATE and not explanation.strip():
        missing.append("explanation (why it needs a supervisor)")
    return missing


def default_ground(category: PolicyCategory) -> Ground:
    """The usual ground for a category; the moderator may choose the other."""
    if category in (
        PolicyCategory.MISLEADING_INFO,
        PolicyCategory.HIDDEN_LINK,
        PolicyCategory.ADULT_CONTENT,
        PolicyCategory.OTHER,
    ):
        return Ground.TERMS_OF_SERVICE
    return Ground.ILLEGAL_CONTENT


def in_window(when: datetime, now: datetime, window: timedelta = COUNTER_WINDOW) -> bool:
    return when >= now - window
