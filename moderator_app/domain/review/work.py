"""Kinds of work items (issue 9): each kind has its own claim and decide use case.

A review item is one of four kinds, told apart by its queue:

- ``listing``: a flagged listing to decide (``ReviewService.claim_next`` / ``decide``);
- ``escalation``: a listing a moderator escalated, decided the same way by a supervisor (``escalated``);
- ``complaint``: a complaint against a decision (``AppealService.claim_next`` / ``decide``, ``appeals``);
- ``second_review``: a sampled decision to agree with or overturn (``QualityService``, ``quality``).

The internal queues are made only by the workstation itself: no import line and no routing rule may
name them (a listing put into ``appeals`` would be a "complaint" without a complaint).
"""

from __future__ import annotations

from enum import StrEnum

from moderator_app.domain.enums import Queue
from moderator_app.domain.supervision.sampling import APPEALS_QUEUE, QUALITY_QUEUE


class WorkKind(StrEnum):
    LISTING = "listing"
    ESCALATION = "escalation"
    COMPLAINT = "complaint"
    SECOND_REVIEW = "second_review"


_INTERNAL = {
    Queue.ESCALATED.value: WorkKind.ESCALATION,
    APPEALS_QUEUE: WorkKind.COMPLAINT,
    QUALITY_QUEUE: WorkKind.SECOND_REVIEW,
}

INTERNAL_QUEUES = frozenset(_INTERNAL)
"""Queues the workstation fills itself; imports and routing rules may never name them."""

LISTING_KINDS = frozenset({WorkKind.LISTING, WorkKind.ESCALATION})
"""What the listing-review path (the review window, ``next``, ``decide``) hands out and decides."""


def kind_of_queue(queue: str) -> WorkKind:
    return _INTERNAL.get(queue, WorkKind.LISTING)


def wrong_path(queue: str) -> str | None:
    """Why the listing-review path may not claim or decide an item of ``queue`` (None: it may)."""
    kind = kind_of_queue(queue)
    if kind is WorkKind.COMPLAINT:
        return (
            f"the queue {queue} holds complaints, not listings: take them with 'appeal next', "
            "then uphold or reverse them (appeal decide)"
        )
    if kind is WorkKind.SECOND_REVIEW:
        return (
            f"the queue {queue} holds second reviews of decisions: a supervisor agrees with or overturns "
            "them (quality review); they are not decided as listings"
        )
    return None


def internal_queue_problem(queue: str) -> str | None:
    """Why an import line or a routing rule may not name ``queue`` (None: it may)."""
    if queue.strip().lower() in INTERNAL_QUEUES:
        return f"the queue {queue!r} is internal (filled by the workstation itself); name another queue"
    return None
