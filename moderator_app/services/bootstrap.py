"""The composition root of the services: which handler runs for which event, in which order.

A decision's data flow reads top-down: ``ReviewService.decide`` records the decision and emits
``DecisionRecorded``; the bus runs, in this order and in the same transaction,
1. the statement of reasons and the outbox (may refuse the decision as incomplete),
2. the strike and the trader's counters,
3. the quality-sampling draw and the decision's audit event.
Nothing calls back up into the service. To add a handler: write ``handler(tx, event)`` in the room of
its feature and register it here.
"""

from __future__ import annotations

from moderator_app.domain.events import DecisionRecorded, DecisionUndone, ItemClaimed, ItemReleased
from moderator_app.domain.supervision.sampling import SupervisionPolicy
from moderator_app.services.access import Access
from moderator_app.services.bus import MessageBus, Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa import decision_effects
from moderator_app.services.review import strikes
from moderator_app.services.review.service import ReviewService
from moderator_app.services.supervision import audit_trail
from moderator_app.services.supervision.sampling import SamplingHandlers
from moderator_app.storage.db import Database


def message_bus(supervision: SupervisionPolicy | None = None) -> MessageBus:
    """``supervision``: the quality-sampling policy (None: the shipped one once accounts exist)."""
    bus = MessageBus()
    sampling = SamplingHandlers(supervision)
    bus.register(ItemClaimed, audit_trail.on_item_claimed)
    bus.register(ItemReleased, audit_trail.on_item_released)
    bus.register(DecisionRecorded, decision_effects.on_decision_recorded)
    bus.register(DecisionRecorded, strikes.on_decision_recorded)
    bus.register(DecisionRecorded, sampling.on_decision_recorded)
    bus.register(DecisionUndone, strikes.on_decision_undone)
    bus.register(DecisionUndone, sampling.on_decision_undone)
    return bus


def review_service(
    db: Database,
    clock: Clock = system_clock,
    access: Access | None = None,
    supervision: SupervisionPolicy | None = None,
) -> ReviewService:
    """A review service over ``db`` whose decisions go through the handlers above."""
    return ReviewService(Transactions(db, message_bus(supervision)), clock, access)
