"""INSERT ... ON CONFLICT DO NOTHING on both databases: a row that two transactions may both mean to
write (the notice of a flag, a message of the outbox) is written once, and the second writer goes on
instead of failing on the unique key (issue 11).

On PostgreSQL the second insert waits for the first transaction; once that commits it does nothing (the
next statement sees the committed row), once it rolls back the second insert goes ahead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_once(session: Session, model: Any, conflict_on: str, values: dict[str, Any]) -> int | None:
    """Insert one row unless ``conflict_on`` (a unique column) already holds its value; the new row's
    id, or None when the row was there (or is being written by a transaction that then committed)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[conflict_on])
        .returning(model.id)
    )
    return session.execute(stmt).scalar_one_or_none()
