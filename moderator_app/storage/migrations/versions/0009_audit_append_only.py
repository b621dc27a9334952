"""the "managed" marker (db_facts) and an append-only audit log

Revision ID: 0009_audit_append_only
Revises: 0006
Create Date: 2026-12-02

``db_facts`` holds facts about the database that are never taken back; a database that already has
accounts gets its "managed" marker here, so deleting every account no longer turns it into a
single-user database.

Then triggers make ``audit_events`` and ``db_facts`` append-only on both databases: any UPDATE or DELETE
(and TRUNCATE on PostgreSQL) is refused, by whoever runs it (storage/supervision/append_only.py). On
PostgreSQL, packaging/postgresql-audit-append-only.sql also takes the rights away from the application's
role, so that it cannot drop the triggers either.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from moderator_app.storage.orm import UTCDateTime
from moderator_app.storage.supervision import append_only

revision = "0009_audit_append_only"
down_revision = "0008_audit_origins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    facts = op.create_table(
        "db_facts",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("set_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_db_facts")),
    )
    has_accounts = op.get_bind().execute(sa.text("SELECT 1 FROM users LIMIT 1")).first() is not None
    if has_accounts:
        op.bulk_insert(
            facts,
            [
                {
                    "key": "managed",
                    "value": "accounts exist",
                    "set_at": datetime.now(UTC),
                    "set_by": "migration 0009",
                }
            ],
        )
    append_only.install(op.get_bind())


def downgrade() -> None:
    append_only.remove(op.get_bind())
    op.drop_table("db_facts")
