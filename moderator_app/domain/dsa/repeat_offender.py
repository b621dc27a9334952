"""The repeat-offender policy (Art 23): the factors of a case and the next step to propose.

Art 23(1) asks for a suspension "for a reasonable period of time and after having issued a prior
warning", decided case by case on (a) the number of manifestly illegal items in a time frame, (b) their
share of all the trader's items, (c) the gravity, (d) intent where identifiable. :func:`propose` never
proposes a suspension without a warning in force, nor any step after the first without a new confirmed
item since the last measure; a supervisor confirms every step.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from moderator_app.domain.dsa.model import MeasureStep
from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.errors import InvalidInput

LADDER = (MeasureStep.WARNING, MeasureStep.SUSPENSION, MeasureStep.TERMINATION)


@dataclass(frozen=True, slots=True)
class StepRule:
    min_items: int
    min_score: int
    min_share_percent: float
    days: tuple[int, ...] = ()  # suspension lengths: first, second, ... (the last repeats)


@dataclass(frozen=True, slots=True)
class NotifierRule:
    window_days: int
    min_unfounded: int
    min_share_percent: float
    suspension_days: int


@dataclass(frozen=True, slots=True)
class OffenderPolicy:
    window_days: int
    measure_memory_days: int
    weights: dict[PolicyCategory, int]
    steps: dict[MeasureStep, StepRule]
    notifiers: NotifierRule
    complainants: NotifierRule

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)

    def weight(self, category: PolicyCategory | None) -> int:
        return self.weights.get(category, 1) if category else 1


@dataclass(frozen=True, slots=True)
class StrikeFact:
    """One confirmed item of the trader inside the window."""

    strike_id: int
    listing_id: int
    category: PolicyCategory | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MeasureFact:
    step: MeasureStep
    created_at: datetime
    revoked: bool  # taken back (reversal on appeal): as if it had never been
    lifted: bool  # ended (a suspension that ran out, or lifted): still part of the record


@dataclass(frozen=True, slots=True)
class OffenderFactors:
    """The case-by-case factors of Art 23(3), as the proposal shows them."""

    window_days: int
    items_in_window: int
    listings_total: int
    share_percent: float
    gravity_score: int
    by_category: dict[str, int]
    warned: bool
    suspensions_before: int
    new_items_since_last_measure: int
    intent_notes: tuple[str, ...]
    strike_ids: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "window_days": self.window_days,
            "items_in_window": self.items_in_window,
            "listings_total": self.listings_total,
            "share_percent": self.share_percent,
            "gravity_score": self.gravity_score,
            "by_category": dict(self.by_category),
            "warned": self.warned,
            "suspensions_before": self.suspensions_before,
            "new_items_since_last_measure": self.new_items_since_last_measure,
            "intent_notes": list(self.intent_notes),
            "strike_ids": list(self.strike_ids),
        }


@dataclass(frozen=True, slots=True)
class Proposal:
    trader_id: int
    trader_external_id: str
    step: MeasureStep
    suspension_days: int | None
    reached: MeasureStep  # the highest step the record reaches
    factors: OffenderFactors
    reasons: tuple[str, ...]


def factors_of(
    strikes: Sequence[StrikeFact],
    measures: Sequence[MeasureFact],
    warning_decisions: Sequence[datetime],
    listings_total: int,
    policy: OffenderPolicy,
    now: datetime,
) -> OffenderFactors:
    """``strikes``: the trader's standing violation strikes for illegal content (any age);
    ``warning_decisions``: when standing WARN decisions were made on single listings."""
    recent = [s for s in strikes if s.created_at >= now - policy.window]
    memory = now - timedelta(days=policy.measure_memory_days)
    kept = [m for m in measures if not m.revoked and m.created_at >= memory]
    warned_at = [m.created_at for m in kept if m.step is MeasureStep.WARNING and not m.lifted]
    warned_at += [w for w in warning_decisions if w >= memory]
    suspensions = [m for m in kept if m.step is MeasureStep.SUSPENSION]
    last_measure = max([m.created_at for m in kept] + warned_at, default=None)
    by_cat: dict[str, int] = {}
    for s in recent:
        key = s.category.value if s.category else "unknown"
        by_cat[key] = by_cat.get(key, 0) + 1
    notes: list[str] = []
    if warned_at:
        after = sum(1 for s in recent if s.created_at > min(warned_at))
        if after:
            notes.append(f"{after} of the items were found after the trader had been warned")
    if PolicyCategory.HIDDEN_LINK.value in by_cat:
        notes.append("hidden links: the trader sent buyers off the platform on purpose")
    for cat, n in sorted(by_cat.items()):
        if n >= 3:
            notes.append(f"the same kind of violation ({cat.replace('_', ' ')}) {n} times in the window")
    share = round(100.0 * len(recent) / listings_total, 1) if listings_total else 0.0
    return OffenderFactors(
        window_days=policy.window_days,
        items_in_window=len(recent),
        listings_total=listings_total,
        share_percent=share,
        gravity_score=sum(policy.weight(s.category) for s in recent),
        by_category=by_cat,
        warned=bool(warned_at),
        suspensions_before=len(suspensions),
        new_items_since_last_measure=sum(
            1 for s in recent if last_measure is None or s.created_at > last_measure
        ),
        intent_notes=tuple(notes),
        strike_ids=tuple(s.strike_id for s in recent),
    )


def reached_step(f: OffenderFactors, policy: OffenderPolicy) -> MeasureStep | None:
    reached = None
    for step in LADDER:
        rule = policy.steps[step]
        if (
            f.items_in_window >= rule.min_items
            and f.gravity_score >= rule.min_score
            and f.share_percent >= rule.min_share_percent
        ):
            reached = step
    return reached


def propose(
    trader_id: int,
    trader_external_id: str,
    f: OffenderFactors,
    policy: OffenderPolicy,
    *,
    suspended_now: bool,
    terminated: bool,
) -> Proposal | None:
    """The next step on the ladder the record justifies, or None (nothing to do, or already done)."""
    reached = reached_step(f, policy)
    if reached is None or terminated:
        return None
    why = [
        f"{f.items_in_window} confirmed illegal items in {f.window_days} days "
        f"({f.share_percent:g}% of {f.listings_total} listings), gravity score {f.gravity_score}: "
        f"reaches the {reached.value} threshold"
    ]
    if not f.warned:
        step: MeasureStep = MeasureStep.WARNING
        why.append("no warning in force: a warning must come before any suspension")
    elif f.new_items_since_last_measure == 0 or reached is MeasureStep.WARNING:
        return None
    elif reached is MeasureStep.TERMINATION and f.suspensions_before > 0:
        step = MeasureStep.TERMINATION
        why.append(f"already suspended {f.suspensions_before} time(s) and offended again")
    elif suspended_now:
        return None
    else:
        step = MeasureStep.SUSPENSION
        why.append("warned before and offended again since the last measure")
    days = None
    if step is MeasureStep.SUSPENSION:
        lengths = policy.steps[MeasureStep.SUSPENSION].days or (30,)
        days = lengths[min(f.suspensions_before, len(lengths) - 1)]
    return Proposal(trader_id, trader_external_id, step, days, reached, f, tuple(why))


def still_justified(f: OffenderFactors, step: MeasureStep, policy: OffenderPolicy) -> bool:
    """After a strike is revoked: does the record still reach ``step``? (else the measure is lifted)"""
    rule = policy.steps[step]
    return (
        f.items_in_window >= rule.min_items
        and f.gravity_score >= rule.min_score
        and f.share_percent >= rule.min_share_percent
    )


def parse_policy(text: str) -> OffenderPolicy:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"repeat_offender_policy: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    return policy_from(raw)


def policy_from(raw: Any) -> OffenderPolicy:
    where = "repeat_offender_policy"
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: must be an object")
    weights_raw = _obj(raw, "gravity_weights", where)
    weights: dict[PolicyCategory, int] = {}
    for name, value in weights_raw.items():
        try:
            cat = PolicyCategory(name)
        except ValueError:
            raise InvalidInput(f"{where}.gravity_weights: unknown category {name!r}") from None
        weights[cat] = _int(value, f"{where}.gravity_weights.{name}", minimum=0)
    steps_raw = _obj(raw, "steps", where)
    steps: dict[MeasureStep, StepRule] = {}
    for step in LADDER:
        s = _obj(steps_raw, step.value, f"{where}.steps")
        w = f"{where}.steps.{step.value}"
        days_raw = s.get("days", [])
        if not isinstance(days_raw, list):
            raise InvalidInput(f"{w}.days: must be a list of whole days")
        days = tuple(_int(d, f"{w}.days", minimum=1) for d in days_raw)
        if step is MeasureStep.SUSPENSION and not days:
            raise InvalidInput(f"{w}.days: a suspension needs a stated length (a list of days)")
        steps[step] = StepRule(
            min_items=_int(s.get("min_items"), f"{w}.min_items", minimum=1),
            min_score=_int(s.get("min_score"), f"{w}.min_score", minimum=0),
            min_share_percent=float(_int(s.get("min_share_percent", 0), f"{w}.min_share_percent", minimum=0)),
            days=days,
        )
    order = [steps[s] for s in LADDER]
    for lower, higher, name in zip(order, order[1:], LADDER[1:], strict=False):
        if higher.min_items < lower.min_items or higher.min_score < lower.min_score:
            raise InvalidInput(f"{where}.steps.{name.value}: thresholds must not be below the step before")
    return OffenderPolicy(
        window_days=_int(raw.get("window_days"), f"{where}.window_days", minimum=1),
        measure_memory_days=_int(
            raw.get("measure_memory_days", 365), f"{where}.measure_memory_days", minimum=1
        ),
        weights=weights,
        steps=steps,
        notifiers=_notifier_rule(raw, "notifiers", where),
        complainants=_notifier_rule(raw, "complainants", where),
    )


def _notifier_rule(raw: dict[str, Any], key: str, where: str) -> NotifierRule:
    r = _obj(raw, key, where)
    w = f"{where}.{key}"
    return NotifierRule(
        window_days=_int(r.get("window_days"), f"{w}.window_days", minimum=1),
        min_unfounded=_int(r.get("min_unfounded"), f"{w}.min_unfounded", minimum=1),
        min_share_percent=float(_int(r.get("min_share_percent", 0), f"{w}.min_share_percent", minimum=0)),
        suspension_days=_int(r.get("suspension_days"), f"{w}.suspension_days", minimum=1),
    )


def _obj(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise InvalidInput(f"{where}: {key!r} must be an object")
    return value


def _int(value: Any, where: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(f"{where}: must be a whole number of at least {minimum}")
    return value
