"""Complaints against decisions (Art 20), decided by a person other than the original reviewer.

A complaint is a review item in the "appeals" queue: it is claimed like any item (``claim_next`` here
passes over complaints against the claimer's own decisions) and decided with :meth:`AppealService.decide`.
Upholding keeps everything. Reversing puts the listing back as it was before the decision, revokes the
decision's strike through the one counter path, lifts any suspension or termination the record no longer
reaches, and records why; a reversed "no violation" sends the listing back for a fresh decision.

Filing, claiming and deciding a complaint each append an audit event in the same transaction (issue 6);
measures a reversal lifts are events of their own (``measure_lift``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import datetime

from moderator_app.domain.accounts import personal_data
from moderator_app.domain.dsa import messages
from moderator_app.domain.dsa.appeals import check_can_file, check_may_decide
from moderator_app.domain.dsa.model import (
    APPEALS_QUEUE,
    AppealCase,
    AppealInfo,
    AppealOutcome,
    AppealStatus,
    AppellantKind,
    OutboxKind,
    SubjectKind,
)
from moderator_app.domain.dsa.notices import notifier_key
from moderator_app.domain.dsa.permissions import Permission
from moderator_app.domain.enums import Action, FlagSource, ItemState, ListingStatus, PolicyCategory
from moderator_app.domain.errors import ClaimLost, InvalidInput, NotFound
from moderator_app.domain.review.policy import (
    CLAIM_LEASE,
    FlagSignal,
    listing_status_after,
    priority_for,
    queue_for,
)
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.offenders import measure_event, reconsider
from moderator_app.services.dsa.permissions import (
    PersonalDataGate,
    actor_name,
)
from moderator_app.storage import convert
from moderator_app.storage.dsa import appeal_repo, measure_repo, notice_repo, outbox_repo, sor_repo
from moderator_app.storage.dsa.orm_dsa import AccountMeasure, Appeal
from moderator_app.storage.orm import Decision, Listing, ReviewItem, Trader
from moderator_app.storage.review import decision_repo, listing_repo, review_repo
from moderator_app.storage.supervision import audit_repo
from moderator_app.storage.unit import UnitOfWork

REVIEW_AGAIN_PRIORITY_BONUS = 100


class AppealService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._db = tx.db
        self._clock = clock
        self._access = access or Access(tx.db, clock)
        self._gate: PersonalDataGate = self._access

    def file(
        self,
        decision: int | str,
        kind: AppellantKind,
        reason: str,
        actor: str,
        *,
        appellant: str | None = None,
        appellant_email: str | None = None,
        received_at: datetime | None = None,
    ) -> AppealInfo:
        """Record a complaint against a decision (by id or puid) within six months of it."""
        actor = actor_name(actor)
        now = self._clock()
        received = received_at or now
        if received > now:
            raise InvalidInput("a complaint cannot be received in the future")
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, actor, Permission.FILE_APPEAL)
            d = _decision(s, decision)
            if Action(d.action) is Action.ESCALATE:
                raise InvalidInput(
                    "an escalation is not a decision on the listing: there is nothing to contest yet"
                )
            check_can_file(
                decided_at=d.decided_at, received_at=received, undone=d.undone_at is not None, reason=reason
            )
            if appeal_repo.open_appeal_of_decision(s, d.id) is not None:
                raise InvalidInput(f"decision {d.id} already has an open complaint")
            if kind is AppellantKind.TRADER:
                trader = s.get_one(Trader, d.trader_id)
                appellant = appellant or trader.display_name
                appellant_email = appellant_email or trader.email
                key: str | None = f"trader:{trader.id}"
            else:
                key = notifier_key(appellant, appellant_email)
                if key is None:
                    raise InvalidInput("a complaint from a notifier needs their name or e-mail")
            until = notice_repo.suspended_until(s, SubjectKind.COMPLAINANT, key, received)
            if until is not None:
                raise InvalidInput(
                    f"complaints from {appellant or key} are suspended until {until:%Y-%m-%d} "
                    "(manifestly unfounded complaints, Art 23(2))"
                )
            a = appeal_repo.add(
                s,
                d,
                kind=kind,
                appellant=appellant,
                email=appellant_email,
                key=key,
                reason=reason,
                received_at=received,
                actor=actor,
                now=now,
            )
            if appellant_email:
                subject, body = messages.appeal_receipt(a.id, d.puid, received)
                _mail(s, f"appeal_receipt:{a.id}", OutboxKind.APPEAL_RECEIPT, a, subject, body, now)
            _event(
                s,
                actor,
                AuditAction.APPEAL_FILE,
                a,
                d,
                None,
                {
                    "status": a.status,
                    "appellant_kind": kind.value,
                    "decision_id": d.id,
                    "item_id": a.item_id,
                    "received_at": received.isoformat(),
                },
                now,
            )
            return appeal_repo.info(s, a)

    def claim_next(self, reviewer: str, exclude: Collection[int] = ()) -> AppealCase | None:
        """Claim the next complaint this reviewer may decide (never one against their own decision)."""
        reviewer = actor_name(reviewer)
        # Issue 10: a complaint's lease goes only to someone who may decide it.
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, reviewer, Permission.DECIDE_APPEAL)
            skip = set(exclude) | set(appeal_repo.open_items_against(s, reviewer))
            item_id = review_repo.own_live_claim(s, APPEALS_QUEUE, reviewer, now, skip)
            new_claim = item_id is None
            if item_id is None:
                item_id = review_repo.claim_next(s, APPEALS_QUEUE, reviewer, now, CLAIM_LEASE, skip)
            if item_id is None:
                return None
            a = appeal_repo.by_item(s, item_id)
            assert a is not None, "every item of the appeals queue belongs to a complaint"
            if new_claim:  # as ReviewService.claim_next: a claim resumed is no new event
                audit_repo.append(
                    s,
                    EventDraft(
                        actor=reviewer,
                        action=AuditAction.CLAIM,
                        subject=f"item:{item_id}",
                        after={"claimed_by": reviewer, "appeal": a.id},
                        queue=APPEALS_QUEUE,
                        listing_id=s.get_one(Decision, a.decision_id).listing_id,
                    ),
                    now,
                )
            found = _case(s, a)
        return self._shown_case(found, reviewer)

    def case(self, appeal_id: int, viewer: str | None = None) -> AppealCase:
        """A complaint; the appellant's name is withheld unless ``viewer`` may see it (then audited)."""
        with self._db.read() as s:
            found = _case(s, _appeal(s, appeal_id))
        return self._shown_case(found, viewer)

    def appeals(
        self, status: AppealStatus | None = None, limit: int = 500, viewer: str | None = None
    ) -> list[AppealInfo]:
        """Complaints, newest first; appellants' names withheld unless ``viewer`` may see them."""
        show = self._gate.may_see(viewer)
        with self._db.read() as s:
            found = [appeal_repo.info(s, a) for a in appeal_repo.listed(s, status, limit)]
        if not show:
            return [personal_data.appeal(x) for x in found]
        if viewer is not None:
            self._gate.shown(viewer, "appeals", sum(1 for x in found if personal_data.has_personal(x)))
        return found

    def _shown_case(self, c: AppealCase, viewer: str | None) -> AppealCase:
        if not self._gate.may_see(viewer):
            return replace(c, appeal=personal_data.appeal(c.appeal))
        if viewer is not None and personal_data.has_personal(c.appeal):
            self._gate.shown(viewer, f"appeal:{c.appeal.id}", 1)
        return c

    def decide(
        self,
        appeal_id: int,
        reviewer: str,
        outcome: AppealOutcome,
        reason: str,
        *,
        manifestly_unfounded: bool = False,
    ) -> AppealInfo:
        """Uphold or reverse. The reviewer must hold the complaint's item (claim it first)."""
        reviewer = actor_name(reviewer)
        if manifestly_unfounded and outcome is not AppealOutcome.UPHOLD:
            raise InvalidInput("only an upheld decision can make a complaint manifestly unfounded")
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, reviewer, Permission.DECIDE_APPEAL)
            a = _appeal(s, appeal_id)
            if a.status != AppealStatus.OPEN.value:
                raise InvalidInput(f"complaint {a.id} was already decided ({a.status})")
            d = s.get_one(Decision, a.decision_id)
            check_may_decide(actor=reviewer, original_reviewer=d.reviewer, outcome_reason=reason)
            item = review_repo.lock_item(s, a.item_id)
            assert item is not None
            if item.claimed_by != reviewer or item.lease_expires_at is None or item.lease_expires_at < now:
                raise ClaimLost(f"claim complaint {a.id} first (it is held by {item.claimed_by or 'nobody'})")
            listing = s.get_one(Listing, d.listing_id)
            before = {"status": a.status, "listing_status": listing.status}
            item.state, item.closed_at, item.lease_expires_at = ItemState.DECIDED.value, now, None
            s.flush()
            lifted: list[int] = []
            if outcome is AppealOutcome.REVERSE:
                why = f"reversed on complaint C-{a.id}: {reason.strip()}"
                lifted = reverse_decision(s, d, why, now, reviewer)
            a.status = (
                AppealStatus.REVERSED if outcome is AppealOutcome.REVERSE else AppealStatus.UPHELD
            ).value
            a.decided_by, a.decided_at, a.outcome_reason = reviewer, now, reason.strip()
            a.unfounded = manifestly_unfounded
            if a.appellant_email:
                subject, body = messages.appeal_outcome(a.id, outcome, reason)
                _mail(s, f"appeal_outcome:{a.id}", OutboxKind.APPEAL_OUTCOME, a, subject, body, now)
            after = {
                "status": a.status,
                "listing_status": listing.status,
                "manifestly_unfounded": manifestly_unfounded,
                "measures_lifted": lifted,
            }
            _event(s, reviewer, AuditAction.APPEAL_DECIDE, a, d, before, after, now, reason.strip())
            return appeal_repo.info(s, a)


def reverse_decision(s: UnitOfWork, d: Decision, why: str, now: datetime, actor: str) -> list[int]:
    """Undo the effects of a decision found wrong (on complaint, or on second review): the listing comes
    back, the strike is revoked and the trader's record recounted (lifting a suspension it caused, with
    an audit event by ``actor`` for each measure lifted); a "no violation" found wrong sends the listing
    back for a fresh decision, ahead of its queue. Returns the ids of the measures lifted."""
    lifted = _reverse_effects(s, d, why, now)
    for measure_id in lifted:
        m = measure_repo.info(s, s.get_one(AccountMeasure, measure_id))
        gone = {"in_force": False, "revoked": True, "decision_id": d.id}
        measure_event(s, actor, AuditAction.MEASURE_LIFT, m, {"in_force": True}, gone, now, why)
    return lifted


def _reverse_effects(s: UnitOfWork, d: Decision, why: str, now: datetime) -> list[int]:
    listing = s.get_one(Listing, d.listing_id)
    action = Action(d.action)
    if action in (Action.REMOVE, Action.RESTRICT, Action.WARN):
        made = listing_status_after(action, ListingStatus(d.listing_status_before))
        if listing.status == made.value:
            listing.status = d.listing_status_before
        strike = decision_repo.strike_of_decision(s, d.id)
        trader = s.get_one(Trader, d.trader_id)
        if strike is not None and strike.revoked_at is None:
            strike.revoked_at, strike.revoked_reason = now, why
            decision_repo.refresh_trader_counters(s, trader)
        return reconsider(s, trader, now, why)
    flags = listing_repo.flags_of(s, listing.id)
    signals = [FlagSignal(FlagSource(f.source), PolicyCategory(f.category)) for f in flags]
    if review_repo.open_listing_item(s, listing.id) is None:
        s.add(
            ReviewItem(
                listing_id=listing.id,
                queue=queue_for(signals),
                priority=priority_for(signals) + REVIEW_AGAIN_PRIORITY_BONUS,
                state=ItemState.OPEN.value,
                created_at=now,
            )
        )
    return []


def _event(
    s: UnitOfWork,
    actor: str,
    action: AuditAction,
    a: Appeal,
    d: Decision,
    before: Mapping[str, object] | None,
    after: Mapping[str, object],
    now: datetime,
    detail: str = "",
) -> None:
    """A complaint's event: its id and statuses, never the appellant's name or e-mail."""
    audit_repo.append(
        s,
        EventDraft(
            actor=actor,
            action=action,
            subject=f"appeal:{a.id}",
            before=before,
            after=after,
            queue=APPEALS_QUEUE,
            category=d.category,
            listing_id=d.listing_id,
            detail=detail,
        ),
        now,
    )


def _mail(
    s: UnitOfWork, key: str, kind: OutboxKind, a: Appeal, subject: str, body: str, now: datetime
) -> None:
    outbox_repo.add(
        s,
        dedup_key=key,
        kind=kind,
        recipient_kind=a.appellant_kind,
        recipient_name=a.appellant,
        recipient_email=a.appellant_email,
        subject=subject,
        body=body,
        now=now,
        decision_id=a.decision_id,
        appeal_id=a.id,
    )


def _decision(s: UnitOfWork, ref: int | str) -> Decision:
    d = appeal_repo.decision_by_ref(s, ref)
    if d is None:
        raise NotFound(f"no decision {ref}")
    return d


def _appeal(s: UnitOfWork, appeal_id: int) -> Appeal:
    a = s.get(Appeal, appeal_id)
    if a is None:
        raise NotFound(f"no complaint {appeal_id}")
    return a


def _case(s: UnitOfWork, a: Appeal) -> AppealCase:
    d = s.get_one(Decision, a.decision_id)
    ext = s.get_one(Listing, d.listing_id).external_id
    return AppealCase(appeal_repo.info(s, a), convert.decision_info(d, ext), sor_repo.of_decision(s, d.id))
