"""Mappings of the product-safety predictions (migration 0003).

- ``predictions``: the cache of what a model said about an image, one row per (image SHA-256, model id,
  model version), with its provenance (the model file's SHA-256, the threshold in force) and results
  as JSON. Rows are written once and never changed, so a decision can point at them.
- ``listing_scans``: a listing scanned with one set of models and text rules (``scan_key`` names them),
  with the priority boost that followed and why.
- ``text_findings``: what the text rules found in that scan: rule, matched text and where (title,
  description, or OCR line of image N with its box).
- ``item_boosts``: the boost applied to each review item, so a rescan changes the priority by the
  difference and never adds a boost twice.
- ``decision_predictions`` / ``decision_findings``: the predictions and findings that were on screen
  when a decision was made (links, not copies: the rows they point at are immutable).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from moderator_app.storage.orm import Base, UTCDateTime


class Prediction(Base):
    __tablename__ = "predictions"
    __table_args__ = (UniqueConstraint("image_sha256", "model_id", "model_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    image_sha256: Mapped[str] = mapped_column(String(64))
    model_id: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str] = mapped_column(String(64))
    model_sha256: Mapped[str] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)  # the headline score (best category, adult score)
    threshold: Mapped[float | None] = mapped_column(Float)  # the threshold the score was judged by
    thresholds_json: Mapped[str] = mapped_column(Text, default="{}")  # all thresholds in force, by name
    scores_json: Mapped[str] = mapped_column(Text, default="{}")  # label -> score
    labels_json: Mapped[str] = mapped_column(Text, default="[]")  # top labels [[label, score], ...]
    ocr_json: Mapped[str | None] = mapped_column(Text)  # OCR lines [[text, score, box], ...]
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)  # the model could not read the image: why
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ListingScan(Base):
    __tablename__ = "listing_scans"
    __table_args__ = (UniqueConstraint("listing_id", "scan_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    scan_key: Mapped[str] = mapped_column(String(64))
    models: Mapped[str] = mapped_column(Text)  # what the key stands for, readable
    rules_version: Mapped[str] = mapped_column(String(64))
    boost: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TextFindingRow(Base):
    __tablename__ = "text_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("listing_scans.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    rule_title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    matched_text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # title, description, image
    image_position: Mapped[int | None] = mapped_column(Integer)
    line_index: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    box_json: Mapped[str | None] = mapped_column(Text)


class ItemBoost(Base):
    __tablename__ = "item_boosts"

    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("listing_scans.id"), index=True)
    boost: Mapped[int] = mapped_column(Integer)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DecisionPrediction(Base):
    __tablename__ = "decision_predictions"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id"), primary_key=True)


class DecisionFinding(Base):
    __tablename__ = "decision_findings"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("text_findings.id"), primary_key=True)


# "Which decisions saw this prediction?" (how often was a model wrong) walks this index.
Index("ix_decision_predictions_prediction", DecisionPrediction.prediction_id)
Index("ix_decision_findings_finding", DecisionFinding.finding_id)
