"""The type of a unit of work (what ``Database.read()`` / ``write()`` yield), for services that hand
one to storage functions: they name it without importing SQLAlchemy themselves."""

from __future__ import annotations

from sqlalchemy.orm import Session as UnitOfWork

__all__ = ["UnitOfWork"]
