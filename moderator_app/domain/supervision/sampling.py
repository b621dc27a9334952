"""Quality sampling: which decisions a supervisor reviews a second time, and the service-level targets.

A share of each moderator's decisions (more for new moderators) is drawn for a second review. The draw
is deterministic per decision: the first 8 bytes of SHA-256 of the decision's puid, read as a fraction
of 2**64, below the share. So the share holds over many decisions, the same decision is always drawn
(or not) whatever the order, and nobody can choose which decisions are reviewed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from moderator_app.domain.enums import Action
from moderator_app.domain.errors import InvalidInput

QUALITY_QUEUE = "quality"
APPEALS_QUEUE = "appeals"  # same value as domain.dsa.model.APPEALS_QUEUE
SIDE_QUEUES = frozenset({QUALITY_QUEUE, APPEALS_QUEUE})
"""Queues whose items review an earlier decision rather than a listing: their decisions are not drawn."""

QUALITY_PRIORITY = 50


class QualityOutcome(StrEnum):
    AGREE = "agree"
    OVERTURN = "overturn"


def draw(puid: str) -> Decimal:
    """The decision's place in [0, 1): fixed by its puid."""
    digest = hashlib.sha256(puid.encode("utf-8")).digest()
    return Decimal(int.from_bytes(digest[:8], "big")) / Decimal(2**64)


def _share(value: object, where: str) -> Decimal:
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"supervision.json: {where} must be a number between 0 and 1") from None
    if not Decimal(0) <= share <= Decimal(1):
        raise InvalidInput(f"supervision.json: {where} must be between 0 and 1, not {value}")
    return share


@dataclass(frozen=True, slots=True)
class SamplingPolicy:
    share: Decimal = Decimal("0.05")
    new_moderator_share: Decimal = Decimal("0.2")
    new_moderator_decisions: int = 200

    def share_for(self, earlier_decisions: int) -> Decimal:
        return self.new_moderator_share if earlier_decisions < self.new_moderator_decisions else self.share

    def sampled(self, puid: str, action: Action, queue: str, earlier_decisions: int) -> Decimal | None:
        """The share in force if this decision is drawn, else None. Escalations decide nothing yet."""
        if action is Action.ESCALATE or queue in SIDE_QUEUES:
            return None
        share = self.share_for(earlier_decisions)
        return share if draw(puid) < share else None


@dataclass(frozen=True, slots=True)
class SupervisionPolicy:
    sampling: SamplingPolicy = field(default_factory=SamplingPolicy)
    sla_hours: Mapping[str, float] = field(default_factory=lambda: {"default": 24.0})

    def sla(self, queue: str) -> timedelta:
        hours = self.sla_hours.get(queue, self.sla_hours.get("default", 24.0))
        return timedelta(hours=hours)


def parse_supervision(text: str) -> SupervisionPolicy:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"supervision.json: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(raw, dict):
        raise InvalidInput("supervision.json: expected an object")
    s = raw.get("sampling", {})
    if not isinstance(s, dict):
        raise InvalidInput("supervision.json: sampling must be an object")
    n = s.get("new_moderator_decisions", 200)
    if not isinstance(n, int) or n < 0:
        raise InvalidInput("supervision.json: sampling.new_moderator_decisions must be a whole number >= 0")
    sampling = SamplingPolicy(
        share=_share(s.get("share", "0.05"), "sampling.share"),
        new_moderator_share=_share(s.get("new_moderator_share", "0.2"), "sampling.new_moderator_share"),
        new_moderator_decisions=n,
    )
    sla = raw.get("sla_hours", {})
    if not isinstance(sla, dict):
        raise InvalidInput("supervision.json: sla_hours must be an object of queue -> hours")
    hours: dict[str, float] = {}
    for q, v in sla.items():
        if q.startswith("//"):
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
            raise InvalidInput(f"supervision.json: sla_hours.{q} must be a number of hours above 0")
        hours[q] = float(v)
    hours.setdefault("default", 24.0)
    return SupervisionPolicy(sampling, hours)


# -- what supervisors see ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QualitySampleInfo:
    id: int
    decision_id: int
    item_id: int
    moderator: str
    action: str
    category: str | None
    share: str
    sampled_at: datetime
    outcome: QualityOutcome | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    note: str


@dataclass(frozen=True, slots=True)
class Rate:
    """Reviewed second looks: how many agreed with the first decision."""

    reviewed: int = 0
    agreed: int = 0

    @property
    def overturned(self) -> int:
        return self.reviewed - self.agreed

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.reviewed if self.reviewed else None


@dataclass(frozen=True, slots=True)
class ModelRecord:
    """How a model's (or text rule's) flags fared with the people who saw them."""

    model: str
    flagged: int = 0  # decisions where it flagged the listing (at or above its threshold)
    confirmed: int = 0  # ... and the reviewer found a violation that still stands
    overturned: int = 0  # ... and the reviewer found none, or the finding was reversed later


@dataclass(frozen=True, slots=True)
class QualityStats:
    sampled: int
    pending: int
    overall: Rate
    by_moderator: Mapping[str, Rate]
    by_category: Mapping[str, Rate]
    models: tuple[ModelRecord, ...] = ()
