"""Complaints (Art 20): six months to complain, another person decides, a reversal puts things back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from moderator_app.domain.dsa.model import AppealOutcome, AppealStatus, AppellantKind, MeasureStep, OutboxKind
from moderator_app.domain.dsa.permissions import PermissionDenied
from moderator_app.domain.enums import Action, ListingStatus, TraderStatus
from moderator_app.domain.errors import ClaimLost, InvalidInput
from moderator_app.domain.review.policy import COUNTER_WINDOW
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm
from moderator_app.storage.dsa.orm_dsa import Appeal
from tests.conftest import FakeClock
from tests.services.dsa.helpers import TRADER_EMAIL, decide, flag, make_trader


def recount(ws: Workstation, trader_id: int) -> tuple[int, int, int]:
    """By hand: removals and restrictions neither undone nor reversed on a complaint."""
    now = ws.clock()
    with ws.db.read() as s:
        reversed_ = set(
            s.scalars(select(Appeal.decision_id).where(Appeal.status == AppealStatus.REVERSED.value))
        )
        ds = [
            (d.action, d.decided_at)
            for d in s.scalars(
                select(orm.Decision).where(
                    orm.Decision.trader_id == trader_id, orm.Decision.undone_at.is_(None)
                )
            )
            if d.id not in reversed_
        ]
    violations = [when for action, when in ds if action in (Action.REMOVE.value, Action.RESTRICT.value)]
    recent = [when for when in violations if when >= now - COUNTER_WINDOW]
    return len(recent), len(violations), sum(1 for action, _ in ds if action == Action.WARN.value)


def counters(ws: Workstation, ext: str) -> tuple[int, int, int]:
    c = ws.lookup.counters(ext)
    return c.violations_90d, c.violations_total, c.warnings


def test_a_reversal_restores_the_listing_the_counters_and_lifts_the_suspension(
    ws: Workstation, clock: FakeClock
) -> None:
    t = make_trader(ws, listings=6)
    decisions = []
    for i in range(2):
        flag(ws, t.listing_ids[i], notifier=None, email=None)
        decisions.append(decide(ws, t.listing_exts[i], reviewer="ana"))
    ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.WARNING, "sue")
    clock.advance(hours=1)
    flag(ws, t.listing_ids[2], notifier=None, email=None)
    decisions.append(decide(ws, t.listing_exts[2], reviewer="ana"))
    suspension = ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.SUSPENSION, "sue")
    assert ws.lookup.trader(t.trader_ext).trader.status is TraderStatus.SUSPENDED
    assert counters(ws, t.trader_ext) == recount(ws, t.trader_id) == (3, 3, 0)

    clock.advance(days=3)
    complaint = ws.dsa.appeals.file(
        decisions[2].id, AppellantKind.TRADER, "The set has a CE certificate.", "frontdesk"
    )
    assert complaint.appellant is not None and complaint.status is AppealStatus.OPEN
    assert ws.dsa.appeals.claim_next("ana") is None  # never handed to the reviewer of the decision
    case = ws.dsa.appeals.claim_next("ben")
    assert case is not None and case.appeal.id == complaint.id and case.statement is not None
    done = ws.dsa.appeals.decide(
        complaint.id, "ben", AppealOutcome.REVERSE, "Certificate checked: the toy is compliant."
    )
    assert done.status is AppealStatus.REVERSED and done.decided_by == "ben"

    assert ws.lookup.listing(t.listing_exts[2]).listing.status is ListingStatus.LIVE
    assert counters(ws, t.trader_ext) == recount(ws, t.trader_id) == (2, 2, 0)
    trader = ws.lookup.trader(t.trader_ext).trader
    assert (trader.status, trader.suspended_until) == (TraderStatus.WARNED, None)  # back under the threshold
    assert [ws.lookup.listing(e).listing.status for e in t.listing_exts[3:]] == [ListingStatus.LIVE] * 3
    lifted = next(m for m in ws.dsa.offenders.measures(t.trader_ext) if m.id == suspension.id)
    assert lifted.revoked_at is not None and "Certificate checked" in (lifted.revoked_reason or "")
    with ws.db.read() as s:
        strike = s.scalar(select(orm.Strike).where(orm.Strike.decision_id == decisions[2].id))
        assert strike is not None and "reversed on complaint" in (strike.revoked_reason or "")
    outcome = [m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.APPEAL_OUTCOME]
    assert [m.recipient_email for m in outcome] == [TRADER_EMAIL] and "reversed" in outcome[0].body


def test_upholding_keeps_everything(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0], notifier=None, email=None)
    d = decide(ws, t.listing_exts[0], reviewer="ana")
    a = ws.dsa.appeals.file(d.puid, AppellantKind.TRADER, "I disagree.", "frontdesk")
    assert ws.dsa.appeals.claim_next("ben") is not None
    ws.dsa.appeals.decide(
        a.id, "ben", AppealOutcome.UPHOLD, "Magnets do come loose.", manifestly_unfounded=True
    )
    assert ws.lookup.listing(t.listing_exts[0]).listing.status is ListingStatus.REMOVED
    assert counters(ws, t.trader_ext) == (1, 1, 0)
    assert ws.dsa.appeals.appeals(AppealStatus.UPHELD)[0].manifestly_unfounded


def test_the_original_reviewer_and_software_cannot_decide(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0], notifier=None, email=None)
    d = decide(ws, t.listing_exts[0], reviewer="ana")
    a = ws.dsa.appeals.file(d.id, AppellantKind.TRADER, "Wrong.", "frontdesk")
    with pytest.raises(InvalidInput, match="appeal next"):  # the listing path hands out no complaint
        ws.review.claim_next("appeals", "ana")
    assert ws.dsa.appeals.claim_next("ana") is None  # nor does the complaint path, to her
    with pytest.raises(InvalidInput, match="ana made the contested decision"):
        ws.dsa.appeals.decide(a.id, "ana", AppealOutcome.REVERSE, "I was wrong.")
    with pytest.raises(InvalidInput, match="uphold or reverse"):  # nor decide it as an ordinary item
        ws.review.decide(a.item_id, "ana", Action.NO_VIOLATION)
    with pytest.raises(PermissionDenied):
        ws.dsa.appeals.decide(a.id, "auto:appeals-bot", AppealOutcome.UPHOLD, "Model says so.")
    with pytest.raises(ClaimLost, match="claim complaint"):
        ws.dsa.appeals.decide(a.id, "ben", AppealOutcome.UPHOLD, "Not claimed yet.")
    assert ws.dsa.appeals.case(a.id).appeal.status is AppealStatus.OPEN
    assert ws.lookup.listing(t.listing_exts[0]).listing.status is ListingStatus.REMOVED


def test_complaints_are_taken_for_six_months(ws: Workstation, clock: FakeClock) -> None:
    t = make_trader(ws, listings=2)
    for i in range(2):
        flag(ws, t.listing_ids[i], notifier=None, email=None)
    d1 = decide(ws, t.listing_exts[0])
    d2 = decide(ws, t.listing_exts[1])
    clock.now = d1.decided_at.replace(year=2027, month=5, day=1)  # 2 Nov + 6 months = 2 May
    assert (
        ws.dsa.appeals.file(d1.id, AppellantKind.TRADER, "Late but in time.", "frontdesk").status
        is AppealStatus.OPEN
    )
    clock.advance(days=2)
    with pytest.raises(InvalidInput, match="after the six-month period"):
        ws.dsa.appeals.file(d2.id, AppellantKind.TRADER, "Too late.", "frontdesk")
    with pytest.raises(InvalidInput, match="already has an open complaint"):
        ws.dsa.appeals.file(
            d1.id, AppellantKind.TRADER, "Again.", "frontdesk", received_at=clock.now - timedelta(days=3)
        )


def test_a_notifier_wins_against_no_violation_and_the_listing_is_reviewed_again(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    d = decide(ws, t.listing_exts[0], Action.NO_VIOLATION, reviewer="ana")
    a = ws.dsa.appeals.file(
        d.id,
        AppellantKind.NOTIFIER,
        "The magnets do fall out.",
        "frontdesk",
        appellant_email="m.o@example.at",
    )
    assert ws.dsa.appeals.claim_next("ben") is not None
    ws.dsa.appeals.decide(a.id, "ben", AppealOutcome.REVERSE, "Photos show loose magnets.")
    again = ws.review.claim_next("product-safety", "cleo")
    assert again is not None and again.listing.id == t.listing_ids[0]
