"""Read model of the predictions: what the review window shows for one listing, as domain DTOs."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

from sqlalchemy.orm import Session

from moderator_app.domain.errors import NotFound
from moderator_app.domain.predictions.model import (
    AdultView,
    ImagePredictions,
    ImageState,
    ListingPredictions,
    ModelKind,
    ModelRef,
    OcrView,
    ProductTypeView,
)
from moderator_app.domain.predictions.text_rules import TextFinding, TextSource
from moderator_app.storage.orm import ListingImage
from moderator_app.storage.predictions import prediction_repo as repo
from moderator_app.storage.predictions import prediction_rows as prow
from moderator_app.storage.predictions.orm_predictions import Prediction


def listing_predictions(
    session: Session,
    listing_id: int,
    scan_key: str,
    current: Collection[tuple[str, str]],
    wanted: Sequence[ModelKind],
    problems: Sequence[str] = (),
) -> ListingPredictions:
    """Stored results of a listing's images (the newest of each model, the current version first) and
    the findings of its scan with ``scan_key`` (or of its latest scan while that one is not done)."""
    if not repo.listing_texts(session, [listing_id]):
        raise NotFound(f"no listing {listing_id}")
    images = repo.images_of(session, [listing_id])
    rows = repo.predictions_of(session, {i.sha256 for i in images if i.sha256})
    scan = repo.scan_of(session, listing_id, scan_key)
    findings = repo.findings_of(session, scan.id) if scan is not None else []
    best: dict[tuple[str, str], Prediction] = {}
    for row in sorted(rows, key=lambda r: ((r.model_id, r.model_version) in current, r.created_at, r.id)):
        best[(row.image_sha256, row.model_id)] = row
    used: dict[str, ModelRef] = {}
    views = tuple(_image_view(im, best, wanted, findings, used) for im in images)
    return ListingPredictions(
        listing_id=listing_id,
        images=views,
        text_findings=tuple(f for f in findings if f.location.source is not TextSource.IMAGE),
        models=tuple(used.values()),
        rules_version=scan.rules_version if scan is not None else None,
        complete=scan is not None and scan.scan_key == scan_key,
        priority_boost=scan.boost if scan is not None else 0,
        boost_reasons=tuple(json.loads(scan.reasons)) if scan is not None else (),
        problems=tuple(problems),
    )


def _image_view(
    im: ListingImage,
    best: dict[tuple[str, str], Prediction],
    wanted: Sequence[ModelKind],
    findings: Sequence[TextFinding],
    used: dict[str, ModelRef],
) -> ImagePredictions:
    if not im.readable or not im.sha256:
        return ImagePredictions(im.id, im.position, im.sha256, ImageState.UNREADABLE, problem=im.problem)
    product: ProductTypeView | None = None
    adult: AdultView | None = None
    ocr: OcrView | None = None
    problem = None
    present = 0
    for kind in wanted:
        row = best.get((im.sha256, kind.value))
        if row is None:
            continue
        present += 1
        if row.error is not None:
            problem = row.error
            continue
        ref = prow.ref_of(row)
        used[f"{ref.id} {ref.version}"] = ref
        if kind is ModelKind.PRODUCT_TYPE:
            product = ProductTypeView(row.id, ref, prow.product_of(row))
        elif kind is ModelKind.ADULT_CONTENT:
            adult = AdultView(row.id, ref, prow.adult_of(row))
        else:
            ocr = OcrView(row.id, ref, prow.ocr_of(row))
    if problem is not None and product is None and adult is None and ocr is None:
        state = ImageState.FAILED
    elif present == 0:
        state = ImageState.PENDING
    elif present < len(wanted):
        state = ImageState.PARTLY
    else:
        state = ImageState.SCORED
    mine = tuple(
        f
        for f in findings
        if f.location.source is TextSource.IMAGE and f.location.image_position == im.position
    )
    return ImagePredictions(im.id, im.position, im.sha256, state, product, adult, ocr, mine, problem)
