"""DSA tables: notices, trusted flaggers, statements of reasons and their export log, complaints,
account measures (Art 23), the outbox, supervisors' policy versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Tables are only created when missing: a database whose revision stamp was put back (a restored
# backup, the migration test) may hold them already, and creating them again would stop the upgrade.


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "dsa_policies" not in existing:
        op.create_table(
            "dsa_policies",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("content", sa.Text(), nullable=False),
            sa.Column("edited_by", sa.String(length=100), nullable=False),
            sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_dsa_policies")),
        )
        with op.batch_alter_table("dsa_policies", schema=None) as batch_op:
            batch_op.create_index("ix_dsa_policies_name", ["name", "id"], unique=False)

    if "sor_exports" not in existing:
        op.create_table(
            "sor_exports",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("actor", sa.String(length=100), nullable=False),
            sa.Column("since", sa.Date(), nullable=True),
            sa.Column("only_new", sa.Boolean(), nullable=False),
            sa.Column("file", sa.Text(), nullable=False),
            sa.Column("written", sa.Integer(), nullable=False),
            sa.Column("failed", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_sor_exports")),
        )

    if "trusted_flaggers" not in existing:
        op.create_table(
            "trusted_flaggers",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=300), nullable=False),
            sa.Column("name_key", sa.String(length=300), nullable=False),
            sa.Column("email", sa.String(length=300), nullable=True),
            sa.Column("areas", sa.Text(), nullable=False),
            sa.Column("active", sa.Boolean(), nullable=False),
            sa.Column("added_by", sa.String(length=100), nullable=False),
            sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_flaggers")),
            sa.UniqueConstraint("name_key", name=op.f("uq_trusted_flaggers_name_key")),
        )

    if "account_measures" not in existing:
        op.create_table(
            "account_measures",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("subject_kind", sa.String(length=16), nullable=False),
            sa.Column("trader_id", sa.Integer(), nullable=True),
            sa.Column("subject_key", sa.String(length=300), nullable=True),
            sa.Column("step", sa.String(length=16), nullable=False),
            sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("factors", sa.Text(), nullable=False),
            sa.Column("confirmed_by", sa.String(length=100), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("revoked_reason", sa.Text(), nullable=True),
            sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(
                ["trader_id"], ["traders.id"], name=op.f("fk_account_measures_trader_id_traders")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_account_measures")),
        )
        with op.batch_alter_table("account_measures", schema=None) as batch_op:
            batch_op.create_index(
                "ix_account_measures_subject", ["subject_kind", "subject_key"], unique=False
            )
            batch_op.create_index(batch_op.f("ix_account_measures_trader_id"), ["trader_id"], unique=False)

    if "measure_listings" not in existing:
        op.create_table(
            "measure_listings",
            sa.Column("measure_id", sa.Integer(), nullable=False),
            sa.Column("listing_id", sa.Integer(), nullable=False),
            sa.Column("status_before", sa.String(length=16), nullable=False),
            sa.ForeignKeyConstraint(
                ["listing_id"], ["listings.id"], name=op.f("fk_measure_listings_listing_id_listings")
            ),
            sa.ForeignKeyConstraint(
                ["measure_id"],
                ["account_measures.id"],
                name=op.f("fk_measure_listings_measure_id_account_measures"),
            ),
            sa.PrimaryKeyConstraint("measure_id", "listing_id", name=op.f("pk_measure_listings")),
        )

    if "notices" not in existing:
        op.create_table(
            "notices",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("flag_id", sa.Integer(), nullable=False),
            sa.Column("listing_id", sa.Integer(), nullable=False),
            sa.Column("location_url", sa.Text(), nullable=True),
            sa.Column("good_faith", sa.Boolean(), nullable=True),
            sa.Column("csam", sa.Boolean(), nullable=False),
            sa.Column("entered_by", sa.String(length=100), nullable=True),
            sa.Column("trusted_flagger_id", sa.Integer(), nullable=True),
            sa.Column("trusted_in_area", sa.Boolean(), nullable=False),
            sa.Column("priority_bonus", sa.Integer(), nullable=False),
            sa.Column("notifier_key", sa.String(length=300), nullable=True),
            sa.Column("not_processed", sa.String(length=300), nullable=True),
            sa.Column("unfounded_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("unfounded_by", sa.String(length=100), nullable=True),
            sa.Column("unfounded_reason", sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["flag_id"], ["flags.id"], name=op.f("fk_notices_flag_id_flags")),
            sa.ForeignKeyConstraint(
                ["listing_id"], ["listings.id"], name=op.f("fk_notices_listing_id_listings")
            ),
            sa.ForeignKeyConstraint(
                ["trusted_flagger_id"],
                ["trusted_flaggers.id"],
                name=op.f("fk_notices_trusted_flagger_id_trusted_flaggers"),
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
            sa.UniqueConstraint("flag_id", name=op.f("uq_notices_flag_id")),
        )
        with op.batch_alter_table("notices", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_notices_listing_id"), ["listing_id"], unique=False)
            batch_op.create_index(batch_op.f("ix_notices_notifier_key"), ["notifier_key"], unique=False)

    if "appeals" not in existing:
        op.create_table(
            "appeals",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("decision_id", sa.Integer(), nullable=False),
            sa.Column("item_id", sa.Integer(), nullable=False),
            sa.Column("appellant_kind", sa.String(length=16), nullable=False),
            sa.Column("appellant", sa.String(length=300), nullable=True),
            sa.Column("appellant_email", sa.String(length=300), nullable=True),
            sa.Column("appellant_key", sa.String(length=300), nullable=True),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("entered_by", sa.String(length=100), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("decided_by", sa.String(length=100), nullable=True),
            sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("outcome_reason", sa.Text(), nullable=True),
            sa.Column("unfounded", sa.Boolean(), nullable=False),
            sa.ForeignKeyConstraint(
                ["decision_id"], ["decisions.id"], name=op.f("fk_appeals_decision_id_decisions")
            ),
            sa.ForeignKeyConstraint(
                ["item_id"], ["review_items.id"], name=op.f("fk_appeals_item_id_review_items")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
            sa.UniqueConstraint("item_id", name=op.f("uq_appeals_item_id")),
        )
        with op.batch_alter_table("appeals", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_appeals_appellant_key"), ["appellant_key"], unique=False)
            batch_op.create_index(batch_op.f("ix_appeals_decision_id"), ["decision_id"], unique=False)

    if "statements" not in existing:
        op.create_table(
            "statements",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("puid", sa.String(length=64), nullable=False),
            sa.Column("decision_id", sa.Integer(), nullable=True),
            sa.Column("measure_id", sa.Integer(), nullable=True),
            sa.Column("payload", sa.Text(), nullable=False),
            sa.Column("redress", sa.Text(), nullable=False),
            sa.Column("exportable", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("first_export_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(
                ["decision_id"], ["decisions.id"], name=op.f("fk_statements_decision_id_decisions")
            ),
            sa.ForeignKeyConstraint(
                ["first_export_id"],
                ["sor_exports.id"],
                name=op.f("fk_statements_first_export_id_sor_exports"),
            ),
            sa.ForeignKeyConstraint(
                ["measure_id"],
                ["account_measures.id"],
                name=op.f("fk_statements_measure_id_account_measures"),
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
            sa.UniqueConstraint("decision_id", name=op.f("uq_statements_decision_id")),
            sa.UniqueConstraint("measure_id", name=op.f("uq_statements_measure_id")),
            sa.UniqueConstraint("puid", name=op.f("uq_statements_puid")),
        )
        with op.batch_alter_table("statements", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_statements_created_at"), ["created_at"], unique=False)

    if "outbox" not in existing:
        op.create_table(
            "outbox",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("dedup_key", sa.String(length=120), nullable=False),
            sa.Column("kind", sa.String(length=32), nullable=False),
            sa.Column("recipient_kind", sa.String(length=16), nullable=False),
            sa.Column("recipient_name", sa.String(length=300), nullable=True),
            sa.Column("recipient_email", sa.String(length=300), nullable=True),
            sa.Column("subject", sa.Text(), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
            sa.Column("decision_id", sa.Integer(), nullable=True),
            sa.Column("flag_id", sa.Integer(), nullable=True),
            sa.Column("appeal_id", sa.Integer(), nullable=True),
            sa.Column("measure_id", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"], name=op.f("fk_outbox_appeal_id_appeals")),
            sa.ForeignKeyConstraint(
                ["decision_id"], ["decisions.id"], name=op.f("fk_outbox_decision_id_decisions")
            ),
            sa.ForeignKeyConstraint(["flag_id"], ["flags.id"], name=op.f("fk_outbox_flag_id_flags")),
            sa.ForeignKeyConstraint(
                ["measure_id"], ["account_measures.id"], name=op.f("fk_outbox_measure_id_account_measures")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
            sa.UniqueConstraint("dedup_key", name=op.f("uq_outbox_dedup_key")),
        )
        with op.batch_alter_table("outbox", schema=None) as batch_op:
            batch_op.create_index("ix_outbox_exported", ["exported_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_exported")

    op.drop_table("outbox")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_created_at"))

    op.drop_table("statements")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_decision_id"))
        batch_op.drop_index(batch_op.f("ix_appeals_appellant_key"))

    op.drop_table("appeals")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_notifier_key"))
        batch_op.drop_index(batch_op.f("ix_notices_listing_id"))

    op.drop_table("notices")
    op.drop_table("measure_listings")
    with op.batch_alter_table("account_measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_measures_trader_id"))
        batch_op.drop_index("ix_account_measures_subject")

    op.drop_table("account_measures")
    op.drop_table("trusted_flaggers")
    op.drop_table("sor_exports")
    with op.batch_alter_table("dsa_policies", schema=None) as batch_op:
        batch_op.drop_index("ix_dsa_policies_name")

    op.drop_table("dsa_policies")
