"""Notices (Art 16), trusted flaggers (Art 22) and notifiers who misuse the system (Art 23(2))."""

from __future__ import annotations

from datetime import timedelta

import pytest

from moderator_app.domain.dsa.model import MeasureStep, OutboxKind, SubjectKind
from moderator_app.domain.enums import Action, FlagSource, PolicyCategory
from moderator_app.domain.errors import InvalidInput
from moderator_app.services.dsa.notices import NewNotice
from moderator_app.services.workstation import Workstation
from moderator_app.storage.dsa import notice_repo
from tests.conftest import FakeClock
from tests.services.dsa.helpers import NOTIFIER_EMAIL, NOTIFIER_NAME, decide, flag, make_trader


def test_imported_notices_get_a_receipt_once_and_incomplete_ones_are_marked(ws: Workstation) -> None:
    t = make_trader(ws, listings=2)
    f1 = flag(ws, t.listing_ids[0])
    flag(ws, t.listing_ids[1], notifier=None, email=None)
    flag(ws, t.listing_ids[1], source=FlagSource.AUTOMATED, notifier=None, email=None)  # not a notice
    assert ws.dsa.notices.sync() == 2
    assert ws.dsa.notices.sync() == 0
    receipts = [m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.NOTICE_RECEIPT]
    assert [(m.flag_id, m.recipient_email) for m in receipts] == [(f1, NOTIFIER_EMAIL)]
    notices = {n.flag_id: n for n in ws.dsa.notices.notices()}
    assert len(notices) == 2
    # the import format has no good-faith statement yet: imported notices say so
    assert notices[f1].missing == ("good-faith statement",)
    anonymous = next(n for n in notices.values() if n.flag_id != f1)
    assert anonymous.missing == ("notifier name", "notifier e-mail", "good-faith statement")
    assert {n.flag_id for n in ws.dsa.notices.notices(incomplete_only=True)} == set(notices)


def test_a_notice_entered_by_hand_is_complete_only_with_every_element(ws: Workstation) -> None:
    t = make_trader(ws, listings=2)
    full = ws.dsa.notices.submit(
        NewNotice(
            listing=t.listing_exts[0],
            category=PolicyCategory.UNSAFE_TOY,
            explanation="Magnets fall out of the blocks.",
            notifier=NOTIFIER_NAME,
            notifier_email=NOTIFIER_EMAIL,
            location_url="https://marketplace.example/item/x",
            good_faith=True,
        ),
        "frontdesk",
    )
    assert full.complete and full.not_processed is None
    assert [c.queue for c in ws.review.queue_counts()] == ["product-safety"]  # it opened an item
    csam = ws.dsa.notices.submit(
        NewNotice(
            listing=t.listing_exts[1],
            category=PolicyCategory.ADULT_CONTENT,
            explanation="Abuse material in the pictures.",
            location_url="https://marketplace.example/item/y",
            good_faith=True,
            csam=True,
        ),
        "frontdesk",
    )
    assert csam.complete  # name and e-mail are not required for child sexual abuse offences
    bare = ws.dsa.notices.submit(
        NewNotice(listing=t.listing_exts[1], category=PolicyCategory.OTHER, explanation=""), "frontdesk"
    )
    assert bare.missing == (
        "explanation",
        "location (URL)",
        "notifier name",
        "notifier e-mail",
        "good-faith statement",
    )
    with pytest.raises(InvalidInput, match="user_notice"):
        ws.dsa.notices.submit(
            NewNotice(
                listing=t.listing_exts[0],
                category=PolicyCategory.OTHER,
                explanation="x",
                source=FlagSource.AUTOMATED,
            ),
            "frontdesk",
        )


def test_a_trusted_flagger_in_their_area_jumps_the_queue(ws: Workstation) -> None:
    t = make_trader(ws, listings=3)
    ws.dsa.flaggers.add("Consumer Safety Network e.V.", [PolicyCategory.UNSAFE_TOY], "sam")
    flag(ws, t.listing_ids[0], priority=90)  # an ordinary notice, high priority
    flag(
        ws,
        t.listing_ids[1],
        source=FlagSource.TRUSTED_FLAGGER,
        notifier="BrandShield Europe",
        email=None,
        priority=10,
    )
    flag(
        ws,
        t.listing_ids[2],
        source=FlagSource.TRUSTED_FLAGGER,
        notifier="consumer safety  network e.v.",  # the registry matches regardless of case and spacing
        email=None,
        priority=10,
    )
    ws.dsa.notices.sync()
    first = ws.review.claim_next("product-safety", "ana")
    assert first is not None and first.listing.id == t.listing_ids[2]
    second = ws.review.claim_next("product-safety", "ana", exclude=[first.item.id])
    assert second is not None and second.listing.id == t.listing_ids[0]  # not registered: no priority
    notices = {n.listing_id: n for n in ws.dsa.notices.notices()}
    assert notices[t.listing_ids[2]].trusted_flagger == "Consumer Safety Network e.V."
    assert notices[t.listing_ids[1]].trusted_flagger is None


def test_a_trusted_flagger_outside_their_area_is_an_ordinary_notice(ws: Workstation) -> None:
    t = make_trader(ws)
    ws.dsa.flaggers.add("BrandShield Europe", [PolicyCategory.COUNTERFEIT], "sam")
    flag(ws, t.listing_ids[0], source=FlagSource.TRUSTED_FLAGGER, notifier="BrandShield Europe", email=None)
    d = decide(ws, t.listing_exts[0])  # unsafe toy: not their area
    st = ws.dsa.statements.of_decision(d.id)
    assert st is not None and st.payload["source_type"] == "SOURCE_ARTICLE_16"


def test_notifiers_found_unfounded_are_warned_then_suspended(ws: Workstation, clock: FakeClock) -> None:
    t = make_trader(ws, listings=8)
    flags = [flag(ws, lid, email="serial@example.org", notifier="Serial Reporter") for lid in t.listing_ids]
    for ext in t.listing_exts[:6]:
        decide(ws, ext, Action.NO_VIOLATION)
    for f in flags[:5]:
        ws.dsa.notices.mark_unfounded(f, "ana", "The product is a plain wooden toy.")
    standing = ws.dsa.misuse.standing(SubjectKind.NOTIFIER, "serial@example.org")
    assert (standing.unfounded_in_window, standing.submitted_in_window) == (5, 8)
    assert standing.proposal is MeasureStep.WARNING
    with pytest.raises(InvalidInput, match="proposes a warning"):
        ws.dsa.misuse.confirm(SubjectKind.NOTIFIER, "serial@example.org", MeasureStep.SUSPENSION, "sue")
    ws.dsa.misuse.confirm(SubjectKind.NOTIFIER, "serial@example.org", MeasureStep.WARNING, "sue")
    assert ws.dsa.misuse.standing(SubjectKind.NOTIFIER, "serial@example.org").proposal is None
    clock.advance(hours=1)
    ws.dsa.notices.mark_unfounded(flags[5], "ana", "Again a plain toy.")
    standing = ws.dsa.misuse.standing(SubjectKind.NOTIFIER, "serial@example.org")
    assert standing.proposal is MeasureStep.SUSPENSION and standing.suspension_days == 30
    m = ws.dsa.misuse.confirm(SubjectKind.NOTIFIER, "serial@example.org", MeasureStep.SUSPENSION, "sue")
    assert m.ends_at == clock.now + timedelta(days=30)
    later = ws.dsa.notices.submit(
        NewNotice(
            listing=t.listing_exts[6],
            category=PolicyCategory.UNSAFE_TOY,
            explanation="again",
            notifier_email="serial@example.org",
        ),
        "frontdesk",
    )
    assert later.not_processed is not None and "suspended" in later.not_processed
    measures = [x for x in ws.dsa.outbox.messages() if x.kind is OutboxKind.MEASURE]
    assert [x.recipient_email for x in measures] == ["serial@example.org", "serial@example.org"]


def test_the_importer_can_pass_the_good_faith_statement_and_location(ws: Workstation) -> None:
    t = make_trader(ws, listings=2)
    f1 = flag(ws, t.listing_ids[0])
    with ws.db.write() as s:  # in the import batch: f1 gets its notice record with the details
        notice_repo.record_imported_details(s, {f1: ("https://m.example/item/1", True)}, ws.clock())
    f2 = flag(ws, t.listing_ids[1])
    assert ws.dsa.notices.sync() == 1  # f2 only
    with ws.db.write() as s:  # details for a notice already recorded complete it
        notice_repo.record_imported_details(s, {f2: (None, True)}, ws.clock())
    notices = {n.flag_id: n for n in ws.dsa.notices.notices()}
    assert notices[f1].complete and notices[f1].location_url == "https://m.example/item/1"
    assert (
        notices[f2].complete
        and notices[f2].location_url == f"https://marketplace.example/item/{t.listing_exts[1]}"
    )
    receipts = [m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.NOTICE_RECEIPT]
    assert sorted(m.flag_id for m in receipts) == [f1, f2]
