"""Misuse of the notice and complaint systems (Art 23(2)): notifiers and complainants whose notices or
complaints are repeatedly found manifestly unfounded are warned, then suspended from being heard.

A confirmed warning or suspension is an audit event (``measure_confirm``) in the same transaction; the
event names the measure, not the person (their name or e-mail stays in the measure's own record)."""

from __future__ import annotations

from datetime import timedelta

from moderator_app.domain.accounts.rights import Right
from moderator_app.domain.dsa import messages
from moderator_app.domain.dsa.measure_audit import measure_draft
from moderator_app.domain.dsa.model import MeasureInfo, MeasureStep, OutboxKind, SubjectKind
from moderator_app.domain.dsa.notices import NotifierStanding, notifier_key, notifier_standing
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.permissions import actor_name
from moderator_app.storage.unit_of_work import UnitOfWork


def subject_key(kind: SubjectKind, who: str) -> str:
    text = (who or "").strip()
    if kind is SubjectKind.COMPLAINANT and text.startswith("trader:"):
        return text
    key = notifier_key(None if "@" in text else text, text if "@" in text else None)
    if key is None:
        raise InvalidInput("name the notifier or complainant (their e-mail or name)")
    return key


class MisuseService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._clock = clock
        self._access = access or Access(tx.db, clock)

    def standing(self, kind: SubjectKind, who: str) -> NotifierStanding:
        with self._tx.read() as tx:
            return self._standing(tx, kind, subject_key(kind, who))

    def _standing(self, tx: UnitOfWork, kind: SubjectKind, key: str) -> NotifierStanding:
        if kind is SubjectKind.TRADER:
            raise InvalidInput("traders are handled by the repeat-offender policy (policy propose)")
        now = self._clock()
        policy = tx.policies.offender_policy()
        rule = policy.notifiers if kind is SubjectKind.NOTIFIER else policy.complainants
        since = now - timedelta(days=rule.window_days)
        if kind is SubjectKind.NOTIFIER:
            submitted, unfounded, name = tx.misuse.notifier_record(key, since)
        else:
            submitted, unfounded, name = tx.misuse.complainant_record(key, since)
        memory = now - timedelta(days=policy.measure_memory_days)
        warnings = [
            m.created_at
            for m in tx.misuse.measures_of_subject(kind, key)
            if m.step is MeasureStep.WARNING and not m.revoked and m.created_at >= memory
        ]
        last_warning = max(warnings, default=None)
        return notifier_standing(
            key,
            name,
            submitted,
            len(unfounded),
            rule,
            warned=last_warning is not None,
            unfounded_since_warning=sum(1 for u in unfounded if last_warning is None or u > last_warning),
            suspended_until=tx.misuse.suspended_until(kind, key, now),
            now=now,
        )

    def confirm(
        self, kind: SubjectKind, who: str, step: MeasureStep, actor: str, note: str = ""
    ) -> MeasureInfo:
        """A supervisor confirms the proposed warning or suspension of a notifier or complainant."""
        actor = actor_name(actor)
        with self._access.guard(), self._tx.write() as tx:
            self._access.require(tx, actor, Right.CONFIRM_MEASURE)
            key = subject_key(kind, who)
            now = self._clock()
            st = self._standing(tx, kind, key)
            if st.proposal is not step:
                hint = (
                    f"; the policy proposes a {st.proposal.value}"
                    if st.proposal
                    else "; it proposes nothing now"
                )
                raise InvalidInput(f"the record of {st.name or key} does not call for a {step.value}{hint}")
            ends = now + timedelta(days=st.suspension_days) if st.suspension_days else None
            what = "notices" if kind is SubjectKind.NOTIFIER else "complaints"
            reason = (
                f"{st.unfounded_in_window} of {st.submitted_in_window} {what} in {st.window_days} days "
                f"were manifestly unfounded ({st.share_percent:g}%)"
            )
            info = tx.misuse.add_measure(
                kind=kind,
                step=step,
                subject_key=key,
                ends_at=ends,
                reason=reason,
                factors={**st.as_dict(), "note": note.strip()},
                actor=actor,
                now=now,
            )
            subject, body = messages.measure_notice(step, ends, [reason], kind.value)
            tx.outbox.add(
                dedup_key=f"measure:{info.id}",
                kind=OutboxKind.MEASURE,
                recipient_kind=kind.value,
                recipient_name=st.name,
                recipient_email=key if "@" in key else None,
                subject=subject,
                body=body,
                now=now,
                measure_id=info.id,
            )
            after = {
                "unfounded_in_window": st.unfounded_in_window,
                "submitted_in_window": st.submitted_in_window,
            }
            tx.audit.append(
                measure_draft(actor, AuditAction.MEASURE_CONFIRM, info, None, after, note.strip()), now
            )
            return info
