"""Domain events: what a use case changed, told to the handlers that do the rest in the same
transaction (statement of reasons, strikes and counters, quality sampling, the audit log).

A service records its own change and emits one of these through its unit of work; the message bus
built in the composition root (services/bootstrap.py) hands it to the handlers registered for its
type, in order, before the transaction commits. A handler that raises rolls the whole change back
(an incomplete statement of reasons refuses the decision). Events carry ids and values, never rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from moderator_app.domain.dsa.model import StatementAmendment
from moderator_app.domain.enums import Action, ListingStatus, PolicyCategory


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every domain event."""


@dataclass(frozen=True, slots=True)
class ItemClaimed(Event):
    item_id: int
    listing_id: int
    queue: str
    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ItemReleased(Event):
    item_id: int
    listing_id: int
    queue: str
    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DecisionRecorded(Event):
    """A moderator's decision on a listing's review item is written (the decision row, the listing's new
    status, the closed item and, for an escalation, the follow-up item)."""

    decision_id: int
    puid: str
    item_id: int
    listing_id: int
    trader_id: int
    queue: str
    action: Action
    category: PolicyCategory | None
    reviewer: str
    listing_status_before: ListingStatus
    listing_status_after: ListingStatus
    at: datetime
    statement: StatementAmendment | None = None
    managed: bool = False
    """The database has accounts (sampling needs a supervisor other than the reviewer)."""


@dataclass(frozen=True, slots=True)
class DecisionUndone(Event):
    """A decision was taken back by its reviewer within the undo window: the listing and the item are
    as they were before it."""

    decision_id: int
    item_id: int
    listing_id: int
    trader_id: int
    queue: str
    action: Action
    category: PolicyCategory | None
    reviewer: str
    listing_status_before: ListingStatus
    at: datetime
