"""The trusted-flagger registry (Art 22) and the outbox of messages owed to people.

Registry changes and outbox exports are audit events in the same transaction as the change (issue 6).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from moderator_app.domain.accounts import personal_data
from moderator_app.domain.accounts.rights import Right
from moderator_app.domain.dsa.model import OutboxMessage, TrustedFlaggerInfo
from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.errors import InvalidInput, NotFound
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.files import write_atomically
from moderator_app.services.dsa.permissions import (
    PersonalDataGate,
    actor_name,
)


class TrustedFlaggerService:
    """Notices of a registered trusted flagger in one of their areas jump the queue (from the next sync)."""

    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._clock = clock
        self._access = access or Access(tx.db, clock)

    def add(
        self, name: str, areas: Iterable[PolicyCategory], actor: str, email: str | None = None
    ) -> TrustedFlaggerInfo:
        """Register a trusted flagger (or update the areas and e-mail of one already registered)."""
        actor = actor_name(actor)
        with self._access.guard(), self._tx.write() as tx:
            self._access.require(tx, actor, Right.MANAGE_TRUSTED_FLAGGERS)
            name = " ".join((name or "").split())
            cats = tuple(dict.fromkeys(areas))
            if not name or len(name) > 300:
                raise InvalidInput("a trusted flagger needs a name of 1 to 300 characters")
            if not cats:
                raise InvalidInput("name at least one area of expertise (a policy category)")
            if email is not None and "@" not in email:
                raise InvalidInput(f"{email!r} is not an e-mail address")
            now = self._clock()
            old = tx.flaggers.find(name)
            entry = tx.flaggers.register(
                name, ",".join(c.value for c in cats), email.strip() if email else None, actor, now
            )
            before = None if old is None else old.state()
            changed = old is not None and entry.info.email != old.info.email
            after = {**entry.state(), "email_changed": changed}
            tx.audit.append(_event(actor, AuditAction.FLAGGER_ADD, entry.info.id, before, after), now)
            return entry.info

    def revoke(self, name: str, actor: str) -> TrustedFlaggerInfo:
        actor = actor_name(actor)
        with self._access.guard(), self._tx.write() as tx:
            self._access.require(tx, actor, Right.MANAGE_TRUSTED_FLAGGERS)
            now = self._clock()
            old = tx.flaggers.find(name)
            if old is None:
                raise NotFound(f"no trusted flagger {name!r}")
            entry = tx.flaggers.revoke(old.info.id, now)
            tx.audit.append(
                _event(actor, AuditAction.FLAGGER_REVOKE, entry.info.id, old.state(), entry.state()), now
            )
            return entry.info

    def list(self) -> list[TrustedFlaggerInfo]:
        with self._tx.read() as tx:
            return tx.flaggers.all()


class OutboxService:
    """Receipts, decisions for notifiers, statements for traders, complaint outcomes, measures.

    The workstation sends no mail itself: the outbox is exported (JSON Lines) for the mail system, and
    each message is marked exported the first time it goes out.
    """

    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._clock = clock
        self._access = access or Access(tx.db, clock)
        self._gate: PersonalDataGate = self._access

    def messages(
        self, *, only_new: bool = False, limit: int | None = 500, viewer: str | None = None
    ) -> list[OutboxMessage]:
        """The messages, newest first. Notifiers' and complainants' names and e-mail addresses are
        withheld unless ``viewer`` may see them (then the read is audited); traders' are always shown."""
        show = self._gate.may_see(viewer)
        with self._tx.read() as tx:
            found = tx.outbox.messages(only_new=only_new, limit=limit)
        if not show:
            return [personal_data.outbox_message(m) for m in found]
        if viewer is not None:
            self._gate.shown(viewer, "outbox", sum(1 for m in found if personal_data.has_personal(m)))
        return found

    def export(self, out: Path, actor: str, *, only_new: bool = True, since: datetime | None = None) -> int:
        """Write the messages as JSON Lines to ``out`` (whole file or nothing); returns how many."""
        actor = actor_name(actor)
        # Checked and read in one snapshot, the file written outside any write transaction (SQLite's
        # write lock is not held while it is written), then the messages marked and logged in one.
        with self._access.guard(), self._tx.read() as tx:
            self._access.require(tx, actor, Right.EXPORT)
            found = tx.outbox.messages(only_new=only_new, since=since)
            lines = [
                json.dumps(
                    {
                        "id": m.id,
                        "kind": m.kind.value,
                        "to": {
                            "kind": m.recipient_kind,
                            "name": m.recipient_name,
                            "email": m.recipient_email,
                        },
                        "subject": m.subject,
                        "body": m.body,
                        "created_at": m.created_at.isoformat(),
                    },
                    ensure_ascii=False,
                )
                for m in found
            ]
            text = "".join(line + "\n" for line in lines)
        write_atomically(out, text)
        with self._tx.write() as tx:
            now = self._clock()
            tx.outbox.mark_exported([m.id for m in found], now)
            tx.audit.append(
                EventDraft(
                    actor=actor,
                    action=AuditAction.EXPORT,
                    subject="outbox",
                    after={
                        "messages": len(found),
                        "only_new": only_new,
                        "since": since.isoformat() if since else None,
                        "file": str(out),
                        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    },
                ),
                now,
            )
        return len(found)


def _event(
    actor: str,
    action: AuditAction,
    flagger_id: int,
    before: Mapping[str, object] | None,
    after: Mapping[str, object],
) -> EventDraft:
    return EventDraft(
        actor=actor,
        action=action,
        subject=f"trusted_flagger:{flagger_id}",
        before=before,
        after=after,
    )
