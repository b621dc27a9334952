"""The repeat-offender policy at work (Art 23(1)): proposals, a supervisor's confirmation, lifting.

A proposal is computed from the record whenever it is asked for (so strikes expire with the window on
their own); confirming re-computes it and refuses any step other than the one the record calls for, so
no suspension ever comes without a prior warning.

Confirming and lifting a measure append an audit event in the same transaction (issue 6): the measure's
id, step, end and the trader's status, never the trader's name or contact data.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta

from moderator_app.domain.dsa import messages
from moderator_app.domain.dsa.account_sor import build_account_statement, gravest_category
from moderator_app.domain.dsa.measure_audit import measure_draft
from moderator_app.domain.dsa.model import MeasureInfo, MeasureStep, OutboxKind, SubjectKind
from moderator_app.domain.dsa.permissions import Permission
from moderator_app.domain.dsa.repeat_offender import (
    OffenderPolicy,
    Proposal,
    factors_of,
    propose,
    still_justified,
)
from moderator_app.domain.enums import ListingStatus, TraderKind, TraderStatus
from moderator_app.domain.errors import IncompleteDecision, InvalidInput, NotFound
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.permissions import actor_name
from moderator_app.storage.dsa import measure_repo, outbox_repo, policy_repo, sor_repo
from moderator_app.storage.dsa.orm_dsa import AccountMeasure
from moderator_app.storage.orm import Listing, Trader
from moderator_app.storage.review import listing_repo
from moderator_app.storage.supervision import audit_repo
from moderator_app.storage.unit import UnitOfWork


def proposal_for(
    session: UnitOfWork, trader: Trader, now: datetime, policy: OffenderPolicy
) -> Proposal | None:
    measures = measure_repo.measures_of_trader(session, trader.id)
    f = factors_of(
        measure_repo.strike_facts(session, trader.id),
        measure_repo.facts(measures),
        measure_repo.warning_times(session, trader.id),
        measure_repo.listings_total(session, trader.id),
        policy,
        now,
    )
    return propose(
        trader.id,
        trader.external_id,
        f,
        policy,
        suspended_now=any(
            m.step == MeasureStep.SUSPENSION.value and measure_repo.in_force(m, now) for m in measures
        ),
        terminated=trader.status == TraderStatus.TERMINATED.value,
    )


def reconsider(session: UnitOfWork, trader: Trader, now: datetime, reason: str) -> list[int]:
    """After a strike was revoked: lift every suspension or termination in force that the record no
    longer reaches (its listings come back). Returns the ids of the measures revoked."""
    policy = policy_repo.offender_policy(session)
    measures = measure_repo.measures_of_trader(session, trader.id)
    f = factors_of(
        measure_repo.strike_facts(session, trader.id),
        measure_repo.facts(measures),
        measure_repo.warning_times(session, trader.id),
        measure_repo.listings_total(session, trader.id),
        policy,
        now,
    )
    revoked = []
    for m in measures:
        step = MeasureStep(m.step)
        if step is MeasureStep.WARNING or not measure_repo.in_force(m, now):
            continue
        if not still_justified(f, step, policy):
            m.revoked_at, m.revoked_reason = now, reason
            measure_repo.restore_listings(session, m)
            revoked.append(m.id)
    measure_repo.apply_status(session, trader, now)
    return revoked


class RepeatOffenderService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._db = tx.db
        self._clock = clock
        self._access = access or Access(tx.db, clock)

    def policy(self) -> OffenderPolicy:
        with self._db.read() as s:
            return policy_repo.offender_policy(s)

    def proposal(self, trader_ref: str | int) -> Proposal | None:
        """The next step for one trader (the window shows it beside the trader), or None."""
        with self._db.read() as s:
            trader = _trader(s, trader_ref)
            return proposal_for(s, trader, self._clock(), policy_repo.offender_policy(s))

    def proposals(self) -> list[Proposal]:
        """Every trader whose record calls for a step now, gravest first."""
        now = self._clock()
        with self._db.read() as s:
            policy = policy_repo.offender_policy(s)
            out = []
            for trader_id in measure_repo.traders_with_strikes_since(s, now - policy.window):
                p = proposal_for(s, s.get_one(Trader, trader_id), now, policy)
                if p is not None:
                    out.append(p)
        order = {MeasureStep.TERMINATION: 0, MeasureStep.SUSPENSION: 1, MeasureStep.WARNING: 2}
        return sorted(out, key=lambda p: (order[p.step], -p.factors.gravity_score, p.trader_id))

    def confirm(
        self, trader_ref: str | int, step: MeasureStep, actor: str, intent_note: str = ""
    ) -> MeasureInfo:
        """A supervisor confirms the proposed step: the measure, its statement of reasons, the trader's
        status and listings, and the message to the trader, in one transaction."""
        actor = actor_name(actor)
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, actor, Permission.CONFIRM_MEASURE)
            trader = _trader(s, trader_ref)
            policy = policy_repo.offender_policy(s)
            prop = proposal_for(s, trader, now, policy)
            if prop is None or prop.step is not step:
                hint = f"; the policy proposes a {prop.step.value}" if prop else "; it proposes nothing now"
                raise InvalidInput(
                    f"the record of trader {trader.external_id} does not call for a {step.value}{hint}"
                )
            ends = now + timedelta(days=prop.suspension_days) if prop.suspension_days else None
            status_before = trader.status
            m = measure_repo.add(
                s,
                kind=SubjectKind.TRADER,
                step=step,
                trader_id=trader.id,
                subject_key=None,
                ends_at=ends,
                reason="; ".join(prop.reasons),
                factors={**prop.factors.as_dict(), "intent_note": intent_note.strip()},
                actor=actor,
                now=now,
            )
            if step is MeasureStep.SUSPENSION:
                measure_repo.restrict_live_listings(s, m, trader.id, ListingStatus.RESTRICTED)
            elif step is MeasureStep.TERMINATION:
                measure_repo.restrict_live_listings(s, m, trader.id, ListingStatus.REMOVED)
            measure_repo.apply_status(s, trader, now)
            self._statement(s, m, trader, prop, ends, intent_note, now)
            info = measure_repo.info(s, m)
            measure_event(
                s,
                actor,
                AuditAction.MEASURE_CONFIRM,
                info,
                {"trader_status": status_before},
                {
                    "trader_status": trader.status,
                    "listings_affected": info.listings_affected,
                    "statement_puid": info.statement_puid,
                },
                now,
                intent_note.strip(),
            )
            return info

    def _statement(
        self,
        session: UnitOfWork,
        m: AccountMeasure,
        trader: Trader,
        prop: Proposal,
        ends: datetime | None,
        note: str,
        now: datetime,
    ) -> None:
        templates = policy_repo.templates(session)
        strikes = measure_repo.strike_facts(
            session, trader.id, now - timedelta(days=prop.factors.window_days)
        )
        dates = [session.get_one(Listing, st.listing_id).created_at for st in strikes]
        preview = build_account_statement(
            puid="mw-acct-" + uuid.uuid4().hex,
            step=prop.step,
            ends_at=ends,
            days=prop.suspension_days,
            factors=prop.factors,
            category=gravest_category(prop.factors, policy_repo.offender_policy(session).weights),
            trader_kind=TraderKind(trader.kind),
            content_date=max(dates, default=now).date(),
            now=now,
            note=note,
            templates=templates,
            personal=[v for v in (trader.display_name, trader.legal_name, trader.email, trader.phone) if v],
        )
        if preview.missing:
            raise IncompleteDecision(preview.missing)
        measure = templates.account_measures[prop.step]
        sor_repo.add(
            session,
            payload=preview.payload,
            redress=preview.redress,
            exportable=measure.export,
            now=now,
            measure_id=m.id,
        )
        subject, body = messages.measure_notice(prop.step, ends, list(prop.reasons), "trader")
        outbox_repo.add(
            session,
            dedup_key=f"measure:{m.id}",
            kind=OutboxKind.MEASURE,
            recipient_kind="trader",
            recipient_name=trader.display_name,
            recipient_email=trader.email,
            subject=subject,
            body=body + "\n\n" + preview.payload["decision_facts"] + "\nRedress: " + preview.redress,
            now=now,
            measure_id=m.id,
        )

    def lift_expired(self, actor: str = "system") -> list[MeasureInfo]:
        """End suspensions whose time is up: listings come back, the status follows the record.

        ``actor``: who ran it, for the audit log (the time being up lifts them, so no right is needed)."""
        actor = actor_name(actor)
        now = self._clock()
        with self._db.write() as s:
            lifted = []
            for m in measure_repo.expired_suspensions(s, now):
                m.lifted_at = now
                before: dict[str, object] = {"in_force": True}
                after: dict[str, object] = {"in_force": False, "lifted": True}
                if m.trader_id is not None:
                    trader = s.get_one(Trader, m.trader_id)
                    before["trader_status"] = trader.status
                    after["listings_restored"] = measure_repo.restore_listings(s, m)
                    measure_repo.apply_status(s, trader, now)
                    after["trader_status"] = trader.status
                info = measure_repo.info(s, m)
                measure_event(s, actor, AuditAction.MEASURE_LIFT, info, before, after, now, "its time is up")
                lifted.append(info)
            return lifted

    def measures(self, trader_ref: str | int) -> list[MeasureInfo]:
        with self._db.read() as s:
            trader = _trader(s, trader_ref)
            return [measure_repo.info(s, m) for m in measure_repo.measures_of_trader(s, trader.id)]


def measure_event(
    s: UnitOfWork,
    actor: str,
    action: AuditAction,
    m: MeasureInfo,
    before: Mapping[str, object] | None,
    after: Mapping[str, object],
    now: datetime,
    detail: str = "",
) -> None:
    """A measure's audit event (traders, notifiers and complainants alike), in ``s``'s transaction."""
    audit_repo.append(s, measure_draft(actor, action, m, before, after, detail), now)


def _trader(s: UnitOfWork, ref: str | int) -> Trader:
    trader = listing_repo.find_trader(s, ref)
    if trader is None:
        raise NotFound(f"no trader {ref}")
    return trader
