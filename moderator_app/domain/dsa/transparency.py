"""The transparency report (Art 15 and 24) computed from plain records of notices, decisions,
complaints and account measures. Storage gathers the records; every figure is counted here, once.

Periods are whole UTC days, both ends included. Decisions taken back by their reviewer (undo) never
count. "Actions" are restricting decisions (remove, restrict, warn).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from moderator_app.domain.dsa.model import AppealStatus, MeasureStep, SubjectKind
from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory
from moderator_app.domain.review.policy import RESTRICTING_ACTIONS


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    flag_id: int
    source: FlagSource  # user_notice or trusted_flagger, as the flag says
    category: PolicyCategory
    received_at: datetime
    trusted_in_area: bool  # a registered trusted flagger acting in their area


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    decision_id: int
    action: Action
    ground: Ground | None
    decided_at: datetime
    first_notice_at: datetime | None  # earliest notice on the listing received before the decision
    own_initiative: bool  # no notice and no authority order led to it
    automated_detection: bool
    automated_decision: bool


@dataclass(frozen=True, slots=True)
class AppealRecord:
    appeal_id: int
    received_at: datetime
    status: AppealStatus
    decided_at: datetime | None
    model_involved: bool  # the contested decision was detected by automated means


@dataclass(frozen=True, slots=True)
class MeasureRecord:
    subject_kind: SubjectKind
    step: MeasureStep
    created_at: datetime
    revoked: bool


@dataclass(frozen=True, slots=True)
class TransparencyReport:
    period_from: date
    period_to: date
    notices_total: int
    notices_by_category: dict[str, int]
    notices_by_source: dict[str, int]
    notices_by_category_and_source: dict[str, dict[str, int]]
    trusted_flagger_notices: int
    actions_total: int
    actions_by_ground: dict[str, int]
    actions_by_action: dict[str, int]
    actions_on_notices: int
    own_initiative_actions: int
    automated_detection_share: float | None
    automated_decision_share: float | None
    median_hours_notice_to_action: float | None
    complaints_received: int
    complaints_by_outcome: dict[str, int]
    median_hours_complaint_to_outcome: float | None
    suspensions: dict[str, int]
    reversal_rate: float | None
    reversal_rate_model_involved: float | None
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, Any]]:
        """(section, figure, value) rows, for CSV."""
        out: list[tuple[str, str, Any]] = [
            ("period", "from", self.period_from.isoformat()),
            ("period", "to", self.period_to.isoformat()),
        ]
        out.append(("notices", "total", self.notices_total))
        out.append(("notices", "from trusted flaggers in their area", self.trusted_flagger_notices))
        out += [("notices by category", k, v) for k, v in self.notices_by_category.items()]
        out += [("notices by source", k, v) for k, v in self.notices_by_source.items()]
        for cat, by_src in self.notices_by_category_and_source.items():
            out += [("notices by category and source", f"{cat}/{src}", n) for src, n in by_src.items()]
        out.append(("actions", "total", self.actions_total))
        out += [("actions by ground", k, v) for k, v in self.actions_by_ground.items()]
        out += [("actions by action", k, v) for k, v in self.actions_by_action.items()]
        out.append(("actions", "on notices", self.actions_on_notices))
        out.append(("actions", "own initiative", self.own_initiative_actions))
        out.append(("actions", "share detected by automated means", self.automated_detection_share))
        out.append(("actions", "share decided by automated means", self.automated_decision_share))
        out.append(("actions", "median hours from notice to action", self.median_hours_notice_to_action))
        out.append(("complaints", "received", self.complaints_received))
        out += [("complaints by outcome", k, v) for k, v in self.complaints_by_outcome.items()]
        out.append(("complaints", "median hours to outcome", self.median_hours_complaint_to_outcome))
        out += [("suspensions", k, v) for k, v in self.suspensions.items()]
        out.append(("accuracy", "reversal rate on appeal", self.reversal_rate))
        out.append(("accuracy", "reversal rate on appeal, model involved", self.reversal_rate_model_involved))
        return out


def bounds(period_from: date, period_to: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC for whole days, both ends included."""
    start = datetime.combine(period_from, time(0), tzinfo=UTC)
    return start, datetime.combine(period_to, time(0), tzinfo=UTC) + timedelta(days=1)


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600.0


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def compute(
    period_from: date,
    period_to: date,
    notices: Sequence[NoticeRecord],
    decisions: Sequence[DecisionRecord],
    appeals: Sequence[AppealRecord],
    measures: Sequence[MeasureRecord],
) -> TransparencyReport:
    start, end = bounds(period_from, period_to)

    def inside(when: datetime | None) -> bool:
        return when is not None and start <= when < end

    ns = [n for n in notices if inside(n.received_at)]
    by_cat: dict[str, int] = {}
    by_src: dict[str, int] = {}
    by_both: dict[str, dict[str, int]] = {}
    for n in ns:
        src = "trusted_flagger" if n.trusted_in_area else "article_16"
        by_cat[n.category.value] = by_cat.get(n.category.value, 0) + 1
        by_src[src] = by_src.get(src, 0) + 1
        cell = by_both.setdefault(n.category.value, {})
        cell[src] = cell.get(src, 0) + 1
    acts = [d for d in decisions if inside(d.decided_at) and d.action in RESTRICTING_ACTIONS]
    by_ground: dict[str, int] = {}
    by_action: dict[str, int] = {}
    for d in acts:
        g = d.ground.value if d.ground else "none"
        by_ground[g] = by_ground.get(g, 0) + 1
        by_action[d.action.value] = by_action.get(d.action.value, 0) + 1
    on_notice = [d for d in acts if d.first_notice_at is not None]
    ap = [a for a in appeals if inside(a.received_at)]
    outcomes = {s.value: sum(1 for a in ap if a.status is s) for s in AppealStatus}
    decided = [a for a in ap if a.status is not AppealStatus.OPEN]
    with_model = [a for a in decided if a.model_involved]
    reversed_ = [a for a in decided if a.status is AppealStatus.REVERSED]
    ms = [m for m in measures if inside(m.created_at) and not m.revoked and m.step is not MeasureStep.WARNING]
    suspensions = {
        "illegal_content": sum(1 for m in ms if m.subject_kind is SubjectKind.TRADER),
        "unfounded_notices": sum(1 for m in ms if m.subject_kind is SubjectKind.NOTIFIER),
        "unfounded_complaints": sum(1 for m in ms if m.subject_kind is SubjectKind.COMPLAINANT),
    }
    return TransparencyReport(
        period_from=period_from,
        period_to=period_to,
        notices_total=len(ns),
        notices_by_category=dict(sorted(by_cat.items())),
        notices_by_source=dict(sorted(by_src.items())),
        notices_by_category_and_source={k: dict(sorted(v.items())) for k, v in sorted(by_both.items())},
        trusted_flagger_notices=by_src.get("trusted_flagger", 0),
        actions_total=len(acts),
        actions_by_ground=dict(sorted(by_ground.items())),
        actions_by_action=dict(sorted(by_action.items())),
        actions_on_notices=len(on_notice),
        own_initiative_actions=sum(1 for d in acts if d.own_initiative),
        automated_detection_share=_share(sum(1 for d in acts if d.automated_detection), len(acts)),
        automated_decision_share=_share(sum(1 for d in acts if d.automated_decision), len(acts)),
        median_hours_notice_to_action=_median(
            [_hours(d.decided_at - d.first_notice_at) for d in on_notice if d.first_notice_at is not None]
        ),
        complaints_received=len(ap),
        complaints_by_outcome=outcomes,
        median_hours_complaint_to_outcome=_median(
            [_hours(a.decided_at - a.received_at) for a in decided if a.decided_at is not None]
        ),
        suspensions=suspensions,
        reversal_rate=_share(len(reversed_), len(decided)),
        reversal_rate_model_involved=_share(
            sum(1 for a in with_model if a.status is AppealStatus.REVERSED), len(with_model)
        ),
        notes=[
            "suspensions count account suspensions and terminations confirmed in the period (not revoked)",
            "complaints are those received in the period, with their outcome so far",
            "model involved: the contested decision was detected by automated means "
            "(an automated flag or a model prediction shown to the reviewer)",
        ],
    )
