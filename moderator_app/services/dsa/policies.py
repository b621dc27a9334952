"""Supervisors edit the policy files: the repeat-offender policy and the statement templates.

An edited version is checked completely before it is stored (a template with a key the Transparency
Database does not know, or a policy with a suspension of no stated length, is refused with the place of
the mistake); the newest stored version is in force on every workstation of the database.

Each stored version is an audit event (``policy_edit``) in the same transaction: the version before and
after, and the SHA-256 of both texts (the texts themselves stay in the policy table).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from moderator_app.domain.accounts.rights import Right
from moderator_app.domain.dsa.repeat_offender import parse_policy
from moderator_app.domain.dsa.templates import parse_templates
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.permissions import actor_name
from moderator_app.storage.dsa.policy_repo import PolicyName

MAX_POLICY_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class PolicyText:
    name: str
    text: str
    source: str  # "resources/... (shipped)" or "version N stored by X on ..."


class PolicyService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._clock = clock
        self._access = access or Access(tx.db, clock)

    def show(self, name: str) -> PolicyText:
        policy = _name(name)
        with self._tx.read() as tx:
            text, source = tx.policies.current_text(policy)
        return PolicyText(policy.value, text, source)

    def set(self, name: str, text: str, actor: str) -> PolicyText:
        actor = actor_name(actor)
        with self._access.guard(), self._tx.write() as tx:
            self._access.require(tx, actor, Right.EDIT_POLICY)
            policy = _name(name)
            if len(text.encode("utf-8")) > MAX_POLICY_BYTES:
                raise InvalidInput(f"{policy.value}: larger than {MAX_POLICY_BYTES // 1000} kB")
            if policy is PolicyName.SOR_TEMPLATES:
                parse_templates(text)
            else:
                parse_policy(text)
            now = self._clock()
            old_text, old_source = tx.policies.current_text(policy)
            version = tx.policies.store(policy, text, actor, now)
            text, source = tx.policies.current_text(policy)
            tx.audit.append(
                EventDraft(
                    actor=actor,
                    action=AuditAction.POLICY_EDIT,
                    subject=f"policy:{policy.value}",
                    before={"source": old_source, "sha256": _sha256(old_text)},
                    after={"version": version, "sha256": _sha256(text)},
                ),
                now,
            )
        return PolicyText(policy.value, text, source)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _name(name: str) -> PolicyName:
    try:
        return PolicyName(name.strip().lower().replace("-", "_"))
    except ValueError:
        raise InvalidInput(
            f"unknown policy {name!r}; choose from: {', '.join(p.value for p in PolicyName)}"
        ) from None
