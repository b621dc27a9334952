"""Prediction rows and domain objects: building the rows to store, reading stored rows back.

No queries here (see :mod:`prediction_repo`); the JSON shapes of the columns are defined only here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.predictions.model import (
    AdultResult,
    CategoryScore,
    ModelRef,
    ProductTypeResult,
    RiskCategory,
    StoredPrediction,
    TopLabel,
)
from moderator_app.domain.predictions.ocr import Box, OcrLine
from moderator_app.domain.predictions.text_rules import (
    RuleKind,
    Severity,
    TextFinding,
    TextLocation,
    TextSource,
)
from moderator_app.storage.predictions.orm_predictions import Prediction, TextFindingRow

_RISK_VALUES = frozenset(c.value for c in RiskCategory)


def _row(sha: str, ref: ModelRef, now: datetime, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "image_sha256": sha,
        "model_id": ref.id,
        "model_version": ref.version,
        "model_sha256": ref.sha256,
        "score": None,
        "threshold": None,
        "thresholds_json": "{}",
        "scores_json": "{}",
        "labels_json": "[]",
        "ocr_json": None,
        "width": None,
        "height": None,
        "error": None,
        "created_at": now,
    }
    base.update(values)
    return base


def product_row(
    sha: str, ref: ModelRef, r: ProductTypeResult, size: tuple[int, int] | None, now: datetime
) -> dict[str, Any]:
    watched = [c for c in r.categories if c.category is not RiskCategory.OTHER]
    return _row(
        sha,
        ref,
        now,
        score=max((c.score for c in watched), default=0.0),
        threshold=r.show_threshold,
        thresholds_json=json.dumps({"show": r.show_threshold, "strong": r.strong_threshold}),
        scores_json=json.dumps({c.category.value: round(c.score, 6) for c in r.categories}),
        labels_json=json.dumps([[t.label, round(t.score, 6)] for t in r.top_labels], ensure_ascii=False),
        width=size[0] if size else None,
        height=size[1] if size else None,
    )


def adult_row(
    sha: str, ref: ModelRef, r: AdultResult, size: tuple[int, int] | None, now: datetime
) -> dict[str, Any]:
    return _row(
        sha,
        ref,
        now,
        score=round(r.score, 6),
        threshold=r.blur_threshold,
        thresholds_json=json.dumps({"blur": r.blur_threshold, "strong": r.strong_threshold}),
        scores_json=json.dumps({"safe": round(1 - r.score, 6), "nsfw": round(r.score, 6)}),
        width=size[0] if size else None,
        height=size[1] if size else None,
    )


def ocr_row(
    sha: str,
    ref: ModelRef,
    lines: Sequence[OcrLine],
    text_score: float,
    size: tuple[int, int] | None,
    now: datetime,
) -> dict[str, Any]:
    return _row(
        sha,
        ref,
        now,
        threshold=text_score,
        thresholds_json=json.dumps({"text_score": text_score}),
        ocr_json=json.dumps([[ln.text, round(ln.score, 4), ln.box] for ln in lines], ensure_ascii=False),
        width=size[0] if size else None,
        height=size[1] if size else None,
    )


def error_row(sha: str, ref: ModelRef, problem: str, now: datetime) -> dict[str, Any]:
    return _row(sha, ref, now, error=problem[:1000])


def ref_of(row: Prediction) -> ModelRef:
    return ModelRef(row.model_id, row.model_version, row.model_sha256)


def product_of(row: Prediction) -> ProductTypeResult:
    thresholds = json.loads(row.thresholds_json or "{}")
    scores = json.loads(row.scores_json or "{}")
    return ProductTypeResult(
        categories=tuple(
            CategoryScore(RiskCategory(k), float(v)) for k, v in scores.items() if k in _RISK_VALUES
        ),
        top_labels=tuple(
            TopLabel(str(label), float(score)) for label, score in json.loads(row.labels_json or "[]")
        ),
        show_threshold=float(thresholds.get("show", row.threshold or 0.3)),
        strong_threshold=float(thresholds.get("strong", 0.6)),
    )


def adult_of(row: Prediction) -> AdultResult:
    thresholds = json.loads(row.thresholds_json or "{}")
    return AdultResult(
        float(row.score or 0.0),
        float(thresholds.get("blur", row.threshold or 0.4)),
        float(thresholds.get("strong", 0.8)),
    )


def _box(raw: Any) -> Box:
    p = [(float(x), float(y)) for x, y in raw]
    return (p[0], p[1], p[2], p[3])


def ocr_of(row: Prediction) -> tuple[OcrLine, ...]:
    return tuple(OcrLine(str(t), float(s), _box(b)) for t, s, b in json.loads(row.ocr_json or "[]"))


def stored(row: Prediction) -> StoredPrediction:
    return StoredPrediction(
        id=row.id,
        image_sha256=row.image_sha256,
        model=ref_of(row),
        score=row.score,
        threshold=row.threshold,
        scores={str(k): float(v) for k, v in json.loads(row.scores_json or "{}").items()},
        labels=[TopLabel(str(label), float(s)) for label, s in json.loads(row.labels_json or "[]")],
        ocr=list(ocr_of(row)) if row.ocr_json is not None else None,
        error=row.error,
        created_at=row.created_at,
    )


def finding_of(row: TextFindingRow) -> TextFinding:
    box = _box(json.loads(row.box_json)) if row.box_json else None
    return TextFinding(
        rule_id=row.rule_id,
        rule_title=row.rule_title,
        kind=RuleKind(row.kind),
        category=PolicyCategory(row.category),
        severity=Severity(row.severity),
        matched_text=row.matched_text,
        start=row.start,
        end=row.end,
        location=TextLocation(TextSource(row.source), row.image_position, row.line_index, box),
        id=row.id,
    )
