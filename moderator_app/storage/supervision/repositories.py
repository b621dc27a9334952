"""Supervision repositories of a unit of work: the audit log and quality samples, by value."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from moderator_app.domain.review.model import DecisionInfo
from moderator_app.domain.supervision.audit import AuditEvent, EventDraft
from moderator_app.storage.orm import Decision, ReviewItem
from moderator_app.storage.rows import Rows
from moderator_app.storage.supervision import audit_quality_repo, audit_repo


class AuditRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def append(self, draft: EventDraft, now: datetime) -> AuditEvent:
        """One event, chained, in the caller's transaction (it commits or rolls back with the change)."""
        return audit_repo.append(self._s, draft, now)


class QualityRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def earlier_decisions(self, reviewer: str, before_id: int, cap: int) -> int:
        return audit_quality_repo.earlier_decisions(self._s, reviewer, before_id, cap)

    def add_sample(self, decision: DecisionInfo, share: Decimal, now: datetime) -> int:
        """Open the second-review item of a drawn decision; returns the item's id."""
        sample = audit_quality_repo.add_sample(self._s, self._rows.get_one(Decision, decision.id), share, now)
        self._s.flush()
        return sample.item_id

    def sample_taken_up(self, decision_id: int, now: datetime) -> bool | None:
        """None when the decision was not drawn; else whether a supervisor has reviewed the sample or
        holds its item now."""
        sample = audit_quality_repo.sample_of_decision(self._s, decision_id)
        if sample is None:
            return None
        item = self._rows.get_one(ReviewItem, sample.item_id)
        held = item.claimed_by is not None and item.lease_expires_at is not None and item.lease_expires_at >= now
        return sample.outcome is not None or held

    def withdraw(self, decision_id: int) -> None:
        sample = audit_quality_repo.sample_of_decision(self._s, decision_id)
        if sample is not None:
            audit_quality_repo.withdraw(self._s, sample)
