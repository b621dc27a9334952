"""The supervisor dashboard's figures over a period (and the backlog now), for the window, the CLI
report and the PDF: one service so all three show the same numbers."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.dashboard import (
    DashboardFigures,
    HourCount,
    QueueBacklog,
    hours_between,
    median,
)
from moderator_app.domain.supervision.sampling import SupervisionPolicy
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.supervision.sampling import shipped_policy
from moderator_app.storage.db import Database
from moderator_app.storage.supervision import audit_dashboard_repo as repo

MAX_PERIOD = timedelta(days=400)


class DashboardService:
    def __init__(
        self,
        db: Database,
        clock: Clock = system_clock,
        access: Access | None = None,
        policy: SupervisionPolicy | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)
        self._policy = policy

    @property
    def policy(self) -> SupervisionPolicy:
        return self._policy or shipped_policy()

    def figures(
        self, actor: str, start: datetime | None = None, end: datetime | None = None
    ) -> DashboardFigures:
        """Figures for [start, end) (default: the last 24 hours) and the backlog as it is now."""
        now = self._clock()
        end = end or now
        start = start or end - timedelta(days=1)
        if start >= end:
            raise InvalidInput("the period must start before it ends")
        if end - start > MAX_PERIOD:
            raise InvalidInput(f"a period is at most {MAX_PERIOD.days} days")
        policy = self.policy
        sla_of = {q: policy.sla(q) for q in policy.sla_hours if q != "default"}
        with self._access.guard(), self._db.read() as s:
            p = self._access.require(s, actor, Right.VIEW_DASHBOARD)
            backlog = tuple(
                QueueBacklog(queue, total, held, oldest, sla, late)
                for queue, total, held, oldest, sla, late in repo.backlog(
                    s, now, sla_of, policy.sla("default")
                )
                if self._access.visible(p, queue)
            )
            times = repo.decision_times(s, start, end)
            waits = repo.flag_to_decision(s, start, end)
            cats = tuple(repo.by_category_action(s, start, end))
            quality = repo.quality_stats(s, start, end)
            decided, reversed_ = repo.appeals_decided(s, start, end)
        per_hour = Counter(t.replace(minute=0, second=0, microsecond=0) for t in times)
        throughput = tuple(HourCount(h, per_hour.get(h, 0)) for h in hours_between(start, end))
        return DashboardFigures(
            start=start,
            end=end,
            now=now,
            backlog=backlog,
            throughput=throughput,
            decisions=len(times),
            median_flag_to_decision=median(waits),
            by_category_action=cats,
            quality=quality,
            appeals_decided=decided,
            appeals_reversed=reversed_,
        )
