"""Queries and writes of the prediction cache, the listing scans and what decisions had on screen.

Prediction rows are inserted with ON CONFLICT DO NOTHING (two workstations scoring the same image both
succeed, one row stays) and never updated, so the links from decisions always point at what was shown.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator_app.domain.enums import ItemState, Queue
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.predictions import (
    DecisionEvidence,
    ModelRef,
)
from moderator_app.domain.text_rules import TextFinding
from moderator_app.storage.orm import Listing, ListingImage, ReviewItem
from moderator_app.storage.orm_predictions import (
    DecisionFinding,
    DecisionPrediction,
    ItemBoost,
    ListingScan,
    Prediction,
    TextFindingRow,
)
from moderator_app.storage.prediction_rows import finding_of, stored

OPEN = ItemState.OPEN.value

# -- the prediction cache ---------------------------------------------------------------------------------


def insert_predictions(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Prediction).on_conflict_do_nothing(
        index_elements=["image_sha256", "model_id", "model_version"]
    )
    session.execute(stmt, list(rows))


def stored_keys(session: Session, shas: Collection[str], refs: Sequence[ModelRef]) -> set[tuple[str, str]]:
    """(image, model id) pairs already predicted by the current version of each model."""
    if not shas or not refs:
        return set()
    versions = or_(*(and_(Prediction.model_id == r.id, Prediction.model_version == r.version) for r in refs))
    rows = session.execute(
        select(Prediction.image_sha256, Prediction.model_id).where(
            Prediction.image_sha256.in_(list(shas)), versions
        )
    )
    return {(sha, mid) for sha, mid in rows}


def predictions_of(session: Session, shas: Collection[str]) -> list[Prediction]:
    if not shas:
        return []
    return list(
        session.scalars(
            select(Prediction)
            .where(Prediction.image_sha256.in_(list(shas)))
            .order_by(Prediction.created_at, Prediction.id)
        )
    )


# -- listings, scans and findings -------------------------------------------------------------------------


def pending_items(
    session: Session, scan_key: str, queue: str | None, limit: int | None
) -> list[tuple[int, int]]:
    """Open items (item id, listing id) not yet scored with the current models and rules, queue order."""
    stmt = (
        select(ReviewItem.id, ReviewItem.listing_id)
        .outerjoin(ItemBoost, ItemBoost.item_id == ReviewItem.id)
        .outerjoin(ListingScan, ListingScan.id == ItemBoost.scan_id)
        .where(ReviewItem.state == OPEN, or_(ItemBoost.item_id.is_(None), ListingScan.scan_key != scan_key))
        .order_by(ReviewItem.priority.desc(), ReviewItem.created_at.asc(), ReviewItem.id.asc())
    )
    if queue:
        stmt = stmt.where(ReviewItem.queue == queue)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [(int(i), int(li)) for i, li in session.execute(stmt)]


def listing_texts(session: Session, listing_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Title and description of each listing (what the text rules read)."""
    if not listing_ids:
        return {}
    rows = session.execute(
        select(Listing.id, Listing.title, Listing.description).where(Listing.id.in_(list(listing_ids)))
    )
    return {int(i): (title or "", description or "") for i, title, description in rows}


def images_of(session: Session, listing_ids: Collection[int]) -> list[ListingImage]:
    if not listing_ids:
        return []
    return list(
        session.scalars(
            select(ListingImage)
            .where(ListingImage.listing_id.in_(list(listing_ids)))
            .order_by(ListingImage.listing_id, ListingImage.position)
        )
    )


def scan_of(session: Session, listing_id: int, scan_key: str | None) -> ListingScan | None:
    """The scan with ``scan_key``; without one (or when there is none), the listing's latest scan."""
    if scan_key is not None:
        row = session.scalar(
            select(ListingScan).where(ListingScan.listing_id == listing_id, ListingScan.scan_key == scan_key)
        )
        if row is not None:
            return row
    return session.scalar(
        select(ListingScan)
        .where(ListingScan.listing_id == listing_id)
        .order_by(ListingScan.id.desc())
        .limit(1)
    )


def scan_by_id(session: Session, scan_id: int) -> ListingScan:
    return session.get_one(ListingScan, scan_id)


def scanned(session: Session, listing_ids: Collection[int], scan_key: str) -> dict[int, ListingScan]:
    if not listing_ids:
        return {}
    rows = session.scalars(
        select(ListingScan).where(
            ListingScan.listing_id.in_(list(listing_ids)), ListingScan.scan_key == scan_key
        )
    )
    return {r.listing_id: r for r in rows}


def save_scan(
    session: Session,
    listing_id: int,
    scan_key: str,
    models: str,
    rules_version: str,
    boost: int,
    reasons: Sequence[str],
    findings: Iterable[TextFinding],
    now: datetime,
) -> ListingScan:
    """Store one scan and its findings; when another process stored the same scan first, return that."""
    existing = scanned(session, [listing_id], scan_key).get(listing_id)
    if existing is not None:
        return existing
    scan = ListingScan(
        listing_id=listing_id,
        scan_key=scan_key,
        models=models,
        rules_version=rules_version[:64],
        boost=boost,
        reasons=json.dumps(list(reasons), ensure_ascii=False),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(scan)
            session.flush()
    except IntegrityError:
        again = scanned(session, [listing_id], scan_key).get(listing_id)
        assert again is not None
        return again
    session.add_all(
        TextFindingRow(
            scan_id=scan.id,
            rule_id=f.rule_id[:64],
            rule_title=f.rule_title[:200],
            kind=f.kind.value,
            category=f.category.value,
            severity=f.severity.value,
            matched_text=f.matched_text,
            source=f.location.source.value,
            image_position=f.location.image_position,
            line_index=f.location.line,
            start=f.start,
            end=f.end,
            box_json=json.dumps(f.location.box) if f.location.box else None,
        )
        for f in findings
    )
    return scan


def apply_boost(session: Session, listing_id: int, scan: ListingScan, now: datetime) -> int:
    """Give the listing's open items the scan's boost (by the difference to what they already have).

    Returns how many items changed priority. An escalated item inherited its priority, boost included,
    from the item it replaced, so that boost counts as already applied.
    """
    changed = 0
    items = session.scalars(
        select(ReviewItem).where(ReviewItem.listing_id == listing_id, ReviewItem.state == OPEN)
    )
    for item in list(items):
        have = session.get(ItemBoost, item.id)
        old = have.boost if have is not None else _inherited_boost(session, item)
        delta = scan.boost - old
        if delta:
            session.execute(
                update(ReviewItem)
                .where(ReviewItem.id == item.id, ReviewItem.state == OPEN)
                .values(priority=ReviewItem.priority + delta)
            )
            changed += 1
        if have is None:
            session.add(ItemBoost(item_id=item.id, scan_id=scan.id, boost=scan.boost, applied_at=now))
        else:
            have.scan_id, have.boost, have.applied_at = scan.id, scan.boost, now
    return changed


def _inherited_boost(session: Session, item: ReviewItem) -> int:
    if item.queue != Queue.ESCALATED.value:
        return 0
    previous = session.scalar(
        select(ItemBoost.boost)
        .join(ReviewItem, ReviewItem.id == ItemBoost.item_id)
        .where(ReviewItem.listing_id == item.listing_id, ReviewItem.state == ItemState.ESCALATED.value)
        .order_by(ReviewItem.id.desc())
        .limit(1)
    )
    return int(previous or 0)


def findings_of(session: Session, scan_id: int) -> list[TextFinding]:
    rows = session.scalars(
        select(TextFindingRow).where(TextFindingRow.scan_id == scan_id).order_by(TextFindingRow.id)
    )
    return [finding_of(r) for r in rows]


def count_predictions(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Prediction)) or 0)


# -- what a decision had on screen ------------------------------------------------------------------------


def record_shown(
    session: Session,
    decision_id: int,
    listing_id: int,
    prediction_ids: Collection[int],
    finding_ids: Collection[int],
) -> None:
    """Link a decision to the predictions and findings shown with it; all must be of this listing."""
    pids, fids = set(prediction_ids), set(finding_ids)
    if pids:
        shas = select(ListingImage.sha256).where(ListingImage.listing_id == listing_id)
        ok = set(
            session.scalars(
                select(Prediction.id).where(Prediction.id.in_(pids), Prediction.image_sha256.in_(shas))
            )
        )
        if pids - ok:
            raise InvalidInput(
                f"predictions {sorted(pids - ok)} are not predictions of this listing's images; nothing was recorded"
            )
        session.add_all(DecisionPrediction(decision_id=decision_id, prediction_id=p) for p in sorted(pids))
    if fids:
        ok = set(
            session.scalars(
                select(TextFindingRow.id)
                .join(ListingScan, ListingScan.id == TextFindingRow.scan_id)
                .where(TextFindingRow.id.in_(fids), ListingScan.listing_id == listing_id)
            )
        )
        if fids - ok:
            raise InvalidInput(
                f"text findings {sorted(fids - ok)} are not of this listing; nothing was recorded"
            )
        session.add_all(DecisionFinding(decision_id=decision_id, finding_id=f) for f in sorted(fids))


def evidence(session: Session, decision_id: int) -> DecisionEvidence:
    preds = session.scalars(
        select(Prediction)
        .join(DecisionPrediction, DecisionPrediction.prediction_id == Prediction.id)
        .where(DecisionPrediction.decision_id == decision_id)
        .order_by(Prediction.id)
    )
    finds = session.scalars(
        select(TextFindingRow)
        .join(DecisionFinding, DecisionFinding.finding_id == TextFindingRow.id)
        .where(DecisionFinding.decision_id == decision_id)
        .order_by(TextFindingRow.id)
    )
    return DecisionEvidence(decision_id, [stored(p) for p in preds], [finding_of(f) for f in finds])
