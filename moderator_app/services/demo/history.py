"""The past decisions of the demo's repeat offenders, recorded through the real review service.

Deciding through :class:`ReviewService` with a clock set in the past writes exactly what a reviewer
would have written then: the decision, the closed item, the removed listing, the strike and the
trader's counters. A listing that already has a decision is left alone, so a second run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from moderator_app.domain.errors import WorkstationError
from moderator_app.services.demo.catalog import HistoryStep
from moderator_app.services.demo.files import Progress
from moderator_app.services.review import ReviewService
from moderator_app.services.workstation import Workstation


class _PastClock:
    """A clock the history step sets to each decision's moment."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True, slots=True)
class HistoryResult:
    recorded: int
    already_present: int
    skipped: list[str]  # "DL-000004: reason" for steps that could not be recorded


def record_history(
    ws: Workstation, steps: list[HistoryStep], progress: Progress | None = None
) -> HistoryResult:
    ordered = sorted(steps, key=lambda s: (s.decided_at, s.listing))
    if not ordered:
        return HistoryResult(0, 0, [])
    clock = _PastClock(ordered[0].claimed_at)
    service = ReviewService(ws.db, clock=clock)
    recorded = present = 0
    skipped: list[str] = []
    for done, step in enumerate(ordered, start=1):
        try:
            if ws.lookup.listing(step.listing).decisions:
                present += 1
                continue
            clock.now = step.claimed_at
            item = service.claim_listing(step.listing, step.reviewer)
            clock.now = step.decided_at
            service.decide(item.id, step.reviewer, step.action, step.category, step.ground, step.explanation)
            recorded += 1
        except WorkstationError as exc:
            skipped.append(f"{step.listing}: {exc}")
        finally:
            if progress is not None:
                progress("history", done, len(ordered))
    return HistoryResult(recorded, present, skipped)
