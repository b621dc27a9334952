"""Statements of reasons for the window and the command line: preview before deciding, and look-up."""

from __future__ import annotations

from moderator_app.domain.dsa.model import StatementAmendment, StatementInfo, StatementPreview
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.errors import NotFound
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa import decision_effects
from moderator_app.storage.dsa import sor_repo
from moderator_app.storage.unit_of_work import unit_of_work


class StatementService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock) -> None:
        self._tx = tx
        self._db = tx.db
        self._clock = clock

    def preview(
        self,
        item_id: int,
        reviewer: str,
        action: Action,
        category: PolicyCategory | None = None,
        ground: Ground | None = None,
        explanation: str = "",
        amendment: StatementAmendment | None = None,
    ) -> StatementPreview:
        """The statement this decision would get and what is missing (``missing`` empty: it can be
        confirmed). Writes nothing; ``ReviewService.decide`` applies the same rules and refuses with
        ``IncompleteDecision`` naming the same missing elements."""
        with unit_of_work(self._db, write=False) as tx:
            return decision_effects.preview(
                tx, item_id, reviewer, action, category, ground, explanation, self._clock(), amendment
            )

    def of_decision(self, decision_id: int) -> StatementInfo | None:
        """The statement frozen with a decision (None for decisions that restrict nothing)."""
        with self._db.read() as s:
            return sor_repo.of_decision(s, decision_id)

    def find(self, puid: str) -> StatementInfo:
        with self._db.read() as s:
            found = sor_repo.find(s, puid.strip())
        if found is None:
            raise NotFound(f"no statement of reasons {puid}")
        return found
