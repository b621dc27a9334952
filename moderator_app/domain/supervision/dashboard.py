"""The supervisor dashboard's figures: what the dashboard window, the CLI report and the PDF show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from moderator_app.domain.supervision.sampling import QualityStats


@dataclass(frozen=True, slots=True)
class QueueBacklog:
    queue: str
    open_items: int
    claimed: int
    oldest_at: datetime | None
    sla: timedelta
    past_sla: int  # open items that have waited longer than the queue's target

    def age(self, now: datetime) -> timedelta | None:
        return now - self.oldest_at if self.oldest_at is not None else None


@dataclass(frozen=True, slots=True)
class HourCount:
    hour: datetime  # start of the hour, UTC
    decisions: int


@dataclass(frozen=True, slots=True)
class CategoryAction:
    category: str  # "" when the decision had none (no violation, escalation)
    action: str
    decisions: int


@dataclass(frozen=True, slots=True)
class DashboardFigures:
    start: datetime
    end: datetime
    now: datetime
    backlog: tuple[QueueBacklog, ...]
    throughput: tuple[HourCount, ...]  # every hour of [start, end), zeros included
    decisions: int  # decisions in the period that stand (not undone)
    median_flag_to_decision: timedelta | None
    by_category_action: tuple[CategoryAction, ...]
    quality: QualityStats
    appeals_decided: int
    appeals_reversed: int

    @property
    def past_sla(self) -> int:
        return sum(b.past_sla for b in self.backlog)

    @property
    def open_items(self) -> int:
        return sum(b.open_items for b in self.backlog)

    @property
    def appeal_reversal_rate(self) -> float | None:
        return self.appeals_reversed / self.appeals_decided if self.appeals_decided else None

    @property
    def peak_hour(self) -> HourCount | None:
        return max(self.throughput, key=lambda h: h.decisions, default=None)

    def by_action(self) -> Mapping[str, int]:
        out: dict[str, int] = {}
        for c in self.by_category_action:
            out[c.action] = out.get(c.action, 0) + c.decisions
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    def by_category(self) -> Mapping[str, int]:
        out: dict[str, int] = {}
        for c in self.by_category_action:
            if c.category:
                out[c.category] = out.get(c.category, 0) + c.decisions
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def median(values: Iterable[timedelta]) -> timedelta | None:
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def hours_between(start: datetime, end: datetime) -> list[datetime]:
    first = start.replace(minute=0, second=0, microsecond=0)
    out = []
    h = first
    while h < end:
        out.append(h)
        h += timedelta(hours=1)
    return out


def duration_text(d: timedelta | None) -> str:
    if d is None:
        return "-"
    s = int(d.total_seconds())
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400 * 2:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} days {s % 86400 // 3600} h"


def percent(x: float | None) -> str:
    return "-" if x is None else f"{x * 100:.1f}%"
