"""global ids for the rows that travel between databases

Revision ID: 0007_global_ids
Revises: 0006
Create Date: 2026-12-02

Items, decisions, flags, strikes, notices and complaints get a ``gid``: a UUIDv7 (domain/ids.py) that
names the row in a team's PostgreSQL, a workstation's file and an offline case copy alike, where the
integer id means nothing. Existing rows get one made from their own time (so the ids still sort in the
order the rows were made), in id order.

SQLite cannot add a NOT NULL column without a default, nor make one NOT NULL afterwards without copying
the table (which would drop the review_items triggers and, with foreign keys on, cannot drop a table
others refer to): there the column is added with the default '' and filled at once; the mappings set
a new id on every insert, and the unique index refuses a second row without one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from moderator_app.domain.ids import ids_made_at
from moderator_app.storage.orm import UTCDateTime

revision = "0007_global_ids"
down_revision = "0006"
branch_labels = None
depends_on = None

GID_TABLES = {  # table -> the column saying when the row was made
    "review_items": "created_at",
    "decisions": "decided_at",
    "flags": "received_at",
    "strikes": "created_at",
    "notices": "created_at",
    "appeals": "received_at",
}

BATCH = 20_000


def _gids(conn: sa.Connection, table: str, made: str) -> Iterator[list[tuple[int, str]]]:
    """(id, new gid) for every row of ``table``, in batches, from the row's own time (never later than
    now, so the ids made after the migration still sort after these)."""
    t = sa.table(table, sa.column("id", sa.Integer()), sa.column(made, UTCDateTime()))
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    pending: deque[int] = deque()
    ids = ids_made_at(iter(pending.popleft, None))  # one generator for all batches: sorted throughout
    last = 0
    while True:
        rows = conn.execute(
            sa.select(t.c.id, t.c[made]).where(t.c.id > last).order_by(t.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        batch = []
        for row_id, at in rows:
            pending.append(min(int(at.timestamp() * 1000), now_ms) if at is not None else now_ms)
            batch.append((row_id, next(ids)))
        yield batch
        last = rows[-1][0]


def _add_gid(conn: sa.Connection, table: str, made: str) -> None:
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        op.add_column(table, sa.Column("gid", sa.String(length=36), nullable=True))
    else:  # see the module docstring
        op.execute(f"ALTER TABLE {table} ADD COLUMN gid VARCHAR(36) NOT NULL DEFAULT ''")
    for batch in _gids(conn, table, made):
        if postgres:
            conn.exec_driver_sql(
                f"UPDATE {table} SET gid = v.gid FROM unnest(%s::int[], %s::varchar[]) AS v(id, gid) "
                f"WHERE {table}.id = v.id",
                ([i for i, _ in batch], [g for _, g in batch]),
            )
        else:
            conn.exec_driver_sql(f"UPDATE {table} SET gid = ? WHERE id = ?", [(g, i) for i, g in batch])
    if postgres:
        op.alter_column(table, "gid", existing_type=sa.String(length=36), nullable=False)
    op.create_index(f"ix_{table}_gid", table, ["gid"], unique=True)


def upgrade() -> None:
    conn = op.get_bind()
    for table, made in GID_TABLES.items():
        _add_gid(conn, table, made)


def downgrade() -> None:
    for table in GID_TABLES:
        op.drop_index(f"ix_{table}_gid", table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN gid")
