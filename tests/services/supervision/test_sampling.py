"""Quality sampling: the share holds (exactly the decisions the puid draw selects), new moderators get
more, supervisors agree or overturn, and an overturn has the effects of a reversal on appeal."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from moderator_app.domain.accounts.roles import PermissionDenied
from moderator_app.domain.dsa.model import AppealOutcome, AppellantKind
from moderator_app.domain.enums import Action, Ground, ListingStatus, PolicyCategory
from moderator_app.domain.errors import ClaimLost, InvalidInput, UndoNotAllowed
from moderator_app.domain.supervision.sampling import (
    APPEALS_QUEUE,
    QUALITY_QUEUE,
    QualityOutcome,
    SamplingPolicy,
    SupervisionPolicy,
    draw,
)
from moderator_app.services.bootstrap import review_service
from moderator_app.services.workstation import Workstation
from tests.conftest import FakeClock
from tests.factories import seed

REMOVE = (Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Loose magnets, no CE mark.")
EVERY = SupervisionPolicy(SamplingPolicy(Decimal(1), Decimal(1), 0))


def _drawn(puid: str, share: Decimal) -> bool:
    """The rule, recomputed here: SHA-256 of the puid, first 8 bytes as a fraction of 2**64."""
    return int.from_bytes(hashlib.sha256(puid.encode()).digest()[:8], "big") < share * 2**64


def _puids(n: int, prefix: str = "mw-") -> list[str]:
    """Puids shaped like the ones decision_repo.new_puid() makes ("mw-" + 32 hex digits), but fixed."""
    return [prefix + hashlib.md5(str(i).encode()).hexdigest() for i in range(n)]


# -- the rule as a pure function (milliseconds) --------------------------------------------------------


def test_the_draw_is_the_sha256_fraction_of_the_puid_and_never_depends_on_order() -> None:
    puids = _puids(2000)
    places = [draw(p) for p in puids]
    assert all(Decimal(0) <= x < Decimal(1) for x in places)
    assert [draw(p) for p in reversed(puids)] == places[::-1]
    for p in puids[:200]:
        assert (draw(p) < Decimal("0.05")) == _drawn(p, Decimal("0.05"))


def test_the_share_holds_over_many_decisions() -> None:
    policy = SamplingPolicy(Decimal("0.05"), Decimal("0.25"), 100)
    puids = _puids(20_000)
    drawn = [policy.sampled(p, Action.NO_VIOLATION, "general", 100 + i) for i, p in enumerate(puids)]
    assert set(drawn) <= {None, Decimal("0.05")}
    share = sum(x is not None for x in drawn) / len(drawn)
    assert 0.045 < share < 0.055  # one standard deviation is about 0.15 points here


def test_new_moderators_get_the_larger_share_until_their_allowance_is_used() -> None:
    policy = SamplingPolicy(Decimal("0.05"), Decimal("0.25"), 100)
    assert [policy.share_for(n) for n in (0, 99, 100, 5000)] == [Decimal("0.25")] * 2 + [Decimal("0.05")] * 2
    puids = _puids(4000, "mw-new-")
    new = sum(policy.sampled(p, Action.REMOVE, "general", 0) is not None for p in puids) / len(puids)
    old = sum(policy.sampled(p, Action.REMOVE, "general", 100) is not None for p in puids) / len(puids)
    assert 0.22 < new < 0.28 and 0.035 < old < 0.065
    # the same decision drawn at the small share is drawn at the larger one too
    assert all(
        policy.sampled(p, Action.REMOVE, "general", 0) is not None
        for p in puids
        if policy.sampled(p, Action.REMOVE, "general", 100) is not None
    )


def test_escalations_and_second_looks_are_never_drawn() -> None:
    always = SamplingPolicy(Decimal(1), Decimal(1), 0)
    assert always.sampled("mw-1", Action.REMOVE, "general", 0) == Decimal(1)
    assert always.sampled("mw-1", Action.ESCALATE, "general", 0) is None
    assert always.sampled("mw-1", Action.REMOVE, QUALITY_QUEUE, 0) is None
    assert always.sampled("mw-1", Action.REMOVE, APPEALS_QUEUE, 0) is None
    never = SamplingPolicy(Decimal(0), Decimal(0), 0)
    assert all(never.sampled(p, Action.REMOVE, "general", 0) is None for p in _puids(500))


# -- the wiring: the review service draws with the rule and queues what it draws ---------------------


def test_the_service_samples_exactly_the_decisions_the_rule_draws_and_queues_them(ws: Workstation) -> None:
    n = 24
    seed(ws, traders=3, listings=n)
    policy = SupervisionPolicy(SamplingPolicy(Decimal("0.3"), Decimal(1), 4))
    review = review_service(ws.db, ws.clock, ws.access, supervision=policy)
    decisions = []
    for i in range(n):
        name = "veteran" if i % 2 else "newcomer"
        case = review.claim_next("general", name)
        assert case is not None
        decisions.append(review.decide(case.item.id, name, Action.NO_VIOLATION))
    samples = {q.decision_id: q for q in ws.quality.samples("anyone")}
    # exactly the decisions the rule draws, each with the share then in force (everything for the
    # first 4 of each moderator, then 30 %)
    expected: dict[int, Decimal] = {}
    count: dict[str, int] = {}
    for d in decisions:
        share = policy.sampling.share_for(count.get(d.reviewer, 0))
        count[d.reviewer] = count.get(d.reviewer, 0) + 1
        if _drawn(d.puid, share):
            expected[d.id] = share
    assert {k: Decimal(q.share) for k, q in samples.items()} == expected
    assert sum(Decimal(q.share) == 1 for q in samples.values()) == 8
    # every sample waits for its second review (counted by the quality service, not the listing queues)
    assert len(ws.quality.samples("sup", pending_only=True)) == len(samples)


def test_a_supervisor_agrees_or_overturns_and_never_reviews_their_own(
    ws: Workstation, clock: FakeClock
) -> None:
    seed(ws, listings=3)
    review = review_service(ws.db, ws.clock, ws.access, supervision=EVERY)
    for name in ("ana", "ana", "sam"):
        case = review.claim_next("general", name)
        assert case is not None
        review.decide(case.item.id, name, *REMOVE)
    first = ws.quality.claim_next("sam")
    assert first is not None and first.decision.reviewer == "ana"
    assert first.case.listing.status is ListingStatus.REMOVED
    with pytest.raises(InvalidInput, match="why"):
        ws.quality.review(first.sample.id, "sam", QualityOutcome.OVERTURN)
    ws.quality.review(first.sample.id, "sam", QualityOutcome.AGREE)
    second = ws.quality.claim_next("sam")
    assert second is not None and second.decision.reviewer == "ana"  # sam's own sample is passed over
    with pytest.raises(InvalidInput, match="someone else"):  # not even by claiming it elsewhere
        ws.quality.review(second.sample.id, "ana", QualityOutcome.AGREE)
    with pytest.raises(ClaimLost):
        ws.quality.review(second.sample.id, "tom", QualityOutcome.AGREE)
    ws.quality.review(second.sample.id, "sam", QualityOutcome.OVERTURN, "the magnets are enclosed")
    assert ws.quality.claim_next("sam") is None
    stats = ws.quality.stats("anyone")
    assert (stats.sampled, stats.pending) == (3, 1)
    assert stats.by_moderator["ana"].reviewed == 2 and stats.by_moderator["ana"].agreed == 1
    assert stats.by_category["unsafe_toy"].agreement == 0.5


def test_an_overturn_does_what_a_reversal_on_appeal_does(ws: Workstation, clock: FakeClock) -> None:
    seed(ws, traders=1, listings=2)
    review = review_service(ws.db, ws.clock, ws.access, supervision=EVERY)
    made = []
    for _ in range(2):
        case = review.claim_next("general", "ana")
        assert case is not None
        made.append(review.decide(case.item.id, "ana", *REMOVE))
    trader_id = made[0].trader_id
    assert ws.lookup.counters(trader_id).violations_total == 2
    # one decision reversed on appeal, the other overturned on second review
    clock.advance(hours=1)
    appeal = ws.dsa.appeals.file(made[0].id, AppellantKind.TRADER, "the toy is safe", "sam")
    assert ws.dsa.appeals.claim_next("sam") is not None
    ws.dsa.appeals.decide(appeal.id, "sam", AppealOutcome.REVERSE, "the magnets are enclosed")
    after_appeal = ws.lookup.listing(made[0].listing_id)
    sample = next(q for q in ws.quality.samples("sam") if q.decision_id == made[1].id)
    while (c := ws.quality.claim_next("sam")) is not None and c.sample.id != sample.id:
        ws.quality.review(c.sample.id, "sam", QualityOutcome.AGREE)
    ws.quality.review(sample.id, "sam", QualityOutcome.OVERTURN, "the magnets are enclosed")
    after_quality = ws.lookup.listing(made[1].listing_id)
    assert after_appeal.listing.status is after_quality.listing.status is ListingStatus.LIVE
    assert ws.lookup.counters(trader_id).violations_total == 0


def test_undo_withdraws_the_sample_unless_a_supervisor_holds_it(ws: Workstation) -> None:
    seed(ws, listings=2)
    review = review_service(ws.db, ws.clock, ws.access, supervision=EVERY)
    a = review.claim_next("general", "ana")
    assert a is not None
    d1 = review.decide(a.item.id, "ana", *REMOVE)
    review.undo(d1.id, "ana")
    assert ws.quality.samples("ana") == []
    assert QUALITY_QUEUE not in {c.queue for c in ws.review.queue_counts()}
    review.decide(a.item.id, "ana", *REMOVE)
    d2 = ws.review.last_decision("ana")
    assert d2 is not None
    assert ws.quality.claim_next("sam") is not None
    with pytest.raises(UndoNotAllowed, match="second review"):
        review.undo(d2.id, "ana")


def test_a_quality_item_cannot_be_decided_as_a_listing(ws: Workstation) -> None:
    seed(ws, listings=1)
    review = review_service(ws.db, ws.clock, ws.access, supervision=EVERY)
    case = review.claim_next("general", "ana")
    assert case is not None
    review.decide(case.item.id, "ana", *REMOVE)
    with pytest.raises(InvalidInput, match="second review"):  # issue 9: not through the listing path
        ws.review.claim_next(QUALITY_QUEUE, "sam")
    q = ws.quality.claim_next("sam")
    assert q is not None
    with pytest.raises(InvalidInput, match="second review"):
        ws.review.decide(q.sample.item_id, "sam", Action.NO_VIOLATION)
    ws.accounts.add("root", "root-pass-long-1", ["admin"], "")
    ws.accounts.add("m.mod", "m-mod-pass-long-1", ["moderator"], "root")
    with pytest.raises(PermissionDenied, match="may not quality review"):
        ws.quality.claim_next("m.mod")
