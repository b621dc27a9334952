"""Every restricting decision gets a statement of reasons the Transparency Database accepts; a decision
whose statement would be incomplete is refused, names what is missing, and leaves nothing behind."""

from __future__ import annotations

import pytest

from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import OutboxKind, StatementAmendment
from moderator_app.domain.enums import Action, FlagSource, Ground, ListingStatus, PolicyCategory
from moderator_app.domain.errors import IncompleteDecision
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm
from moderator_app.storage.predictions.orm_predictions import Prediction
from tests.conftest import FakeClock
from tests.services.dsa.helpers import NOTIFIER_EMAIL, decide, flag, make_trader


@pytest.mark.parametrize(
    ("action", "measure"),
    [
        (Action.REMOVE, "DECISION_VISIBILITY_CONTENT_REMOVED"),
        (Action.RESTRICT, "DECISION_VISIBILITY_CONTENT_DISABLED"),
        (Action.WARN, "DECISION_VISIBILITY_OTHER"),
    ],
)
def test_each_restricting_decision_gets_a_valid_statement(
    ws: Workstation, action: Action, measure: str
) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    d = decide(ws, t.listing_exts[0], action)
    st = ws.dsa.statements.of_decision(d.id)
    assert st is not None and st.puid == d.puid
    assert tdb.validate(st.payload) == []
    assert st.payload["decision_visibility"] == [measure]
    assert st.payload["source_type"] == "SOURCE_ARTICLE_16"
    assert st.payload["automated_detection"] == "No"
    assert st.payload["content_date"] == "2026-10-03"
    assert "six months" in st.redress and "out-of-court" in st.redress
    to_trader = [m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.STATEMENT]
    assert [m.decision_id for m in to_trader] == [d.id]


def test_no_violation_has_no_statement_but_the_notifier_is_told(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    d = decide(ws, t.listing_exts[0], Action.NO_VIOLATION)
    assert ws.dsa.statements.of_decision(d.id) is None
    told = [m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.NOTICE_DECISION]
    assert len(told) == 1 and told[0].recipient_email == NOTIFIER_EMAIL
    assert "no violation" in told[0].body and "complaint" in told[0].body and "court" in told[0].body


def test_an_incomplete_statement_refuses_the_decision_and_keeps_nothing(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0], category=PolicyCategory.HIDDEN_LINK)
    with pytest.raises(IncompleteDecision) as err:
        decide(ws, t.listing_exts[0], category=PolicyCategory.HIDDEN_LINK, ground=Ground.ILLEGAL_CONTENT)
    assert str(err.value) == (
        "the decision is missing: the law the listing breaks (no legal ground is set for hidden link): "
        "name it, or choose the terms-of-service ground"
    )
    detail = ws.lookup.listing(t.listing_exts[0])
    assert detail.listing.status is ListingStatus.LIVE and detail.decisions == []
    assert ws.lookup.counters(t.trader_ext).violations_total == 0
    assert ws.dsa.outbox.messages() == []  # not even the receipt the decision would have synced
    # the same decision on the contractual ground is complete
    d = decide(ws, t.listing_exts[0], category=PolicyCategory.HIDDEN_LINK, ground=Ground.TERMS_OF_SERVICE)
    st = ws.dsa.statements.of_decision(d.id)
    assert st is not None and st.payload["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"


def test_personal_data_in_the_explanation_is_refused(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    with pytest.raises(IncompleteDecision, match="a phone number"):
        decide(ws, t.listing_exts[0], explanation="Seller says call +48 22 555 01 23 for the real price.")
    with pytest.raises(IncompleteDecision, match="name or contact of a trader or notifier"):
        decide(ws, t.listing_exts[0], explanation="Reported by Margarete Oberhuber, who is right.")
    assert ws.lookup.listing(t.listing_exts[0]).decisions == []


def test_the_preview_names_the_same_missing_elements_as_the_refusal(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    item = ws.review.claim_listing(t.listing_exts[0], "ana")
    preview = ws.dsa.statements.preview(
        item.id, "ana", Action.REMOVE, PolicyCategory.OTHER, Ground.ILLEGAL_CONTENT, "x"
    )
    with pytest.raises(IncompleteDecision) as err:
        ws.review.decide(item.id, "ana", Action.REMOVE, PolicyCategory.OTHER, Ground.ILLEGAL_CONTENT, "x")
    assert preview.missing == err.value.missing and not preview.complete
    ok = ws.dsa.statements.preview(
        item.id, "ana", Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "x"
    )
    assert ok.complete and tdb.validate({**ok.payload, "puid": "mw-x"}) == []


def test_an_amendment_sets_scope_and_the_end_of_a_temporary_restriction(
    ws: Workstation, clock: FakeClock
) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    item = ws.review.claim_listing(t.listing_exts[0], "ana")
    end = (clock.now.date()).replace(day=28)
    d = ws.review.decide(
        item.id,
        "ana",
        Action.RESTRICT,
        PolicyCategory.UNSAFE_TOY,
        Ground.ILLEGAL_CONTENT,
        "Until the seller shows a CE certificate.",
        statement=StatementAmendment(territorial_scope=("DE", "AT"), restriction_end=end),
    )
    st = ws.dsa.statements.of_decision(d.id)
    assert st is not None
    assert st.payload["territorial_scope"] == ["AT", "DE"]
    assert st.payload["end_date_visibility_restriction"] == end.isoformat()


def test_automated_detection_and_trusted_flaggers_are_stated(ws: Workstation) -> None:
    t = make_trader(ws, listings=2)
    flag(ws, t.listing_ids[0], source=FlagSource.AUTOMATED, notifier=None, email=None)
    d = decide(ws, t.listing_exts[0])
    st = ws.dsa.statements.of_decision(d.id)
    assert st is not None
    assert (st.payload["automated_detection"], st.payload["source_type"]) == ("Yes", "SOURCE_VOLUNTARY")
    ws.dsa.flaggers.add("Consumer Safety Network e.V.", [PolicyCategory.UNSAFE_TOY], "sam")
    flag(
        ws,
        t.listing_ids[1],
        source=FlagSource.TRUSTED_FLAGGER,
        notifier="Consumer Safety Network e.V.",
        email="cases@csn.example",
    )
    d2 = decide(ws, t.listing_exts[1])
    st2 = ws.dsa.statements.of_decision(d2.id)
    assert st2 is not None and st2.payload["source_type"] == "SOURCE_TRUSTED_FLAGGER"
    assert "trusted flagger" in st2.payload["decision_facts"]


def test_an_undone_decision_withdraws_its_statement(ws: Workstation) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    d = decide(ws, t.listing_exts[0])
    ws.review.undo(d.id, "ana")
    st = ws.dsa.statements.find(d.puid)
    assert st.withdrawn
    assert not [m for m in ws.dsa.outbox.messages() if m.decision_id == d.id]
    d2 = ws.review.decide(d.item_id, "ana", Action.NO_VIOLATION)
    told = [m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.NOTICE_DECISION]
    assert [m.decision_id for m in told] == [d2.id]


def test_a_model_prediction_shown_with_the_decision_counts_as_automated_detection(ws: Workstation) -> None:
    t = make_trader(ws, listings=2)
    with ws.db.write() as s:
        ids = []
        for lid, score in zip(t.listing_ids, (0.91, 0.12), strict=True):
            sha = f"{lid:064d}"
            s.add(
                orm.ListingImage(listing_id=lid, position=0, sha256=sha, source_name="a.jpg", readable=True)
            )
            p = Prediction(
                image_sha256=sha,
                model_id="product-type",
                model_version="1",
                model_sha256="f" * 64,
                score=score,
                threshold=0.5,
                thresholds_json="{}",
                scores_json="{}",
                labels_json="[]",
                created_at=ws.clock(),
            )
            s.add(p)
            s.flush()
            ids.append(p.id)
    statements = []
    for lid, ext, pid in zip(t.listing_ids, t.listing_exts, ids, strict=True):
        flag(ws, lid)
        item = ws.review.claim_listing(ext, "ana")
        d = ws.review.decide(
            item.id,
            "ana",
            Action.REMOVE,
            PolicyCategory.UNSAFE_TOY,
            Ground.ILLEGAL_CONTENT,
            "Magnets.",
            shown_predictions=[pid],
        )
        statements.append(ws.dsa.statements.of_decision(d.id))
    assert [st.payload["automated_detection"] for st in statements if st] == [
        "Yes",
        "No",
    ]  # above / below threshold
