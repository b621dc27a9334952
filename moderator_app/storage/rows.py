"""Rows loaded in one unit of work, held for its length.

The Session's identity map holds rows weakly: once a repository has handed back a domain value and
dropped the row, the next ``session.get`` of the same row would read it again. Repositories of one
unit of work share one :class:`Rows`, so each row is read once per transaction (one decision reads its
listing, trader and decision once, however many handlers look at them).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class Rows:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._held: dict[tuple[type, Any], Any] = {}

    def get(self, cls: type[T], key: Any) -> T | None:
        row = self._held.get((cls, key))
        if row is None:
            row = self.session.get(cls, key)
            if row is not None:
                self._held[(cls, key)] = row
        return row

    def get_one(self, cls: type[T], key: Any) -> T:
        row = self.get(cls, key)
        if row is None:
            raise LookupError(f"no {cls.__name__} {key}")
        return row

    def hold(self, row: T) -> T:
        """Keep a row loaded by a query (or just added) for the rest of the unit of work."""
        if row is not None:
            self._held[(type(row), row.id)] = row  # type: ignore[attr-defined]
        return row

    def forget(self, row: Any) -> None:
        self._held.pop((type(row), row.id), None)
