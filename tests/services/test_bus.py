"""The decision path as events and handlers: handlers run in the decision's own transaction, in the
order the composition root registered them, and one that fails takes the whole decision with it."""

from __future__ import annotations

import pytest

from moderator_app.domain.enums import Action, Ground, ItemState, ListingStatus, PolicyCategory
from moderator_app.domain.events import DecisionRecorded, Event, ItemClaimed
from moderator_app.services.bootstrap import message_bus
from moderator_app.services.bus import MessageBus, Transactions
from moderator_app.services.review.service import ReviewService
from moderator_app.services.workstation import Workstation
from moderator_app.storage.unit_of_work import UnitOfWork
from tests.services.dsa.helpers import flag, make_trader

GROUND = Ground.ILLEGAL_CONTENT


class Boom(Exception):
    pass


def test_a_failing_handler_rolls_the_whole_decision_back(ws: Workstation) -> None:
    t = make_trader(ws, listings=1)
    flag(ws, t.listing_ids[0])
    bus = message_bus()

    def refuse(_tx: UnitOfWork, _e: DecisionRecorded) -> None:
        raise Boom("the last handler refuses")

    bus.register(DecisionRecorded, refuse)  # after the statement, strike, sampling and audit handlers
    review = ReviewService(Transactions(ws.db, bus), ws.clock, ws.access)
    item = review.claim_listing(t.listing_ids[0], "ana")
    with pytest.raises(Boom):
        review.decide(
            item.id, "ana", Action.REMOVE, PolicyCategory.UNSAFE_TOY, GROUND, explanation="No CE mark."
        )

    detail = ws.lookup.listing(t.listing_ids[0])
    assert detail.decisions == []
    assert detail.listing.status is ListingStatus.LIVE
    assert ws.review.claim_listing(t.listing_ids[0], "ana").state is ItemState.OPEN
    trader = ws.lookup.trader(t.trader_id)
    assert trader.counters.violations_total == 0  # the strike handler's write went too
    assert [m for m in ws.dsa.outbox.messages() if m.decision_id is not None] == []


def test_handlers_run_in_registration_order_and_see_the_change_and_each_others_events(
    ws: Workstation,
) -> None:
    t = make_trader(ws, listings=1)
    flag(ws, t.listing_ids[0])
    seen: list[str] = []

    class Followed(Event):
        pass

    bus = MessageBus()

    def first(tx: UnitOfWork, e: ItemClaimed) -> None:
        item = tx.items.get(e.item_id)
        assert item is not None and item.claimed_by == "ana"  # the service's change, not yet committed
        seen.append("first")
        tx.emit(Followed())

    bus.register(ItemClaimed, first)
    bus.register(ItemClaimed, lambda _tx, _e: seen.append("second"))
    bus.register(Followed, lambda _tx, _e: seen.append("followed"))
    ReviewService(Transactions(ws.db, bus), ws.clock, ws.access).claim_listing(t.listing_ids[0], "ana")
    assert seen == ["first", "second", "followed"]


def test_the_composition_root_wires_every_decision_effect(ws: Workstation) -> None:
    """Through the workstation: one decision gives its statement, the trader's strike and the audit
    event, all from handlers."""
    t = make_trader(ws, listings=1)
    flag(ws, t.listing_ids[0])
    item = ws.review.claim_listing(t.listing_ids[0], "ana")
    d = ws.review.decide(
        item.id, "ana", Action.REMOVE, PolicyCategory.UNSAFE_TOY, GROUND, explanation="No CE mark."
    )
    assert ws.dsa.statements.of_decision(d.id) is not None
    assert ws.lookup.trader(t.trader_id).counters.violations_total == 1
    actions = [e.action for e in ws.audit.events("ana")]
    assert actions.count("decide") == 1 and actions.count("claim") == 1
