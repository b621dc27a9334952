"""Claims, decisions, undo: what a moderator and a supervisor would notice."""

from __future__ import annotations

import pytest

from moderator_app.domain.enums import Action, Ground, ItemState, ListingStatus, PolicyCategory, TraderStatus
from moderator_app.domain.errors import (
    AlreadyDecided,
    ClaimLost,
    IncompleteDecision,
    UndoNotAllowed,
)
from moderator_app.services.workstation import Workstation
from tests.conftest import FakeClock
from tests.factories import seed

REMOVE = (Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Loose magnets, no CE mark.")


def test_claims_follow_priority_then_age(ws: Workstation) -> None:
    data = seed(ws, listings=4, priorities=[10, 50, 10, 50])
    held: list[int] = []
    for _ in range(4):  # one reviewer prefetching: each claim excludes what they already hold
        case = ws.review.claim_next("general", "ana", exclude=held)
        assert case is not None
        held.append(case.item.id)
    assert held == [data.item_ids[1], data.item_ids[3], data.item_ids[0], data.item_ids[2]]
    assert ws.review.claim_next("general", "ana", exclude=held) is None


def test_two_reviewers_never_get_the_same_item_and_expired_leases_return(
    ws: Workstation, clock: FakeClock
) -> None:
    data = seed(ws, listings=2)
    a = ws.review.claim_next("general", "ana")
    b = ws.review.claim_next("general", "ben")
    assert a and b and a.item.id != b.item.id
    assert ws.review.claim_next("general", "cleo") is None
    counts = {c.queue: c for c in ws.review.queue_counts()}
    assert (counts["general"].pending, counts["general"].claimed) == (0, 2)

    clock.advance(minutes=11)  # ana's and ben's leases (10 minutes) run out
    c = ws.review.claim_next("general", "cleo")
    assert c is not None and c.item.id == data.item_ids[0]
    with pytest.raises(ClaimLost, match="claimed by cleo"):
        ws.review.decide(a.item.id, "ana", *REMOVE)


def test_a_reviewer_gets_back_the_item_they_already_hold(ws: Workstation) -> None:
    seed(ws, listings=3)
    first = ws.review.claim_next("general", "ana")
    again = ws.review.claim_next("general", "ana")  # e.g. after the window was closed and reopened
    assert first and again and again.item.id == first.item.id
    other = ws.review.claim_next("general", "ana", exclude=[first.item.id])  # prefetching
    assert other and other.item.id != first.item.id


def test_a_decision_changes_listing_item_trader_in_one_go(ws: Workstation) -> None:
    seed(ws, traders=1, listings=2)
    case = ws.review.claim_next("general", "ana")
    assert case is not None
    decision = ws.review.decide(case.item.id, "ana", *REMOVE)

    listing = ws.lookup.listing(case.listing.external_id)
    assert listing.listing.status is ListingStatus.REMOVED
    assert [i.state for i in listing.items] == [ItemState.DECIDED]
    assert [d.id for d in listing.decisions] == [decision.id]
    counters = ws.lookup.counters(case.trader.trader.external_id)
    assert (counters.violations_90d, counters.violations_total, counters.warnings) == (1, 1, 0)
    assert decision.puid.startswith("mw-") and decision.claimed_at is not None

    nxt = ws.review.claim_next("general", "ana")
    assert nxt is not None and nxt.item.id != case.item.id
    assert nxt.trader.counters.violations_total == 1
    with pytest.raises(AlreadyDecided):
        ws.review.decide(case.item.id, "ana", *REMOVE)


def test_incomplete_decision_is_refused_and_names_what_is_missing(ws: Workstation) -> None:
    seed(ws, listings=1)
    case = ws.review.claim_next("general", "ana")
    assert case is not None
    with pytest.raises(IncompleteDecision) as err:
        ws.review.decide(case.item.id, "ana", Action.REMOVE, None, None, "  ")
    assert err.value.missing == [
        "policy category",
        "ground (illegal content or terms of service)",
        "explanation",
    ]
    assert ws.lookup.listing(case.listing.id).listing.status is ListingStatus.LIVE
    ws.review.decide(case.item.id, "ana", Action.NO_VIOLATION)  # no violation needs nothing more
    assert ws.lookup.counters(case.trader.trader.id).violations_total == 0


def test_warning_marks_the_trader_and_undo_takes_it_back(ws: Workstation) -> None:
    seed(ws, traders=1, listings=1)
    case = ws.review.claim_next("general", "ana")
    assert case is not None
    d = ws.review.decide(
        case.item.id,
        "ana",
        Action.WARN,
        PolicyCategory.COUNTERFEIT,
        Ground.ILLEGAL_CONTENT,
        "Counterfeit logo.",
    )
    detail = ws.lookup.trader(case.trader.trader.id)
    assert detail.counters.warnings == 1 and detail.counters.status is TraderStatus.WARNED
    assert detail.counters.violations_total == 0
    ws.review.undo(d.id, "ana")
    detail = ws.lookup.trader(case.trader.trader.id)
    assert detail.counters.warnings == 0 and detail.counters.status is TraderStatus.ACTIVE
    assert detail.recent_decisions[0].undone_at is not None


def test_undo_restores_everything_and_the_item_comes_back_to_its_reviewer(
    ws: Workstation, clock: FakeClock
) -> None:
    seed(ws, traders=1, listings=2)
    case = ws.review.claim_next("general", "ana")
    assert case is not None
    d = ws.review.decide(case.item.id, "ana", *REMOVE)
    with pytest.raises(UndoNotAllowed, match="made by ana"):
        ws.review.undo(d.id, "ben")
    clock.advance(minutes=2)
    undone = ws.review.undo(d.id, "ana")
    assert undone.undone_at == clock.now
    listing = ws.lookup.listing(case.listing.id)
    assert listing.listing.status is ListingStatus.LIVE
    assert listing.items[0].state is ItemState.OPEN and listing.items[0].claimed_by == "ana"
    assert ws.lookup.counters(case.trader.trader.id).violations_total == 0
    back = ws.review.claim_next("general", "ana")
    assert back is not None and back.item.id == case.item.id
    with pytest.raises(UndoNotAllowed, match="already undone"):
        ws.review.undo(d.id, "ana")
    # decided again, then too late to undo
    d2 = ws.review.decide(case.item.id, "ana", *REMOVE)
    clock.advance(minutes=6)
    with pytest.raises(UndoNotAllowed, match="older than 5 minutes"):
        ws.review.undo(d2.id, "ana")
    assert ws.lookup.counters(case.trader.trader.id).violations_total == 1


def test_escalation_moves_the_listing_to_supervisors_and_undo_brings_it_back(ws: Workstation) -> None:
    seed(ws, listings=1)
    case = ws.review.claim_next("general", "ana")
    assert case is not None
    with pytest.raises(IncompleteDecision):
        ws.review.decide(case.item.id, "ana", Action.ESCALATE)
    d = ws.review.decide(case.item.id, "ana", Action.ESCALATE, explanation="Looks like a medicine; not sure.")
    counts = {c.queue: c.pending for c in ws.review.queue_counts()}
    assert counts == {"escalated": 1}
    ws.review.undo(d.id, "ana")
    assert {c.queue: c.claimed for c in ws.review.queue_counts()} == {"general": 1}
    # once a supervisor holds the escalation, the moderator can no longer take it back
    d = ws.review.decide(case.item.id, "ana", Action.ESCALATE, explanation="Medicine?")
    sup = ws.review.claim_next("escalated", "sam")
    assert sup is not None and sup.listing.id == case.listing.id
    assert sup.item.priority > case.item.priority
    with pytest.raises(UndoNotAllowed, match="supervisor"):
        ws.review.undo(d.id, "ana")


def test_decide_on_a_listing_by_its_external_id(ws: Workstation) -> None:
    seed(ws, listings=2)
    item = ws.review.claim_listing("L-00001", "ana")
    d = ws.review.decide(item.id, "ana", *REMOVE)
    assert d.listing_external_id == "L-00001"
    with pytest.raises(AlreadyDecided):
        ws.review.claim_listing("L-00001", "ana")
    ws.review.claim_listing("L-00000", "ben")
    with pytest.raises(ClaimLost, match="being reviewed by ben"):
        ws.review.claim_listing("L-00000", "ana")
