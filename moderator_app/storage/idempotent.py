"""INSERT ... ON CONFLICT DO NOTHING on both databases: a row that two transactions may both mean to
write (the notice of a flag, a message of the outbox) is written once, and the second writer goes on
instead of failing on the unique key (issue 11).

On PostgreSQL the second insert waits for the first transaction; once that commits it does nothing (the
next statement sees the committed row), once it rolls back the second insert goes ahead.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.orm import Session


@lru_cache(maxsize=32)
def _statement(table: Table, conflict_on: str, columns: tuple[str, ...]) -> TextClause:
    """The same SQL on both databases (SQLite 3.35+ has ON CONFLICT ... RETURNING). A text statement,
    because SQLAlchemy does not cache the compiled form of its dialects' ON CONFLICT inserts, and a
    notice sync runs this per flag; typed bind parameters keep the columns' conversions (UTC times)."""
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    sql = (
        f"INSERT INTO {table.name} ({names}) VALUES ({values}) "
        f"ON CONFLICT ({conflict_on}) DO NOTHING RETURNING id"
    )
    return text(sql).bindparams(*[bindparam(c, type_=table.c[c].type) for c in columns])


def _mapping_defaults(table: Table, given: dict[str, Any]) -> dict[str, Any]:
    """The mapping's Python-side defaults (the global id, flags) for the columns not given: a text
    statement does not run them, the ORM's insert would."""
    found: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None or not (default.is_scalar or default.is_callable):
            continue
        found[column.name] = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
    return found


def insert_once(session: Session, model: Any, conflict_on: str, values: dict[str, Any]) -> int | None:
    """Insert one row unless ``conflict_on`` (a unique column) already holds its value; the new row's
    id, or None when the row was there (or is being written by a transaction that then committed).

    A statement of its own in the session's transaction, after the session's pending rows."""
    session.flush()
    table = model.__table__
    values = {**_mapping_defaults(table, values), **values}
    stmt = _statement(table, conflict_on, tuple(values))
    return session.connection().execute(stmt, values).scalar_one_or_none()
