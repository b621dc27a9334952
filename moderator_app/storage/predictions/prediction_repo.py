"""Queries and writes of the prediction cache, the listing scans and what decisions had on screen.

Prediction rows are inserted with ON CONFLICT DO NOTHING (two workstations scoring the same image both
succeed, one row stays) and never updated, so the links from decisions always point at what was shown.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator_app.domain.enums import ItemState, Queue
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.predictions.model import (
    DecisionEvidence,
    ModelRef,
)
from moderator_app.domain.predictions.text_rules import TextFinding
from moderator_app.storage.db import Failure, classify
from moderator_app.storage.orm import Listing, ListingImage, ReviewItem
from moderator_app.storage.predictions.orm_predictions import (
    DecisionFinding,
    DecisionPrediction,
    ItemBoost,
    ListingScan,
    Prediction,
    TextFindingRow,
)
from moderator_app.storage.predictions.prediction_rows import finding_of, stored

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


def scan_boosts(session: Session, scan_ids: dict[int, int]) -> dict[int, tuple[int, int]]:
    """listing id -> (scan id, boost) of scans stored earlier."""
    if not scan_ids:
        return {}
    rows = session.execute(
        select(ListingScan.listing_id, ListingScan.id, ListingScan.boost).where(
            ListingScan.id.in_(list(scan_ids.values()))
        )
    )
    return {int(lid): (int(sid), int(boost)) for lid, sid, boost in rows}


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
    except IntegrityError as exc:
        if classify(exc) is not Failure.UNIQUE:  # another workstation saved this scan first; else a bug
            raise
        again = scanned(session, [listing_id], scan_key).get(listing_id)
        assert again is not None
        return again
    session.add_all(_finding_row(scan.id, f) for f in findings)
    return scan


def _finding_row(scan_id: int, f: TextFinding) -> TextFindingRow:
    return TextFindingRow(
        scan_id=scan_id,
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


@dataclass(frozen=True, slots=True)
class NewScan:
    """What a scan of one listing found, to be stored."""

    listing_id: int
    boost: int
    reasons: tuple[str, ...]
    findings: Sequence[TextFinding]


def save_scans(
    session: Session, scans: Sequence[NewScan], scan_key: str, models: str, rules_version: str, now: datetime
) -> dict[int, tuple[int, int]]:
    """Store the scans of a chunk in a few statements: listing id -> (scan id, boost).

    Scans another workstation stored first are kept as they are (theirs is returned)."""
    out = {
        lid: (sc.id, sc.boost)
        for lid, sc in scanned(session, [n.listing_id for n in scans], scan_key).items()
    }
    todo = [n for n in scans if n.listing_id not in out]
    if not todo:
        return out
    rows = [
        ListingScan(
            listing_id=n.listing_id,
            scan_key=scan_key,
            models=models,
            rules_version=rules_version[:64],
            boost=n.boost,
            reasons=json.dumps(list(n.reasons), ensure_ascii=False),
            created_at=now,
        )
        for n in todo
    ]
    try:
        with session.begin_nested():
            session.add_all(rows)
            session.flush()
    except IntegrityError as exc:  # a race with another workstation: one at a time, theirs wins
        if classify(exc) is not Failure.UNIQUE:
            raise
        for n in todo:
            one = save_scan(
                session, n.listing_id, scan_key, models, rules_version, n.boost, n.reasons, n.findings, now
            )
            out[n.listing_id] = (one.id, one.boost)
        return out
    session.add_all(_finding_row(row.id, f) for row, n in zip(rows, todo, strict=True) for f in n.findings)
    out.update({row.listing_id: (row.id, row.boost) for row in rows})
    return out


def apply_boosts(session: Session, scans: dict[int, tuple[int, int]], now: datetime) -> int:
    """Give the open items of these listings their scan's boost, by the difference to what they have.

    Returns how many items changed priority. An escalated item inherited its priority, boost included,
    from the item it replaced, so that boost counts as already applied.
    """
    if not scans:
        return 0
    items = session.execute(
        select(ReviewItem.id, ReviewItem.listing_id, ReviewItem.queue).where(
            ReviewItem.listing_id.in_(list(scans)), ReviewItem.state == OPEN
        )
    ).all()
    have = {
        b.item_id: b
        for b in session.scalars(select(ItemBoost).where(ItemBoost.item_id.in_([i for i, _, _ in items])))
    }
    by_delta: dict[int, list[int]] = {}
    for item_id, listing_id, queue in items:
        scan_id, boost = scans[listing_id]
        mine = have.get(item_id)
        old = mine.boost if mine is not None else _inherited_boost(session, listing_id, queue)
        if boost != old:
            by_delta.setdefault(boost - old, []).append(item_id)
        if mine is None:
            session.add(ItemBoost(item_id=item_id, scan_id=scan_id, boost=boost, applied_at=now))
        else:
            mine.scan_id, mine.boost, mine.applied_at = scan_id, boost, now
    for delta, ids in by_delta.items():
        session.execute(
            update(ReviewItem)
            .where(ReviewItem.id.in_(ids), ReviewItem.state == OPEN)
            .values(priority=ReviewItem.priority + delta)
        )
    return sum(len(ids) for ids in by_delta.values())


def _inherited_boost(session: Session, listing_id: int, queue: str) -> int:
    if queue != Queue.ESCALATED.value:
        return 0
    previous = session.scalar(
        select(ItemBoost.boost)
        .join(ReviewItem, ReviewItem.id == ItemBoost.item_id)
        .where(ReviewItem.listing_id == listing_id, ReviewItem.state == ItemState.ESCALATED.value)
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
