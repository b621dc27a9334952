"""product-safety predictions: cached model results, text-rule findings, priority boosts, and what
each decision had on screen

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Tables are only created when missing: a database whose revision stamp was put back (a restored
# backup, the migration test) may hold them already, and creating them again would stop the upgrade.


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "predictions" not in existing:
        op.create_table(
            "predictions",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("image_sha256", sa.String(length=64), nullable=False),
            sa.Column("model_id", sa.String(length=64), nullable=False),
            sa.Column("model_version", sa.String(length=64), nullable=False),
            sa.Column("model_sha256", sa.String(length=64), nullable=False),
            sa.Column("score", sa.Float(), nullable=True),
            sa.Column("threshold", sa.Float(), nullable=True),
            sa.Column("thresholds_json", sa.Text(), nullable=False),
            sa.Column("scores_json", sa.Text(), nullable=False),
            sa.Column("labels_json", sa.Text(), nullable=False),
            sa.Column("ocr_json", sa.Text(), nullable=True),
            sa.Column("width", sa.Integer(), nullable=True),
            sa.Column("height", sa.Integer(), nullable=True),
            sa.Column("error", sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_predictions")),
            sa.UniqueConstraint(
                "image_sha256", "model_id", "model_version", name=op.f("uq_predictions_image_sha256")
            ),
        )

    if "listing_scans" not in existing:
        op.create_table(
            "listing_scans",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("listing_id", sa.Integer(), nullable=False),
            sa.Column("scan_key", sa.String(length=64), nullable=False),
            sa.Column("models", sa.Text(), nullable=False),
            sa.Column("rules_version", sa.String(length=64), nullable=False),
            sa.Column("boost", sa.Integer(), nullable=False),
            sa.Column("reasons", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["listing_id"], ["listings.id"], name=op.f("fk_listing_scans_listing_id_listings")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_scans")),
            sa.UniqueConstraint("listing_id", "scan_key", name=op.f("uq_listing_scans_listing_id")),
        )

    if "text_findings" not in existing:
        op.create_table(
            "text_findings",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("scan_id", sa.Integer(), nullable=False),
            sa.Column("rule_id", sa.String(length=64), nullable=False),
            sa.Column("rule_title", sa.String(length=200), nullable=False),
            sa.Column("kind", sa.String(length=32), nullable=False),
            sa.Column("category", sa.String(length=32), nullable=False),
            sa.Column("severity", sa.String(length=16), nullable=False),
            sa.Column("matched_text", sa.Text(), nullable=False),
            sa.Column("source", sa.String(length=16), nullable=False),
            sa.Column("image_position", sa.Integer(), nullable=True),
            sa.Column("line_index", sa.Integer(), nullable=True),
            sa.Column("start", sa.Integer(), nullable=False),
            sa.Column("end", sa.Integer(), nullable=False),
            sa.Column("box_json", sa.Text(), nullable=True),
            sa.ForeignKeyConstraint(
                ["scan_id"], ["listing_scans.id"], name=op.f("fk_text_findings_scan_id_listing_scans")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_text_findings")),
        )
        with op.batch_alter_table("text_findings") as batch_op:
            batch_op.create_index(batch_op.f("ix_text_findings_scan_id"), ["scan_id"], unique=False)

    if "item_boosts" not in existing:
        op.create_table(
            "item_boosts",
            sa.Column("item_id", sa.Integer(), nullable=False),
            sa.Column("scan_id", sa.Integer(), nullable=False),
            sa.Column("boost", sa.Integer(), nullable=False),
            sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["item_id"], ["review_items.id"], name=op.f("fk_item_boosts_item_id_review_items")
            ),
            sa.ForeignKeyConstraint(
                ["scan_id"], ["listing_scans.id"], name=op.f("fk_item_boosts_scan_id_listing_scans")
            ),
            sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_boosts")),
        )
        with op.batch_alter_table("item_boosts") as batch_op:
            batch_op.create_index(batch_op.f("ix_item_boosts_scan_id"), ["scan_id"], unique=False)

    if "decision_predictions" not in existing:
        op.create_table(
            "decision_predictions",
            sa.Column("decision_id", sa.Integer(), nullable=False),
            sa.Column("prediction_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["decision_id"], ["decisions.id"], name=op.f("fk_decision_predictions_decision_id_decisions")
            ),
            sa.ForeignKeyConstraint(
                ["prediction_id"],
                ["predictions.id"],
                name=op.f("fk_decision_predictions_prediction_id_predictions"),
            ),
            sa.PrimaryKeyConstraint("decision_id", "prediction_id", name=op.f("pk_decision_predictions")),
        )
        with op.batch_alter_table("decision_predictions") as batch_op:
            batch_op.create_index("ix_decision_predictions_prediction", ["prediction_id"], unique=False)

    if "decision_findings" not in existing:
        op.create_table(
            "decision_findings",
            sa.Column("decision_id", sa.Integer(), nullable=False),
            sa.Column("finding_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["decision_id"], ["decisions.id"], name=op.f("fk_decision_findings_decision_id_decisions")
            ),
            sa.ForeignKeyConstraint(
                ["finding_id"],
                ["text_findings.id"],
                name=op.f("fk_decision_findings_finding_id_text_findings"),
            ),
            sa.PrimaryKeyConstraint("decision_id", "finding_id", name=op.f("pk_decision_findings")),
        )
        with op.batch_alter_table("decision_findings") as batch_op:
            batch_op.create_index("ix_decision_findings_finding", ["finding_id"], unique=False)


def downgrade() -> None:
    op.drop_table("decision_findings")
    op.drop_table("decision_predictions")
    op.drop_table("item_boosts")
    op.drop_table("text_findings")
    op.drop_table("listing_scans")
    op.drop_table("predictions")
