"""The tamper-evident audit log: events, their canonical form and hash chain, and its verification.

Every change of state appends one event: who, when, what, and the state before and after. Each event
holds the SHA-256 of the previous one (``prev_hash``) and its own ``hash`` over its canonical JSON
(sorted keys, no spaces, UTF-8), the previous hash included. Editing an event changes its hash;
deleting or reordering events breaks a link; deleting the newest events leaves the chain shorter than
the chain head the database keeps (updated in the same transaction as every append).

This detects tampering by anyone who does not also recompute every later hash and the head. Someone
with write access to the database *can* rebuild the whole chain, so the head hash is printed by
``audit verify`` for a supervisor to note down elsewhere (a later verify proves nothing before it
changed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64


class AuditAction(StrEnum):
    CLAIM = "claim"
    RELEASE = "release"
    DECIDE = "decide"
    UNDO = "undo"
    IMPORT = "import"
    EXPORT = "export"
    LOGIN = "login"
    LOGIN_REFUSED = "login_refused"
    ACCESS_REFUSED = "access_refused"
    USER_ADD = "user_add"
    USER_DISABLE = "user_disable"
    USER_ENABLE = "user_enable"
    USER_PASSWORD = "user_password"
    USER_ROLES = "user_roles"
    USER_RECOVER = "user_recover"  # an administrator made again from outside the app (recover-admin)
    QUALITY_SAMPLE = "quality_sample"
    QUALITY_AGREE = "quality_agree"
    QUALITY_OVERTURN = "quality_overturn"
    APPEAL_FILE = "appeal_file"
    APPEAL_DECIDE = "appeal_decide"
    MEASURE_CONFIRM = "measure_confirm"
    MEASURE_LIFT = "measure_lift"
    NOTICE_ENTER = "notice_enter"
    NOTICE_UNFOUNDED = "notice_unfounded"
    FLAGGER_ADD = "flagger_add"
    FLAGGER_REVOKE = "flagger_revoke"
    POLICY_EDIT = "policy_edit"


def canonical(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, non-ASCII kept (hashed as UTF-8)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event before it is chained: what a service hands to the log."""

    actor: str
    action: str
    subject: str  # "decision:17", "item:4", "user:a.moreau", "import", ...
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    queue: str | None = None
    category: str | None = None
    listing_id: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    queue: str | None
    category: str | None
    listing_id: int | None
    before: str  # canonical JSON ("null" when nothing)
    after: str
    detail: str
    prev_hash: str
    hash: str

    def before_value(self) -> Any:
        return json.loads(self.before)

    def after_value(self) -> Any:
        return json.loads(self.after)


def timestamp(at: datetime) -> str:
    """Microseconds, UTC: what both databases keep of a datetime."""
    return at.isoformat(timespec="microseconds")


def event_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    queue: str | None,
    category: str | None,
    listing_id: int | None,
    before: str,
    after: str,
    detail: str,
    prev_hash: str,
) -> str:
    body = canonical(
        {
            "seq": seq,
            "at": timestamp(at),
            "actor": actor,
            "action": action,
            "subject": subject,
            "queue": queue,
            "category": category,
            "listing_id": listing_id,
            "before": before,
            "after": after,
            "detail": detail,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def chain(draft: EventDraft, *, seq: int, at: datetime, prev_hash: str) -> AuditEvent:
    """The event that follows ``prev_hash`` at position ``seq``."""
    before = canonical(draft.before) if draft.before is not None else "null"
    after = canonical(draft.after) if draft.after is not None else "null"
    fields: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor": draft.actor,
        "action": str(draft.action),
        "subject": draft.subject,
        "queue": draft.queue,
        "category": draft.category,
        "listing_id": draft.listing_id,
        "before": before,
        "after": after,
        "detail": draft.detail,
        "prev_hash": prev_hash,
    }
    return AuditEvent(**fields, hash=event_hash(**fields))


def recomputed(e: AuditEvent) -> str:
    return event_hash(
        seq=e.seq,
        at=e.at,
        actor=e.actor,
        action=e.action,
        subject=e.subject,
        queue=e.queue,
        category=e.category,
        listing_id=e.listing_id,
        before=e.before,
        after=e.after,
        detail=e.detail,
        prev_hash=e.prev_hash,
    )


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int  # 0: no event yet
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    head: ChainHead
    broken_at: int | None = None  # seq of the first event that does not hold (or the head's)
    problem: str = ""

    def text(self) -> str:
        if self.ok:
            return f"audit log intact: {self.checked} events, chain head #{self.head.seq} {self.head.hash}"
        return f"audit log BROKEN at event #{self.broken_at}: {self.problem} ({self.checked} events checked)"


def verify(events: Iterable[AuditEvent], head: ChainHead) -> VerifyResult:
    """Walk the events in stored order (by seq) and name the first link that does not hold."""
    prev_hash, expected, checked = GENESIS, 1, 0
    for e in events:
        if e.seq != expected:
            if e.seq > expected:
                problem = f"event #{expected} is missing (deleted): the chain goes on with #{e.seq}"
            else:
                problem = f"event #{e.seq} appears again or out of order after #{expected - 1}"
            return VerifyResult(False, checked, head, expected, problem)
        if e.prev_hash != prev_hash:
            return VerifyResult(
                False,
                checked,
                head,
                e.seq,
                f"it does not follow event #{e.seq - 1} (an event before it was changed, deleted or moved)",
            )
        if recomputed(e) != e.hash:
            return VerifyResult(
                False,
                checked,
                head,
                e.seq,
                f"its content does not match its hash (edited: {e.action} by {e.actor})",
            )
        prev_hash, expected, checked = e.hash, expected + 1, checked + 1
    last = expected - 1
    if head.seq != last or head.hash != prev_hash:
        if head.seq > last:
            problem = f"the chain ends at #{last} but {head.seq - last} later events were recorded (deleted)"
            return VerifyResult(False, checked, head, last + 1, problem)
        return VerifyResult(
            False, checked, head, head.seq, "the chain head does not match the last event (changed)"
        )
    return VerifyResult(True, checked, head)
