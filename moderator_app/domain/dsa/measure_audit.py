"""The audit event of a measure (a warning, suspension or termination of a trader, notifier or
complainant), the same whichever service confirms, lifts or reconsiders it."""

from __future__ import annotations

from collections.abc import Mapping

from moderator_app.domain.dsa.model import MeasureInfo
from moderator_app.domain.supervision.audit import AuditAction, EventDraft


def measure_draft(
    actor: str,
    action: AuditAction,
    m: MeasureInfo,
    before: Mapping[str, object] | None,
    after: Mapping[str, object],
    detail: str = "",
) -> EventDraft:
    """Who the event concerns is the measure's id (and a trader's internal id), never a name or an
    e-mail address."""
    return EventDraft(
        actor=actor,
        action=action,
        subject=f"measure:{m.id}",
        before=before,
        after={
            "kind": m.subject_kind.value,
            "trader_id": m.trader_id,
            "step": m.step.value,
            "ends_at": m.ends_at.isoformat() if m.ends_at else None,
            **after,
        },
        detail=detail,
    )
