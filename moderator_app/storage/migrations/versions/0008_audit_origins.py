"""audit chains per origin (no single head row every write locks), global event ids, signed checkpoints

Revision ID: 0008_audit_origins
Revises: 0006
Create Date: 2026-12-02

The one chain of schema 0006 becomes the origin ``legacy`` (its events keep their seq and hashes; each
gets a global id, in seq order) and its head moves from ``audit_head`` to ``audit_origins``. New events
go to a chain per workstation, created on its first append.

Run this before any migration that makes ``audit_events`` append-only: it fills the new columns of the
existing rows with UPDATEs.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from moderator_app.domain.ids import new_id
from moderator_app.storage.orm import UTCDateTime

revision = "0008_audit_origins"
down_revision = "0006"
branch_labels = None
depends_on = None

LEGACY = "legacy"
CHUNK = 5000


def upgrade() -> None:
    bind = op.get_bind()
    origins = op.create_table(
        "audit_origins",
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("workstation", sa.String(length=36), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("origin", name=op.f("pk_audit_origins")),
        sa.UniqueConstraint("workstation", name=op.f("uq_audit_origins_workstation")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("database", sa.String(length=300), nullable=False),
        sa.Column("heads_json", sa.Text(), nullable=False),
        sa.Column("signer", sa.String(length=100), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    head = bind.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
    events = bind.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()
    if events or (head is not None and head.seq):
        op.bulk_insert(
            origins,
            [
                {
                    "origin": LEGACY,
                    "kind": "legacy",
                    "workstation": None,
                    "label": "the log before per-origin chains (schema 0006)",
                    "created_at": datetime.now(UTC),
                    "seq": head.seq if head is not None else 0,
                    "hash": head.hash if head is not None else "0" * 64,
                }
            ],
        )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("origin", sa.String(length=36), nullable=True))
    seqs = [r[0] for r in bind.execute(sa.text("SELECT seq FROM audit_events ORDER BY seq"))]
    update = sa.text("UPDATE audit_events SET id = :id, origin = :origin WHERE seq = :seq")
    for i in range(0, len(seqs), CHUNK):
        bind.execute(update, [{"id": new_id(), "origin": LEGACY, "seq": s} for s in seqs[i : i + CHUNK]])
    with op.batch_alter_table("audit_events", recreate="auto") as batch_op:
        batch_op.alter_column("id", existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column("origin", existing_type=sa.String(length=36), nullable=False)
        batch_op.drop_constraint("pk_audit_events", type_="primary")
        batch_op.create_primary_key("pk_audit_events", ["id"])
        batch_op.create_index("ux_audit_events_origin_seq", ["origin", "seq"], unique=True)
    op.drop_table("audit_head")


def downgrade() -> None:
    raise NotImplementedError(
        "schema 0008 cannot go back to 0006: several chains cannot be folded into one; restore the backup"
    )
