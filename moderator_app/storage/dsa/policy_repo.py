"""The policy files in force: a supervisor's version stored in the database, else the shipped file.

Kept in the database (not only in resources/) so every workstation on a shared PostgreSQL applies the
same policy, and every edit is kept with who made it and when.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa.repeat_offender import OffenderPolicy, parse_policy
from moderator_app.domain.dsa.templates import SorTemplates, parse_templates
from moderator_app.paths import resources_dir
from moderator_app.storage.dsa.orm_dsa import DsaPolicy


class PolicyName(StrEnum):
    SOR_TEMPLATES = "sor_templates"
    REPEAT_OFFENDER = "repeat_offender_policy"


def shipped_text(name: PolicyName) -> str:
    return (resources_dir() / f"{name.value}.json").read_text(encoding="utf-8")


def current_text(session: Session, name: PolicyName) -> tuple[str, str]:
    """(text, where it comes from) of the version in force."""
    row = session.scalar(
        select(DsaPolicy).where(DsaPolicy.name == name.value).order_by(DsaPolicy.id.desc()).limit(1)
    )
    if row is None:
        return shipped_text(name), f"resources/{name.value}.json (shipped)"
    return row.content, f"version {row.id} stored by {row.edited_by} on {row.edited_at:%Y-%m-%d %H:%M} UTC"


def store(session: Session, name: PolicyName, content: str, actor: str, now: datetime) -> int:
    """Store a new version (already checked by the caller) and return its number."""
    row = DsaPolicy(name=name.value, content=content, edited_by=actor, edited_at=now)
    session.add(row)
    session.flush()
    return row.id


# Parsed once per distinct text: a decision reads the templates, an edit changes the text and the key.
_templates = lru_cache(maxsize=8)(parse_templates)
_policy = lru_cache(maxsize=8)(parse_policy)


def templates(session: Session) -> SorTemplates:
    return _templates(current_text(session, PolicyName.SOR_TEMPLATES)[0])


def offender_policy(session: Session) -> OffenderPolicy:
    return _policy(current_text(session, PolicyName.REPEAT_OFFENDER)[0])
