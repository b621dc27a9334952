"""The repeat-offender policy (Art 23(1)): a warning first, then a suspension of stated length, then
termination; the case-by-case factors; a supervisor confirms; strikes expire with the window."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import MeasureStep, OutboxKind
from moderator_app.domain.dsa.permissions import PermissionDenied
from moderator_app.domain.enums import Action, Ground, ListingStatus, PolicyCategory, TraderStatus
from moderator_app.domain.errors import InvalidInput
from moderator_app.paths import resources_dir
from moderator_app.services.workstation import Workstation
from tests.conftest import FakeClock
from tests.services.dsa.helpers import TRADER_EMAIL, TRADER_NAME, decide, flag, make_trader


def remove(
    ws: Workstation, ext: str, listing_id: int, category: PolicyCategory = PolicyCategory.UNSAFE_TOY
) -> None:
    flag(ws, listing_id, category=category, notifier=None, email=None)
    decide(ws, ext, Action.REMOVE, category=category)


def statuses(ws: Workstation, exts: list[str]) -> list[ListingStatus]:
    return [ws.lookup.listing(e).listing.status for e in exts]


def test_warning_first_then_suspension_then_the_listings_come_back(
    ws: Workstation, clock: FakeClock, tmp_path: Path
) -> None:
    t = make_trader(ws, listings=10)
    for i in range(3):
        remove(ws, t.listing_exts[i], t.listing_ids[i])
    p = ws.dsa.offenders.proposal(t.trader_ext)
    assert p is not None and p.reached is MeasureStep.SUSPENSION
    assert p.step is MeasureStep.WARNING  # never a suspension without a prior warning
    f = p.factors
    assert (f.items_in_window, f.listings_total, f.share_percent, f.gravity_score) == (3, 10, 30.0, 9)
    with pytest.raises(InvalidInput, match="does not call for a suspension; the policy proposes a warning"):
        ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.SUSPENSION, "sue")
    warning = ws.dsa.offenders.confirm(
        t.trader_ext, MeasureStep.WARNING, "sue", "Listed the same set under new names."
    )
    assert ws.lookup.trader(t.trader_ext).trader.status is TraderStatus.WARNED
    assert warning.statement_puid is not None
    assert ws.dsa.offenders.proposal(t.trader_ext) is None  # warned, and nothing new since

    clock.advance(hours=2)
    remove(ws, t.listing_exts[3], t.listing_ids[3])
    # a later decision on a single listing recounts the record: the confirmed warning stands
    assert ws.lookup.trader(t.trader_ext).trader.status is TraderStatus.WARNED
    p = ws.dsa.offenders.proposal(t.trader_ext)
    assert p is not None and (p.step, p.suspension_days) == (MeasureStep.SUSPENSION, 14)
    assert "1 of the items were found after the trader had been warned" in p.factors.intent_notes
    assert [x.trader_id for x in ws.dsa.offenders.proposals()] == [t.trader_id]
    m = ws.dsa.offenders.confirm(
        t.trader_ext, MeasureStep.SUSPENSION, "sue", "Knew the rules after the warning."
    )
    assert m.ends_at == clock.now + timedelta(days=14) and m.listings_affected == 6
    trader = ws.lookup.trader(t.trader_ext).trader
    assert (trader.status, trader.suspended_until) == (TraderStatus.SUSPENDED, m.ends_at)
    assert statuses(ws, t.listing_exts[4:]) == [ListingStatus.RESTRICTED] * 6
    st = ws.dsa.statements.find(m.statement_puid or "")
    assert tdb.validate(st.payload) == []
    assert st.payload["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert st.payload["end_date_account_restriction"] == m.ends_at.date().isoformat()
    assert "Knew the rules after the warning." in st.payload["illegal_content_explanation"]
    told = [x for x in ws.dsa.outbox.messages() if x.kind is OutboxKind.MEASURE]
    assert [x.recipient_email for x in told] == [TRADER_EMAIL, TRADER_EMAIL]
    out = tmp_path / "sor.jsonl"
    assert ws.dsa.exports.export(out, "exporter").written == 6  # 4 removals, the warning, the suspension
    assert TRADER_NAME.lower() not in out.read_text(encoding="utf-8").lower()

    clock.advance(days=15)
    assert [x.id for x in ws.dsa.offenders.lift_expired()] == [m.id]
    assert statuses(ws, t.listing_exts[4:]) == [ListingStatus.LIVE] * 6
    trader = ws.lookup.trader(t.trader_ext).trader
    assert (trader.status, trader.suspended_until) == (TraderStatus.WARNED, None)

    clock.advance(days=91)  # the strikes leave the window: the record calls for nothing
    assert ws.dsa.offenders.proposal(t.trader_ext) is None
    assert ws.dsa.offenders.proposals() == []


def test_one_grave_item_is_not_a_pattern(ws: Workstation) -> None:
    t = make_trader(ws, listings=2)
    remove(ws, t.listing_exts[0], t.listing_ids[0], PolicyCategory.ILLEGAL_MEDICINE)
    assert ws.dsa.offenders.proposal(t.trader_ext) is None


def test_terms_of_service_breaches_are_not_illegal_content(ws: Workstation) -> None:
    t = make_trader(ws, listings=4)
    for i in range(4):
        flag(ws, t.listing_ids[i], category=PolicyCategory.HIDDEN_LINK, notifier=None, email=None)
        decide(
            ws,
            t.listing_exts[i],
            Action.REMOVE,
            category=PolicyCategory.HIDDEN_LINK,
            ground=Ground.TERMS_OF_SERVICE,
        )
    assert ws.dsa.offenders.proposal(t.trader_ext) is None


def test_a_supervisor_edits_the_policy_and_software_may_not(ws: Workstation) -> None:
    raw = json.loads((resources_dir() / "repeat_offender_policy.json").read_text(encoding="utf-8"))
    raw["steps"]["suspension"]["days"] = []
    with pytest.raises(InvalidInput, match=r"steps\.suspension\.days: a suspension needs a stated length"):
        ws.dsa.policies.set("repeat_offender_policy", json.dumps(raw), "sue")
    raw["steps"]["suspension"]["days"] = [7]
    raw["steps"]["warning"].update(min_items=1, min_score=1)
    with pytest.raises(PermissionDenied):
        ws.dsa.policies.set("repeat_offender_policy", json.dumps(raw), "bot:auto-tuner")
    stored = ws.dsa.policies.set("repeat_offender_policy", json.dumps(raw), "sue")
    assert "stored by sue" in stored.source
    t = make_trader(ws, listings=2)
    remove(ws, t.listing_exts[0], t.listing_ids[0], PolicyCategory.COUNTERFEIT)
    p = ws.dsa.offenders.proposal(t.trader_ext)
    assert p is not None and p.step is MeasureStep.WARNING  # the edited thresholds are in force
    with pytest.raises(PermissionDenied):
        ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.WARNING, "system")
