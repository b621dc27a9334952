"""Audit events of the claim protocol, as handlers of ``ItemClaimed`` and ``ItemReleased`` (the
decision's own event is written with its quality-sampling draw, services/supervision/sampling.py)."""

from __future__ import annotations

from moderator_app.domain.events import ItemClaimed, ItemReleased
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.storage.unit_of_work import UnitOfWork


def on_item_claimed(tx: UnitOfWork, e: ItemClaimed) -> None:
    _claim_event(tx, e, AuditAction.CLAIM, e.actor)


def on_item_released(tx: UnitOfWork, e: ItemReleased) -> None:
    _claim_event(tx, e, AuditAction.RELEASE, None)


def _claim_event(tx: UnitOfWork, e: ItemClaimed | ItemReleased, action: AuditAction, holder: str | None) -> None:
    tx.audit.append(
        EventDraft(
            actor=e.actor,
            action=action,
            subject=f"item:{e.item_id}",
            after={"claimed_by": holder},
            queue=e.queue,
            listing_id=e.listing_id,
        ),
        e.at,
    )
