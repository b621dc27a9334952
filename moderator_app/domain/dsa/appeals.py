"""Internal complaint handling (Art 20): who may complain until when, and who may decide."""

from __future__ import annotations

import calendar
from datetime import datetime

from moderator_app.domain.dsa.sor import is_automated_actor
from moderator_app.domain.enums import Action
from moderator_app.domain.errors import InvalidInput

APPEAL_MONTHS = 6
"""Art 20(1): complaints can be lodged for at least six months after the decision."""

APPEAL_PRIORITY = 150
"""Complaints are decided "in a timely manner": ahead of ordinary notices in their own queue."""


def add_months(when: datetime, months: int) -> datetime:
    """The same time ``months`` calendar months later (31 August + 6 months = 28/29 February)."""
    month0 = when.month - 1 + months
    year, month = when.year + month0 // 12, month0 % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def appeal_deadline(decided_at: datetime) -> datetime:
    return add_months(decided_at, APPEAL_MONTHS)


def check_can_file(*, decided_at: datetime, received_at: datetime, undone: bool, reason: str) -> None:
    """Refuse, in one line, a complaint the workstation must not take."""
    if undone:
        raise InvalidInput("that decision was undone by its reviewer: there is nothing to complain about")
    if not reason.strip():
        raise InvalidInput("a complaint needs the complainant's reasons")
    if received_at < decided_at:
        raise InvalidInput("a complaint cannot be received before the decision it contests")
    deadline = appeal_deadline(decided_at)
    if received_at > deadline:
        raise InvalidInput(
            f"the complaint came after the six-month period (the decision of {decided_at:%Y-%m-%d} "
            f"could be contested until {deadline:%Y-%m-%d})"
        )


def check_may_decide(*, actor: str, original_reviewer: str, outcome_reason: str) -> None:
    """Art 20(4)/(6): not the reviewer of the contested decision, not software, and reasons given."""
    if is_automated_actor(actor):
        raise InvalidInput("a complaint is never decided by automated means: a person must decide it")
    if actor.strip().casefold() == original_reviewer.strip().casefold():
        raise InvalidInput(
            f"{actor} made the contested decision and cannot decide the complaint against it; "
            "another reviewer must take it"
        )
    if not outcome_reason.strip():
        raise InvalidInput("say why the complaint is upheld or the decision reversed")


def restricts(action: Action) -> bool:
    return action in (Action.REMOVE, Action.RESTRICT, Action.WARN)
