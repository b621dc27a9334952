"""Claiming work, deciding it and taking a decision back.

Each use case opens one unit of work (``Transactions.write()``), checks the acting person through
``Access`` inside it, records its own change through the repositories and emits what happened
(``ItemClaimed``, ``ItemReleased``, ``DecisionRecorded``, ``DecisionUndone``). The handlers registered
in the composition root (services/bootstrap.py) do the rest before the commit: the statement of
reasons and the outbox (services/dsa/decision_effects.py), the strike and the trader's counters
(services/review/strikes.py), quality sampling and the audit event (services/supervision/sampling.py
and audit_trail.py). Either all of it is written, or nothing is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.dsa.model import APPEALS_QUEUE, StatementAmendment
from moderator_app.domain.enums import Action, Ground, ItemState, PolicyCategory, Queue
from moderator_app.domain.errors import (
    AlreadyDecided,
    ClaimLost,
    IncompleteDecision,
    InvalidInput,
    NotFound,
    UndoNotAllowed,
)
from moderator_app.domain.events import DecisionRecorded, DecisionUndone, ItemClaimed, ItemReleased
from moderator_app.domain.review.model import DecisionInfo, QueueCount, ReviewCase, ReviewItemInfo
from moderator_app.domain.review.policy import (
    CLAIM_LEASE,
    UNDO_WINDOW,
    listing_status_after,
    missing_for_decision,
)
from moderator_app.domain.supervision.sampling import QUALITY_QUEUE
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock

ESCALATION_PRIORITY_BONUS = 100


class ReviewService:
    """Every change is checked against the acting name's roles (names are taken as given while the
    database has no accounts) and appended to the audit log in the same transaction."""

    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._clock = clock
        self._access = access or Access(tx.db, clock)

    # -- queues -------------------------------------------------------------------------------------

    def queue_counts(self, viewer: str | None = None) -> list[QueueCount]:
        """All queues; with ``viewer``, only those the viewer's roles may see."""
        with self._access.guard(), self._tx.read() as tx:
            counts = tx.items.queue_counts(self._clock())
            if viewer is None:
                return counts
            p = self._access.principal(tx, viewer, Right.REVIEW)
            return [c for c in counts if self._access.visible(p, c.queue)]

    def claim_next(self, queue: str, reviewer: str, exclude: Collection[int] = ()) -> ReviewCase | None:
        """Claim the next item of a queue for ``reviewer`` and load everything the window shows.

        An item the reviewer already holds is resumed first; ``exclude`` names items the caller already
        has (prefetched), so they are not handed out again.
        """
        reviewer = _reviewer(reviewer)
        now = self._clock()
        with self._access.guard(), self._tx.write() as tx:
            self._access.require(tx, reviewer, Right.REVIEW, queue=queue)
            item_id = tx.items.own_live_claim(queue, reviewer, now, exclude)
            if item_id is None:
                item_id = tx.items.claim_next(queue, reviewer, now, CLAIM_LEASE, exclude)
                if item_id is not None:
                    item = tx.items.get(item_id)
                    assert item is not None
                    tx.emit(ItemClaimed(item.id, item.listing_id, item.queue, reviewer, now))
            if item_id is None:
                return None
        return self.case(item_id)

    def claim_listing(self, listing_ref: str | int, reviewer: str) -> ReviewItemInfo:
        """Claim the open item of one listing (what ``decide LISTING`` on the command line does)."""
        reviewer = _reviewer(reviewer)
        now = self._clock()
        with self._access.guard(), self._tx.write() as tx:
            found = tx.listings.find(listing_ref)
            if found is None:
                raise NotFound(f"no listing {listing_ref}")
            listing_id, external_id = found
            item = tx.items.open_for_listing(listing_id)
            if item is None:
                raise AlreadyDecided(f"listing {external_id} has no open review item")
            self._access.require(tx, reviewer, Right.REVIEW, queue=item.queue)
            held = item.claimed_by == reviewer and item.lease_expires_at is not None and item.lease_expires_at >= now
            if not tx.items.claim(item.id, reviewer, now, CLAIM_LEASE):
                until = f"{item.lease_expires_at:%H:%M} UTC" if item.lease_expires_at else "later"
                raise ClaimLost(f"listing {external_id} is being reviewed by {item.claimed_by} until {until}")
            if not held:
                tx.emit(ItemClaimed(item.id, item.listing_id, item.queue, reviewer, now))
            claimed = tx.items.get(item.id)
            assert claimed is not None
            return claimed

    def case(self, item_id: int) -> ReviewCase:
        with self._tx.read() as tx:
            return tx.items.case(tx.media, item_id, self._clock())

    def release(self, item_id: int, reviewer: str) -> bool:
        """Give a claimed item back to its queue (skip, closing the window)."""
        now = self._clock()
        with self._tx.write() as tx:
            released = tx.items.release(item_id, reviewer)
            if released:
                item = tx.items.get(item_id)
                assert item is not None
                tx.emit(ItemReleased(item.id, item.listing_id, item.queue, reviewer, now))
            return released

    def renew(self, item_id: int, reviewer: str) -> bool:
        with self._tx.write() as tx:
            return tx.items.claim(item_id, reviewer, self._clock(), CLAIM_LEASE)

    # -- decisions ----------------------------------------------------------------------------------

    def decide(
        self,
        item_id: int,
        reviewer: str,
        action: Action,
        category: PolicyCategory | None = None,
        ground: Ground | None = None,
        explanation: str = "",
        statement: StatementAmendment | None = None,
        shown_predictions: Sequence[int] = (),
        shown_findings: Sequence[int] = (),
    ) -> DecisionInfo:
        """Record a decision; ``statement`` amends the statement of reasons its template proposes.

        ``shown_predictions`` / ``shown_findings``: ids of the predictions and text findings that were on
        screen (``ListingPredictions.prediction_ids`` / ``.finding_ids``), recorded with the decision.
        An incomplete statement of reasons refuses the decision (``IncompleteDecision``) and nothing
        is kept.
        """
        reviewer = _reviewer(reviewer)
        missing = missing_for_decision(action, category, ground, explanation)
        if missing:
            raise IncompleteDecision(missing)
        now = self._clock()
        with self._access.guard(), self._tx.write() as tx:
            item = tx.items.lock(item_id)
            if item is None:
                raise NotFound(f"no review item {item_id}")
            principal = self._access.require(tx, reviewer, Right.REVIEW, queue=item.queue)
            if item.state is not ItemState.OPEN:
                raise AlreadyDecided(f"review item {item_id} is already closed ({item.state.value})")
            if item.queue == QUALITY_QUEUE:
                raise InvalidInput("this item is a second review of a decision: agree or overturn it (quality)")
            if item.queue == APPEALS_QUEUE:
                raise InvalidInput(
                    "this item is a complaint against an earlier decision: uphold or reverse it (appeal decide)"
                )
            if item.claimed_by != reviewer:
                holder = item.claimed_by or "nobody"
                raise ClaimLost(f"review item {item_id} is claimed by {holder}, not by {reviewer}")
            before = tx.listings.status(item.listing_id)
            after = listing_status_after(action, before)
            trader_id = tx.listings.trader_of(item.listing_id)
            decision = tx.decisions.record(
                item, trader_id, action, category, ground, explanation.strip(), reviewer, now, before
            )
            tx.listings.set_status(item.listing_id, after)
            if action is Action.ESCALATE:
                tx.items.close(item.id, ItemState.ESCALATED, now)
                tx.items.open(
                    item.listing_id, Queue.ESCALATED.value, item.priority + ESCALATION_PRIORITY_BONUS, now
                )
            else:
                tx.items.close(item.id, ItemState.DECIDED, now)
            if shown_predictions or shown_findings:
                tx.predictions.record_shown(decision.id, item.listing_id, shown_predictions, shown_findings)
            tx.emit(
                DecisionRecorded(
                    decision_id=decision.id,
                    puid=decision.puid,
                    item_id=item.id,
                    listing_id=item.listing_id,
                    trader_id=trader_id,
                    queue=item.queue,
                    action=action,
                    category=category,
                    reviewer=reviewer,
                    listing_status_before=before,
                    listing_status_after=after,
                    at=now,
                    statement=statement,
                    managed=principal.managed,
                )
            )
            return decision

    def undo(self, decision_id: int, reviewer: str) -> DecisionInfo:
        """Take back a decision within the undo window: the listing, the item and the counters return."""
        reviewer = _reviewer(reviewer)
        now = self._clock()
        with self._access.guard(), self._tx.write() as tx:
            self._access.require(tx, reviewer, Right.REVIEW)
            decision = tx.decisions.get(decision_id)
            if decision is None:
                raise NotFound(f"no decision {decision_id}")
            if decision.undone_at is not None:
                raise UndoNotAllowed(f"decision {decision_id} was already undone")
            if decision.reviewer != reviewer:
                raise UndoNotAllowed(
                    f"decision {decision_id} was made by {decision.reviewer}; only they can undo it"
                )
            if now - decision.decided_at > UNDO_WINDOW:
                minutes = int(UNDO_WINDOW.total_seconds() // 60)
                raise UndoNotAllowed(
                    f"decision {decision_id} is older than {minutes} minutes and can no longer be undone"
                )
            if tx.decisions.later_exists(decision_id):
                raise UndoNotAllowed(f"listing of decision {decision_id} has been decided again since")
            item = tx.items.lock(decision.item_id)
            assert item is not None
            if decision.action is Action.ESCALATE:
                follow_up = tx.items.open_for_listing(decision.listing_id)
                if follow_up is None or (follow_up.claimed_by and follow_up.claimed_by != reviewer):
                    raise UndoNotAllowed("a supervisor has already taken up the escalation")
                tx.items.delete(follow_up.id)
            before = decision.listing_status_before
            assert before is not None
            tx.listings.set_status(decision.listing_id, before)
            undone = tx.decisions.mark_undone(decision_id, reviewer, now)
            tx.items.reopen_claimed(item.id, reviewer, now, CLAIM_LEASE)
            tx.emit(
                DecisionUndone(
                    decision_id=decision.id,
                    item_id=item.id,
                    listing_id=decision.listing_id,
                    trader_id=decision.trader_id,
                    queue=item.queue,
                    action=decision.action,
                    category=decision.category,
                    reviewer=reviewer,
                    listing_status_before=before,
                    at=now,
                )
            )
            return undone

    def last_decision(self, reviewer: str) -> DecisionInfo | None:
        with self._tx.read() as tx:
            return tx.decisions.last_of(reviewer)


def _reviewer(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a reviewer name is needed")
    if len(name) > 100:
        raise InvalidInput("a reviewer name is at most 100 characters")
    return name
