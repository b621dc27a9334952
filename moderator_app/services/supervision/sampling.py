"""Quality sampling: a share of each moderator's decisions goes to a second review by a supervisor.

:class:`SamplingHandlers` handle ``DecisionRecorded`` inside the decision's transaction: they draw the
decision (see :mod:`moderator_app.domain.supervision.sampling`), open a review item in the "quality"
queue for a drawn one, and append the decision's audit event (one event, whether drawn or not).
Undoing a decision (``DecisionUndone``) withdraws its sample. Supervisors claim quality items like any other (never a sample of their own
decisions), then agree or overturn: an overturn takes the same steps as a reversal on appeal
(``services/dsa/appeals.py``): the listing as it was, the strike revoked through the one counter path,
suspensions the record no longer reaches lifted, and a reversed "no violation" reviewed again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.enums import ItemState
from moderator_app.domain.errors import ClaimLost, InvalidInput, NotFound, UndoNotAllowed
from moderator_app.domain.events import DecisionRecorded, DecisionUndone
from moderator_app.domain.review.model import DecisionInfo, ReviewCase
from moderator_app.domain.review.policy import CLAIM_LEASE, listing_status_after
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.domain.supervision.sampling import (
    QUALITY_QUEUE,
    QualityOutcome,
    QualitySampleInfo,
    QualityStats,
    SamplingPolicy,
    SupervisionPolicy,
    parse_supervision,
)
from moderator_app.paths import resources_dir
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.appeals import reverse_decision
from moderator_app.services.supervision.audit import record
from moderator_app.storage import convert
from moderator_app.storage.accounts.orm_accounts import QualitySample
from moderator_app.storage.db import Database
from moderator_app.storage.orm import Decision, Listing, ReviewItem
from moderator_app.storage.review import review_repo
from moderator_app.storage.review.read_models import load_case
from moderator_app.storage.supervision import audit_dashboard_repo, audit_quality_repo
from moderator_app.storage.unit import UnitOfWork
from moderator_app.storage.unit_of_work import UnitOfWork as Transaction

REVIEW_AGAIN_PRIORITY_BONUS = 100  # as for a reversal on appeal


NO_SAMPLING = SupervisionPolicy(SamplingPolicy(Decimal(0), Decimal(0), 0))


@lru_cache(maxsize=1)
def shipped_policy() -> SupervisionPolicy:
    return parse_supervision((resources_dir() / "supervision.json").read_text(encoding="utf-8"))


# -- handlers of the review service's events (inside its transaction) -------------------------------------


class SamplingHandlers:
    """Draws each decision for a second review and writes the decision's audit event (one event, whether
    drawn or not); an undo withdraws the draw, unless a supervisor has taken it up.

    ``policy``: the one given (tests, the demo's past), else the shipped one once accounts exist: a
    second review needs a supervisor other than the reviewer, which a single-user workstation lacks.
    """

    def __init__(self, policy: SupervisionPolicy | None = None) -> None:
        self._policy = policy

    def policy_for(self, managed: bool) -> SupervisionPolicy:
        if self._policy is not None:
            return self._policy
        return shipped_policy() if managed else NO_SAMPLING

    def on_decision_recorded(self, tx: Transaction, e: DecisionRecorded) -> None:
        d = tx.decisions.get(e.decision_id)
        assert d is not None
        sampling = self.policy_for(e.managed).sampling
        earlier = tx.quality.earlier_decisions(d.reviewer, d.id, sampling.new_moderator_decisions)
        share = sampling.sampled(d.puid, d.action, e.queue, earlier)
        sampled = share is not None
        if share is not None:
            tx.quality.add_sample(d, share, e.at)
        tx.audit.append(
            EventDraft(
                actor=d.reviewer,
                action=AuditAction.DECIDE,
                subject=f"decision:{d.id}",
                before={"listing_status": e.listing_status_before.value, "item_state": ItemState.OPEN.value},
                after={
                    "puid": d.puid,
                    "action": d.action.value,
                    "category": d.category.value if d.category else None,
                    "ground": d.ground.value if d.ground else None,
                    "explanation": d.explanation,
                    "listing_status": e.listing_status_after.value,
                    "item_id": d.item_id,
                    "quality_sample": sampled,
                },
                queue=e.queue,
                category=d.category.value if d.category else None,
                listing_id=d.listing_id,
            ),
            e.at,
        )

    def on_decision_undone(self, tx: Transaction, e: DecisionUndone) -> None:
        taken_up = tx.quality.sample_taken_up(e.decision_id, e.at)
        if taken_up:
            raise UndoNotAllowed("a supervisor has already taken up the second review of this decision")
        if taken_up is not None:
            tx.quality.withdraw(e.decision_id)
        tx.audit.append(
            EventDraft(
                actor=e.reviewer,
                action=AuditAction.UNDO,
                subject=f"decision:{e.decision_id}",
                before={
                    "action": e.action.value,
                    "listing_status": listing_status_after(e.action, e.listing_status_before).value,
                },
                after={"listing_status": e.listing_status_before.value, "item_state": ItemState.OPEN.value},
                queue=e.queue,
                category=e.category.value if e.category else None,
                listing_id=e.listing_id,
            ),
            e.at,
        )


def claim_event(s: UnitOfWork, reviewer: str, item: ReviewItem, action: AuditAction, now: datetime) -> None:
    record(
        s,
        EventDraft(
            actor=reviewer,
            action=action,
            subject=f"item:{item.id}",
            after={"claimed_by": reviewer if action is AuditAction.CLAIM else None},
            queue=item.queue,
            listing_id=item.listing_id,
        ),
        now,
    )


# -- the supervisors' side -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QualityCase:
    sample: QualitySampleInfo
    decision: DecisionInfo
    case: ReviewCase  # the listing as it is now, with its trader, flags and images


def sample_info(q: QualitySample) -> QualitySampleInfo:
    return QualitySampleInfo(
        id=q.id,
        decision_id=q.decision_id,
        item_id=q.item_id,
        moderator=q.moderator,
        action=q.action,
        category=q.category,
        share=q.share,
        sampled_at=q.sampled_at,
        outcome=QualityOutcome(q.outcome) if q.outcome else None,
        reviewed_by=q.reviewed_by,
        reviewed_at=q.reviewed_at,
        note=q.note,
    )


class QualityService:
    def __init__(self, db: Database, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)

    def claim_next(self, reviewer: str, exclude: Collection[int] = ()) -> QualityCase | None:
        """Claim the next sampled decision to review (never one of the reviewer's own decisions)."""
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, reviewer, Right.QUALITY_REVIEW, queue=QUALITY_QUEUE)
            skip = set(exclude) | set(audit_dashboard_repo.open_quality_items_of(s, reviewer))
            item_id = review_repo.own_live_claim(s, QUALITY_QUEUE, reviewer, now, skip)
            if item_id is None:
                item_id = review_repo.claim_next(s, QUALITY_QUEUE, reviewer, now, CLAIM_LEASE, skip)
                if item_id is not None:
                    claim_event(s, reviewer, s.get_one(ReviewItem, item_id), AuditAction.CLAIM, now)
            if item_id is None:
                return None
            return self._case(s, item_id, now)

    def case(self, sample_id: int) -> QualityCase:
        with self._db.read() as s:
            q = s.get(QualitySample, sample_id)
            if q is None:
                raise NotFound(f"no quality sample {sample_id}")
            return self._case(s, q.item_id, self._clock())

    def review(
        self, sample_id: int, reviewer: str, outcome: QualityOutcome, note: str = ""
    ) -> QualitySampleInfo:
        """Agree with or overturn a sampled decision (claim it first). Overturning needs a reason."""
        note = note.strip()
        if outcome is QualityOutcome.OVERTURN and not note:
            raise InvalidInput("say why the decision is overturned (it is recorded and sent on)")
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, reviewer, Right.QUALITY_REVIEW, queue=QUALITY_QUEUE)
            q = s.get(QualitySample, sample_id)
            if q is None:
                raise NotFound(f"no quality sample {sample_id}")
            if q.outcome is not None:
                raise InvalidInput(
                    f"quality sample {q.id} was already reviewed ({q.outcome} by {q.reviewed_by})"
                )
            if q.moderator == reviewer:
                raise InvalidInput("a second review must be by someone else than the decision's reviewer")
            item = review_repo.lock_item(s, q.item_id)
            assert item is not None
            if item.claimed_by != reviewer or item.lease_expires_at is None or item.lease_expires_at < now:
                raise ClaimLost(
                    f"claim quality sample {q.id} first (it is held by {item.claimed_by or 'nobody'})"
                )
            d = s.get_one(Decision, q.decision_id)
            listing = s.get_one(Listing, d.listing_id)
            before = {"listing_status": listing.status, "outcome": None}
            item.state, item.closed_at, item.lease_expires_at = ItemState.DECIDED.value, now, None
            s.flush()
            if outcome is QualityOutcome.OVERTURN:
                if d.undone_at is not None:
                    raise InvalidInput(f"decision {d.id} was undone: there is nothing to overturn")
                why = f"overturned on second review Q-{q.id} by {reviewer}: {note}"
                reverse_decision(s, d, why, now, reviewer)
            q.outcome, q.reviewed_by, q.reviewed_at, q.note = outcome.value, reviewer, now, note
            action = (
                AuditAction.QUALITY_AGREE if outcome is QualityOutcome.AGREE else AuditAction.QUALITY_OVERTURN
            )
            record(
                s,
                EventDraft(
                    actor=reviewer,
                    action=action,
                    subject=f"decision:{d.id}",
                    before=before,
                    after={"listing_status": listing.status, "outcome": outcome.value, "sample": q.id},
                    queue=QUALITY_QUEUE,
                    category=d.category,
                    listing_id=d.listing_id,
                    detail=note,
                ),
                now,
            )
            return sample_info(q)

    def samples(self, actor: str, pending_only: bool = False) -> list[QualitySampleInfo]:
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_DASHBOARD)
            out = [sample_info(q) for q in audit_quality_repo.samples(s, None, None)]
        return [q for q in out if q.outcome is None] if pending_only else out

    def stats(self, actor: str, start: datetime | None = None, end: datetime | None = None) -> QualityStats:
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_DASHBOARD)
            return audit_dashboard_repo.quality_stats(s, start, end)

    def _case(self, s: UnitOfWork, item_id: int, now: datetime) -> QualityCase:
        q = audit_quality_repo.sample_of_item(s, item_id)
        assert q is not None, "every item of the quality queue belongs to a sample"
        d = s.get_one(Decision, q.decision_id)
        ext = s.get_one(Listing, d.listing_id).external_id
        return QualityCase(
            sample_info(q), convert.decision_info(d, ext), load_case(s, self._db.media, item_id, now)
        )
