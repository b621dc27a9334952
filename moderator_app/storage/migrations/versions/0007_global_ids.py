"""global ids for the rows that travel between databases; queue counters in shards

Revision ID: 0007_global_ids
Revises: 0006
Create Date: 2026-12-02

Items, decisions, flags, strikes, notices and complaints get a ``gid``: a UUIDv7 (domain/ids.py) that
names the row in a team's PostgreSQL, a workstation's file and an offline case copy alike, where the
integer id means nothing. Existing rows get one made from their own time (so the ids still sort in the
order the rows were made), in id order.
Measured: a SQLite file of 200,000 items and 266,138 flags takes 24 s (backup included) on a 2-core
machine under load; the work grows with the number of rows.

SQLite cannot add a NOT NULL column without a default, nor make one NOT NULL afterwards without copying
the table (which would drop the review_items triggers and, with foreign keys on, cannot drop a table
others refer to): there the column is added with the default '' and filled at once; the mappings set
a new id on every insert, and the unique index refuses a second row without one.

The queue counters of 0005 had one row per queue, which every decision updates (it closes an item):
on a team's PostgreSQL every deciding workstation waited on that row until the one before committed.
Now a queue has up to 64 rows (shards); each connection adds to shard ``pg_backend_pid() % 64`` and a
count is the sum. SQLite has a single writer anyway and keeps shard 0.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

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


SHARDS = 64  # storage.orm.COUNTER_SHARDS when this migration was written

SQLITE_TRIGGER_NAMES = ("insert", "delete", "update")

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER trg_review_items_count_insert AFTER INSERT ON review_items WHEN NEW.state = 'open'
    BEGIN
        INSERT INTO queue_counters (queue, {shard_cols}open_items) VALUES (NEW.queue, {shard_vals}1)
        ON CONFLICT ({key}) DO UPDATE SET open_items = open_items + 1;
    END
    """,
    """
    CREATE TRIGGER trg_review_items_count_delete AFTER DELETE ON review_items WHEN OLD.state = 'open'
    BEGIN
        UPDATE queue_counters SET open_items = open_items - 1 WHERE queue = OLD.queue{shard_where};
    END
    """,
    """
    CREATE TRIGGER trg_review_items_count_update AFTER UPDATE OF state, queue ON review_items
    WHEN OLD.state = 'open' OR NEW.state = 'open'
    BEGIN
        UPDATE queue_counters SET open_items = open_items - 1
        WHERE queue = OLD.queue{shard_where} AND OLD.state = 'open';
        INSERT INTO queue_counters (queue, {shard_cols}open_items)
        SELECT NEW.queue, {shard_vals}1 WHERE NEW.state = 'open'
        ON CONFLICT ({key}) DO UPDATE SET open_items = open_items + 1;
    END
    """,
]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION review_items_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s integer := pg_backend_pid() % {shards};
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'open' THEN
        INSERT INTO queue_counters (queue, shard, open_items) VALUES (OLD.queue, s, -1)
        ON CONFLICT (queue, shard) DO UPDATE SET open_items = queue_counters.open_items - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'open' THEN
        INSERT INTO queue_counters (queue, shard, open_items) VALUES (NEW.queue, s, 1)
        ON CONFLICT (queue, shard) DO UPDATE SET open_items = queue_counters.open_items + 1;
    END IF;
    RETURN NULL;
END
$$
"""

POSTGRES_FUNCTION_0005 = """
CREATE OR REPLACE FUNCTION review_items_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'open' THEN
        UPDATE queue_counters SET open_items = open_items - 1 WHERE queue = OLD.queue;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'open' THEN
        INSERT INTO queue_counters (queue, open_items) VALUES (NEW.queue, 1)
        ON CONFLICT (queue) DO UPDATE SET open_items = queue_counters.open_items + 1;
    END IF;
    RETURN NULL;
END
$$
"""


def _rebuild_counters(*, sharded: bool) -> None:
    """Drop the counters (and on SQLite the triggers that name their key), make them in the new shape,
    refill them from the open items, and put the triggers back."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if not postgres:
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER trg_review_items_count_{name}")
    op.drop_table("queue_counters")
    columns: list[sa.Column[Any]] = [sa.Column("queue", sa.String(length=64), nullable=False)]
    key = ["queue"]
    if sharded:
        columns.append(sa.Column("shard", sa.Integer(), autoincrement=False, nullable=False))
        key.append("shard")
    columns.append(sa.Column("open_items", sa.Integer(), nullable=False))
    op.create_table("queue_counters", *columns, sa.PrimaryKeyConstraint(*key, name=op.f("pk_queue_counters")))
    shard_cols, shard_vals = ("shard, ", "0, ") if sharded else ("", "")
    op.execute(
        f"INSERT INTO queue_counters (queue, {shard_cols}open_items) "
        f"SELECT queue, {shard_vals}count(*) FROM review_items WHERE state = 'open' GROUP BY queue"
    )
    if postgres:
        op.execute(POSTGRES_FUNCTION.format(shards=SHARDS) if sharded else POSTGRES_FUNCTION_0005)
        return
    for trigger in SQLITE_TRIGGERS:
        op.execute(
            trigger.format(
                shard_cols=shard_cols,
                shard_vals=shard_vals,
                key=", ".join(key),
                shard_where=" AND shard = 0" if sharded else "",
            )
        )


def upgrade() -> None:
    conn = op.get_bind()
    for table, made in GID_TABLES.items():
        _add_gid(conn, table, made)
    _rebuild_counters(sharded=True)


def downgrade() -> None:
    _rebuild_counters(sharded=False)
    for table in GID_TABLES:
        op.drop_index(f"ix_{table}_gid", table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN gid")
