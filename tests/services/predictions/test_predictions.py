"""Background scoring on SQLite and PostgreSQL: predictions stored with provenance, nothing scored twice,
safe interruption, priorities, and what the review window is handed for a listing."""

from __future__ import annotations

import pytest

from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.errors import InvalidInput, NotFound
from moderator_app.domain.image_limits import UNSUPPORTED_FORMAT
from moderator_app.domain.predictions.model import ImageState, ModelKind, ScoreProgress
from moderator_app.domain.predictions.text_rules import RuleKind, TextSource
from moderator_app.services.predictions.predictions_engines import Engines
from moderator_app.services.workstation import Workstation
from tests.factories import seed
from tests.prediction_data import add_images, engines, eval_bytes, priority_of, pws, set_text, text_image

__all__ = ["engines", "pws"]  # fixtures


def _runs(e: Engines) -> dict[str, int]:
    return {k.value: e.models.runs(k) for k in e.models.kinds} | {"ocr": e.ocr.runs}


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after}


def test_scoring_stores_each_result_with_its_provenance_and_a_second_run_does_nothing(
    pws: Workstation, engines: Engines
) -> None:
    s = seed(pws, listings=3)
    add_images(pws, s.listing_ids[0], [eval_bytes("photos/coffee.jpg"), eval_bytes("photos/rocket.jpg")])
    add_images(pws, s.listing_ids[1], [eval_bytes("photos/coffee.jpg")])  # the same photo again
    add_images(pws, s.listing_ids[2], [text_image(["Order on WhatsApp", "+86 138 0013 8000"])])
    before = _runs(engines)

    report = pws.predictions.score_pending()

    assert not report.interrupted and report.listings_scanned == 3
    assert report.images_scored == 3  # the shared photo once
    assert _delta(before, _runs(engines)) == {"product-type": 3, "adult-content": 3, "ocr": 3}
    view = pws.predictions.predictions_for_listing(s.listing_ids[0])
    assert view.complete and [i.state for i in view.images] == [ImageState.SCORED, ImageState.SCORED]
    coffee = view.images[0]
    assert coffee.product is not None and coffee.adult is not None and coffee.ocr is not None
    assert coffee.product.model.id == "product-type" and coffee.product.model.version == "1"
    assert coffee.product.model.sha256 == engines.models.ref(ModelKind.PRODUCT_TYPE).sha256  # type: ignore[union-attr]
    assert coffee.product.result.top_labels[0].label == "espresso"
    assert not coffee.blur and not view.blur_by_default
    assert {m.id for m in view.models} == {"product-type", "adult-content", "ocr"}
    assert "text rules 2026.11-1" in view.model_versions

    again = _runs(engines)
    second = pws.predictions.score_pending()
    assert (second.listings_scanned, second.images_scored, second.interrupted) == (0, 0, False)
    assert _runs(engines) == again  # no model ran


def test_text_in_an_image_becomes_a_finding_with_its_box_and_raises_the_priority_once(
    pws: Workstation,
) -> None:
    s = seed(pws, listings=2, priorities=[10, 10])
    add_images(
        pws,
        s.listing_ids[0],
        [eval_bytes("photos/coffee.jpg"), text_image(["Order on WhatsApp", "+86 138 0013 8000"])],
    )

    report = pws.predictions.score_pending()

    assert report.items_reprioritised == 1
    view = pws.predictions.predictions_for_listing(s.listing_ids[0])
    (found,) = view.findings
    assert found.kind is RuleKind.HIDDEN_LINK and found.matched_text == "+86 138 0013 8000"
    assert found.location.source is TextSource.IMAGE and found.location.image_position == 1
    assert found.location.describe() == "text in image 2"
    assert view.images[1].findings == (found,) and view.images[0].findings == ()
    (x0, y0), _, (x1, _), _ = found.location.box  # type: ignore[misc]
    assert 30 < x0 < 120 and 100 < y0 < 200 and x1 > 400  # the second line, drawn at (40, 130)
    assert view.priority_boost == 10 and view.boost_reasons == ("+10: text rule finding (hidden link)",)
    assert priority_of(pws, s.item_ids[0]) == 20 and priority_of(pws, s.item_ids[1]) == 10
    assert pws.review.claim_next("general", "ann").item.id == s.item_ids[0]  # type: ignore[union-attr]

    pws.predictions.score_pending()  # nothing new: the boost is not added again
    assert priority_of(pws, s.item_ids[0]) == 20


def test_title_and_description_findings_are_found_without_any_image(pws: Workstation) -> None:
    s = seed(pws, listings=1, priorities=[10])
    set_text(
        pws, s.listing_ids[0], "Sildenafil 100mg, no prescription needed", "Ask: telegram @cheap_meds_eu"
    )

    pws.predictions.score_pending(ocr=False)

    view = pws.predictions.predictions_for_listing(s.listing_ids[0])
    assert [(f.kind, f.location.source) for f in view.text_findings] == [
        (RuleKind.PRESCRIPTION_SUBSTANCE, TextSource.TITLE),
        (RuleKind.PRESCRIPTION_SUBSTANCE, TextSource.TITLE),
        (RuleKind.HIDDEN_LINK, TextSource.DESCRIPTION),
    ]
    assert priority_of(pws, s.item_ids[0]) == 10 + 20


def test_scoring_can_be_interrupted_and_resumed_without_scoring_anything_twice(
    pws: Workstation, engines: Engines
) -> None:
    s = seed(pws, listings=20)
    photos = ["coffee", "chelsea", "astronaut", "camera", "clock"]
    for i, lid in enumerate(s.listing_ids):
        add_images(
            pws,
            lid,
            [text_image([f"Listing {i}"], size=(300, 200)), eval_bytes(f"photos/{photos[i % 5]}.jpg")],
        )
    before = _runs(engines)
    seen: list[ScoreProgress] = []

    def ctrl_c_after_first_chunk(p: ScoreProgress) -> None:
        seen.append(p)
        raise KeyboardInterrupt

    first = pws.predictions.score_pending(progress=ctrl_c_after_first_chunk, ocr=False)

    assert first.interrupted and first.exit_status == 130
    assert seen == [ScoreProgress(16, 20, first.images_scored)]
    assert first.listings_scanned == 16  # the first chunk was committed before Ctrl-C
    second = pws.predictions.score_pending(ocr=False)
    assert not second.interrupted and second.listings_scanned == 4
    distinct = 20 + 5  # twenty text images and five photos
    assert first.images_scored + second.images_scored == distinct  # what was committed is not run again
    # only the chunk being scored when Ctrl-C came ran twice (its results had not been stored)
    assert distinct <= _delta(before, _runs(engines))["product-type"] < distinct + 16
    third = _runs(engines)
    assert pws.predictions.score_pending(ocr=False).listings_scanned == 0
    assert _runs(engines) == third


def test_a_stop_request_ends_the_run_and_the_rest_stays_pending(pws: Workstation) -> None:
    s = seed(pws, listings=20)
    for lid in s.listing_ids:
        add_images(pws, lid, [eval_bytes("photos/horse.jpg")])
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1  # let one chunk through

    report = pws.predictions.score_pending(ocr=False, stop=stop)
    assert report.interrupted and report.listings_scanned == 16
    assert pws.predictions.score_pending(ocr=False, queue="general", limit=3).listings_scanned == 3
    assert pws.predictions.score_pending(ocr=False, queue="other-queue").listings_scanned == 0


def test_unreadable_and_corrupt_images_are_reported_and_the_rest_is_scored(
    pws: Workstation, engines: Engines
) -> None:
    s = seed(pws, listings=1)
    shas = add_images(
        pws,
        s.listing_ids[0],
        [b"not an image", eval_bytes("photos/chelsea.jpg"), eval_bytes("photos/coins.jpg")],
    )
    # the stored bytes of the third image are damaged after import
    path = pws.db.media.path_for(shas[2])
    path.write_bytes(path.read_bytes()[:300])

    report = pws.predictions.score_pending(ocr=False)

    assert report.images_failed == 1 and report.images_scored == 1
    states = [(i.state, i.problem) for i in pws.predictions.predictions_for_listing(s.listing_ids[0]).images]
    assert states[0] == (ImageState.UNREADABLE, UNSUPPORTED_FORMAT)
    assert states[1][0] is ImageState.PARTLY  # no OCR yet: it comes with background scoring
    assert states[2][0] is ImageState.FAILED and "corrupt or truncated image" in (states[2][1] or "")
    before = _runs(engines)
    pws.predictions.score_pending(ocr=False)
    assert _runs(engines) == before  # the failure is remembered, not retried


def test_a_decision_stores_the_predictions_that_were_on_screen(pws: Workstation) -> None:
    s = seed(pws, listings=2)
    set_text(pws, s.listing_ids[0], "Rolex AAA quality")
    add_images(pws, s.listing_ids[0], [eval_bytes("photos/clock.jpg")])
    add_images(pws, s.listing_ids[1], [eval_bytes("photos/horse.jpg")])
    pws.predictions.score_pending(ocr=False)
    view = pws.predictions.score_listing(s.listing_ids[0])
    other = pws.predictions.predictions_for_listing(s.listing_ids[1])
    assert len(view.prediction_ids) == 2 and len(view.finding_ids) == 2
    item = pws.review.claim_listing(s.listing_ids[0], "ann")

    with pytest.raises(InvalidInput, match="not predictions of this listing's images"):
        pws.review.decide(
            item.id,
            "ann",
            Action.REMOVE,
            PolicyCategory.COUNTERFEIT,
            Ground.ILLEGAL_CONTENT,
            "replica watch",
            shown_predictions=other.prediction_ids,
        )
    assert pws.review.last_decision("ann") is None  # nothing half-written

    decision = pws.review.decide(
        item.id,
        "ann",
        Action.REMOVE,
        PolicyCategory.COUNTERFEIT,
        Ground.ILLEGAL_CONTENT,
        "replica watch",
        shown_predictions=view.prediction_ids,
        shown_findings=view.finding_ids,
    )

    evidence = pws.predictions.shown_at_decision(decision.id)
    assert evidence.automated_means_involved
    assert sorted(p.id for p in evidence.predictions) == sorted(view.prediction_ids)
    assert {p.model.id for p in evidence.predictions} == {"product-type", "adult-content"}
    product = next(p for p in evidence.predictions if p.model.id == "product-type")
    assert product.threshold == 0.3 and product.labels and len(product.model.sha256) == 64
    assert [f.matched_text for f in evidence.findings] == ["Rolex", "AAA quality"]
    plain = pws.review.claim_listing(s.listing_ids[1], "ann")
    undecorated = pws.review.decide(plain.id, "ann", Action.NO_VIOLATION)
    assert not pws.predictions.shown_at_decision(undecorated.id).automated_means_involved


def test_a_listing_not_scored_yet_is_pending_and_unknown_listings_are_named(pws: Workstation) -> None:
    s = seed(pws, listings=1)
    add_images(pws, s.listing_ids[0], [eval_bytes("photos/coffee.jpg")])
    view = pws.predictions.predictions_for_listing(s.listing_ids[0])
    assert not view.complete and view.images[0].state is ImageState.PENDING and view.prediction_ids == ()
    with pytest.raises(NotFound, match="no listing 9999"):
        pws.predictions.predictions_for_listing(9999)
    with pytest.raises(NotFound):
        pws.predictions.score_listing(9999)


def test_edited_rules_rescore_text_and_change_the_priority_by_the_difference(
    pws: Workstation, engines: Engines, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    s = seed(pws, listings=1, priorities=[10])
    set_text(pws, s.listing_ids[0], "Magnetic toy set, CE certified")
    add_images(pws, s.listing_ids[0], [eval_bytes("photos/horse.jpg")])
    pws.predictions.score_pending(ocr=False)
    assert priority_of(pws, s.item_ids[0]) == 13  # a safety-mark note

    rules = tmp_path / "rules.json"
    rules.write_text(
        '{"version": "edited", "rules": [{"id": "magnets", "kind": "health_claim", "severity": "strong",'
        ' "category": "unsafe_toy", "terms": ["magnetic toy"]}]}'
    )
    before = _runs(engines)
    pws.predictions.reload_rules(rules)
    report = pws.predictions.score_pending(ocr=False)

    assert report.listings_scanned == 1 and report.images_cached == 1
    assert _runs(pws.predictions.engines()) == before  # same models: images not run again
    assert priority_of(pws, s.item_ids[0]) == 20
    view = pws.predictions.predictions_for_listing(s.listing_ids[0])
    assert [f.rule_id for f in view.findings] == ["magnets"] and view.rules_version.startswith("edited ")  # type: ignore[union-attr]


def test_a_stop_request_is_heard_between_images_while_text_is_read(pws: Workstation) -> None:
    s = seed(pws, listings=2)
    for lid in s.listing_ids:
        add_images(
            pws, lid, [text_image([f"Shop {lid}"], size=(400, 200)), text_image(["Call +49 30 1234567"])]
        )
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) >= 3  # the chunk starts, the first image is read, then: stop

    report = pws.predictions.score_pending(stop=stop)

    assert report.interrupted and report.listings_scanned == 0  # the unfinished chunk left nothing
    assert not pws.predictions.predictions_for_listing(s.listing_ids[0]).complete
    assert pws.predictions.score_pending().listings_scanned == 2


def test_an_escalated_item_keeps_the_boost_it_inherited_and_gets_no_second_one(pws: Workstation) -> None:
    s = seed(pws, listings=1, priorities=[10])
    set_text(pws, s.listing_ids[0], "Order via WhatsApp +86 138 0013 8000")
    pws.predictions.score_pending(ocr=False)
    assert priority_of(pws, s.item_ids[0]) == 20
    item = pws.review.claim_listing(s.listing_ids[0], "ann")
    pws.review.decide(item.id, "ann", Action.ESCALATE, explanation="ask a supervisor")
    escalated = pws.review.queue_counts()
    assert [(c.queue, c.pending) for c in escalated] == [("escalated", 1)]

    report = pws.predictions.score_pending(ocr=False)

    assert report.listings_scanned == 1 and report.items_reprioritised == 0
    case = pws.review.claim_next("escalated", "sue")
    assert case is not None and case.item.priority == 20 + 100
