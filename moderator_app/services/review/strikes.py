"""The repeat-offender record, as handlers of decision events: a decision that restricts a listing is
a strike against its trader (a warning or a violation, ``strike_kind_of``), and taking the decision
back revokes it. Both recount the trader's counters through one path, so they never drift."""

from __future__ import annotations

from moderator_app.domain.events import DecisionRecorded, DecisionUndone
from moderator_app.domain.review.policy import strike_kind_of
from moderator_app.storage.unit_of_work import UnitOfWork


def on_decision_recorded(tx: UnitOfWork, e: DecisionRecorded) -> None:
    kind = strike_kind_of(e.action)
    if kind is None:
        return
    decision = tx.decisions.get(e.decision_id)
    assert decision is not None
    tx.strikes.add(decision, kind, e.at)


def on_decision_undone(tx: UnitOfWork, e: DecisionUndone) -> None:
    tx.strikes.revoke_of_decision(e.decision_id, "decision undone by its reviewer", e.at)
