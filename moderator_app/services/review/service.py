"""Claiming work, deciding it and taking a decision back.

Recording a decision and updating the trader's repeat-offender counters happen in one transaction:
either the listing status, the decision, the closed item, the strike and the counters are all written,
or nothing is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from moderator_app.domain.accounts import personal_data
from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.dsa.model import StatementAmendment
from moderator_app.domain.enums import Action, Ground, ItemState, ListingStatus, PolicyCategory, Queue
from moderator_app.domain.errors import (
    AlreadyDecided,
    ClaimLost,
    IncompleteDecision,
    InvalidInput,
    NotFound,
    UndoNotAllowed,
)
from moderator_app.domain.review.model import DecisionInfo, QueueCount, ReviewCase, ReviewItemInfo
from moderator_app.domain.review.policy import (
    CLAIM_LEASE,
    UNDO_WINDOW,
    listing_status_after,
    missing_for_decision,
    strike_kind_of,
)
from moderator_app.domain.review.work import LISTING_KINDS, kind_of_queue, wrong_path
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.domain.supervision.sampling import SupervisionPolicy
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.supervision import sampling
from moderator_app.storage import convert
from moderator_app.storage.accounts import account_repo
from moderator_app.storage.db import Database
from moderator_app.storage.dsa import dsa_decisions
from moderator_app.storage.orm import Decision, Listing, ReviewItem, Strike, Trader
from moderator_app.storage.predictions import prediction_repo
from moderator_app.storage.review import decision_repo, listing_repo, review_repo
from moderator_app.storage.review.read_models import load_case

ESCALATION_PRIORITY_BONUS = 100


class ReviewService:
    """Every change is checked against the acting name's roles (issue 6; names are taken as given while
    the database has no accounts) and appended to the audit log in the same transaction."""

    def __init__(
        self,
        db: Database,
        clock: Clock = system_clock,
        access: Access | None = None,
        supervision: SupervisionPolicy | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)
        self._supervision = supervision

    # -- queues -------------------------------------------------------------------------------------

    def queue_counts(self, viewer: str | None = None) -> list[QueueCount]:
        """The queues of listings (and escalations) this path hands out; with ``viewer``, only those the
        viewer's roles may see. Complaints and second reviews are counted by their own services."""
        with self._access.guard(), self._db.read() as s:
            counts = [
                c
                for c in review_repo.queue_counts(s, self._clock())
                if kind_of_queue(c.queue) in LISTING_KINDS
            ]
            if viewer is None:
                return counts
            p = self._access.principal(s, viewer, Right.REVIEW)
            return [c for c in counts if self._access.visible(p, c.queue)]

    def claim_next(self, queue: str, reviewer: str, exclude: Collection[int] = ()) -> ReviewCase | None:
        """Claim the next item of a queue for ``reviewer`` and load everything the window shows.

        An item the reviewer already holds is resumed first; ``exclude`` names items the caller already
        has (prefetched), so they are not handed out again.
        """
        reviewer = _reviewer(reviewer)
        wrong = wrong_path(queue)
        if wrong:  # issue 9: the listing path hands out listing items only
            raise InvalidInput(wrong)
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, reviewer, Right.REVIEW, queue=queue)
            item_id = review_repo.own_live_claim(s, queue, reviewer, now, exclude)
            if item_id is None:
                item_id = review_repo.claim_next(s, queue, reviewer, now, CLAIM_LEASE, exclude)
                if item_id is not None:
                    sampling.claim_event(s, reviewer, s.get_one(ReviewItem, item_id), AuditAction.CLAIM, now)
            if item_id is None:
                return None
        return self.case(item_id)

    def claim_listing(self, listing_ref: str | int, reviewer: str) -> ReviewItemInfo:
        """Claim the open item of one listing (what ``decide LISTING`` on the command line does)."""
        reviewer = _reviewer(reviewer)
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            listing = listing_repo.find_listing(s, listing_ref)
            if listing is None:
                raise NotFound(f"no listing {listing_ref}")
            item = review_repo.open_listing_item(s, listing.id)  # never a complaint or a second review
            if item is None:
                raise AlreadyDecided(f"listing {listing.external_id} has no open review item")
            self._access.require(s, reviewer, Right.REVIEW, queue=item.queue)
            held = (
                item.claimed_by == reviewer
                and item.lease_expires_at is not None
                and item.lease_expires_at >= now
            )
            if not review_repo.claim_item(s, item.id, reviewer, now, CLAIM_LEASE):
                raise ClaimLost(
                    f"listing {listing.external_id} is being reviewed by {item.claimed_by} "
                    f"until {item.lease_expires_at:%H:%M} UTC"
                )
            s.refresh(item)
            if not held:
                sampling.claim_event(s, reviewer, item, AuditAction.CLAIM, now)
            return convert.item_info(item)

    def case(self, item_id: int) -> ReviewCase:
        """What the window shows of an item. Once accounts exist the names of notifiers are withheld:
        deciding on a listing does not need them (supervisors read them, audited, in ``notice list``)."""
        with self._db.read() as s:
            found = load_case(s, self._db.media, item_id, self._clock())
            if not account_repo.any_user(s):
                return found
        return replace(found, flags=[personal_data.flag(f) for f in found.flags])

    def release(self, item_id: int, reviewer: str) -> bool:
        """Give a claimed item back to its queue (skip, closing the window)."""
        with self._db.write() as s:
            released = review_repo.release(s, item_id, reviewer)
            if released:
                sampling.claim_event(
                    s, reviewer, s.get_one(ReviewItem, item_id), AuditAction.RELEASE, self._clock()
                )
            return released

    def renew(self, item_id: int, reviewer: str) -> bool:
        """Extend the lease of an item the reviewer holds (a claim like any other: checked)."""
        with self._access.guard(), self._db.write() as s:
            item = s.get(ReviewItem, item_id)
            if item is None:
                raise NotFound(f"no review item {item_id}")
            self._access.require(s, reviewer, Right.REVIEW, queue=item.queue)
            return review_repo.claim_item(s, item_id, reviewer, self._clock(), CLAIM_LEASE)

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
        """
        reviewer = _reviewer(reviewer)
        missing = missing_for_decision(action, category, ground, explanation)
        if missing:
            raise IncompleteDecision(missing)
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            item = review_repo.lock_item(s, item_id)
            if item is None:
                raise NotFound(f"no review item {item_id}")
            principal = self._access.require(s, reviewer, Right.REVIEW, queue=item.queue)
            if item.state != ItemState.OPEN.value:
                raise AlreadyDecided(f"review item {item_id} is already closed ({item.state})")
            wrong = wrong_path(item.queue)
            if wrong:  # a complaint or a second review has a decide use case of its own
                raise InvalidInput(wrong)
            if item.claimed_by != reviewer:
                holder = item.claimed_by or "nobody"
                raise ClaimLost(f"review item {item_id} is claimed by {holder}, not by {reviewer}")
            listing = s.get_one(Listing, item.listing_id)
            trader = s.get_one(Trader, listing.trader_id)
            before = ListingStatus(listing.status)
            decision = Decision(
                puid=decision_repo.new_puid(),
                item_id=item.id,
                listing_id=listing.id,
                trader_id=trader.id,
                action=action.value,
                category=category.value if category else None,
                ground=ground.value if ground else None,
                explanation=explanation.strip(),
                reviewer=reviewer,
                claimed_at=item.claimed_at,
                decided_at=now,
                listing_status_before=before.value,
            )
            s.add(decision)
            listing.status = listing_status_after(action, before).value
            item.closed_at = now
            item.lease_expires_at = None
            if action is Action.ESCALATE:
                item.state = ItemState.ESCALATED.value
                s.add(
                    ReviewItem(
                        listing_id=listing.id,
                        queue=Queue.ESCALATED.value,
                        priority=item.priority + ESCALATION_PRIORITY_BONUS,
                        state=ItemState.OPEN.value,
                        created_at=now,
                    )
                )
            else:
                item.state = ItemState.DECIDED.value
            s.flush()
            if shown_predictions or shown_findings:
                prediction_repo.record_shown(s, decision.id, listing.id, shown_predictions, shown_findings)
            # Art 17: the statement of reasons, the notifiers' and trader's messages; an incomplete
            # statement refuses the decision (IncompleteDecision) and nothing above is kept.
            dsa_decisions.on_decision(s, decision, now, statement)
            kind = strike_kind_of(action)
            if kind is not None:
                s.add(
                    Strike(
                        trader_id=trader.id,
                        decision_id=decision.id,
                        listing_id=listing.id,
                        kind=kind.value,
                        category=decision.category,
                        created_at=now,
                    )
                )
                decision_repo.refresh_trader_counters(s, trader)
            # Issue 6: quality sampling and the audit event, in this transaction.
            sampling.on_decided(s, decision, item.queue, self._sampling(principal.managed), now)
            return convert.decision_info(decision, listing.external_id)

    def _sampling(self, managed: bool) -> SupervisionPolicy:
        """The policy given, else the shipped one once accounts exist: a second review needs a supervisor
        other than the reviewer, which a single-user workstation does not have."""
        if self._supervision is not None:
            return self._supervision
        return sampling.shipped_policy() if managed else sampling.NO_SAMPLING

    def undo(self, decision_id: int, reviewer: str) -> DecisionInfo:
        """Take back a decision within the undo window: the listing, the item and the counters return."""
        reviewer = _reviewer(reviewer)
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, reviewer, Right.REVIEW)
            decision = s.get(Decision, decision_id)
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
            if listing_repo.later_decisions_exist(s, decision):
                raise UndoNotAllowed(f"listing of decision {decision_id} has been decided again since")
            item = review_repo.lock_item(s, decision.item_id)
            assert item is not None
            if decision.action == Action.ESCALATE.value:
                follow_up = review_repo.open_item_for_listing(s, decision.listing_id)
                if follow_up is None or (follow_up.claimed_by and follow_up.claimed_by != reviewer):
                    raise UndoNotAllowed("a supervisor has already taken up the escalation")
                s.delete(follow_up)
            listing = s.get_one(Listing, decision.listing_id)
            listing.status = decision.listing_status_before
            decision.undone_at = now
            decision.undone_by = reviewer
            item.state = ItemState.OPEN.value
            item.closed_at = None
            item.claimed_by = reviewer
            item.claimed_at = now
            item.lease_expires_at = now + CLAIM_LEASE
            strike = decision_repo.strike_of_decision(s, decision.id)
            if strike is not None:
                strike.revoked_at = now
                strike.revoked_reason = "decision undone by its reviewer"
                decision_repo.refresh_trader_counters(s, s.get_one(Trader, decision.trader_id))
            sampling.on_undone(s, decision, item.queue, now)
            return convert.decision_info(decision, listing.external_id)

    def last_decision(self, reviewer: str) -> DecisionInfo | None:
        with self._db.read() as s:
            d = listing_repo.last_decision_of(s, reviewer)
            if d is None:
                return None
            return convert.decision_info(d, s.get_one(Listing, d.listing_id).external_id)


def _reviewer(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a reviewer name is needed")
    if len(name) > 100:
        raise InvalidInput("a reviewer name is at most 100 characters")
    return name
