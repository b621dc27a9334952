"""The tamper-evident audit log: events, their canonical form and hash chains, and their verification.

Every change of state appends one event: who, when, what, and the state before and after. Events are
kept in chains, one per *origin* (a workstation writing to this database, or a foreign chain merged
from an offline copy), so concurrent workstations never wait for one another's chain head. In its
chain each event has a position ``seq`` (1, 2, 3 ...), the SHA-256 of the previous event
(``prev_hash``) and its own ``hash`` over its canonical JSON (sorted keys, no spaces, UTF-8) with its
global id, its origin and the previous hash included. Editing an event changes its hash; deleting or
reordering events breaks a link; deleting the newest events leaves the chain shorter than its head row.

Someone with write access to the database can rebuild a whole chain and its head: that is what the
signed checkpoints of :mod:`moderator_app.domain.supervision.anchor` catch.

The chain of a database upgraded from the single-chain log (schema 0006) is kept as the origin
``legacy``, hashed the way it was written (without global id or origin), and appended to no more.
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
LEGACY_ORIGIN = "legacy"  # the one chain of a log written before per-origin chains (schema 0006)


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
    AUDIT_MERGE = "audit_merge"


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
    seq: int  # position in its origin's chain
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
    id: str = ""  # global id (UUIDv7): the same in every database the event travels to
    origin: str = ""  # the chain it belongs to

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
    origin: str | None = None,
    gid: str | None = None,
) -> str:
    """SHA-256 of the canonical event. Events of a per-origin chain cover their origin and global id;
    ``origin=None`` (or the legacy origin) is the form of schema 0006, without them."""
    fields: dict[str, Any] = {
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
    if origin is not None and origin != LEGACY_ORIGIN:
        fields["origin"] = origin
        fields["id"] = gid or ""
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def chain(
    draft: EventDraft, *, seq: int, at: datetime, prev_hash: str, origin: str = LEGACY_ORIGIN, gid: str = ""
) -> AuditEvent:
    """The event that follows ``prev_hash`` at position ``seq`` of ``origin``'s chain."""
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
    digest = event_hash(**fields, origin=origin, gid=gid)
    return AuditEvent(**fields, hash=digest, id=gid, origin=origin)


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
        origin=e.origin or LEGACY_ORIGIN,
        gid=e.id,
    )


@dataclass(frozen=True, slots=True)
class ChainHead:
    seq: int  # 0: no event yet
    hash: str
    origin: str = ""

    def text(self) -> str:
        """``ORIGIN:SEQ:HASH``, what ``audit verify --expect`` takes back."""
        return f"{self.origin}:{self.seq}:{self.hash}"


@dataclass(frozen=True, slots=True)
class ChainBreak:
    origin: str
    seq: int  # the first event that does not hold (or the head's)
    problem: str


def verify_chain(origin: str, events: Iterable[AuditEvent], head: ChainHead) -> tuple[int, ChainBreak | None]:
    """Walk one origin's events in stored order (by seq) and name the first link that does not hold.
    Returns (events checked, the break or None)."""
    prev_hash, expected, checked = GENESIS, 1, 0
    for e in events:
        if e.seq != expected:
            if e.seq > expected:
                problem = f"event #{expected} is missing (deleted): the chain goes on with #{e.seq}"
            else:
                problem = f"event #{e.seq} appears again or out of order after #{expected - 1}"
            return checked, ChainBreak(origin, expected, problem)
        if e.prev_hash != prev_hash:
            problem = (
                f"it does not follow event #{e.seq - 1} (an event before it was changed, deleted or moved)"
            )
            return checked, ChainBreak(origin, e.seq, problem)
        if recomputed(e) != e.hash:
            return checked, ChainBreak(
                origin, e.seq, f"its content does not match its hash (edited: {e.action} by {e.actor})"
            )
        prev_hash, expected, checked = e.hash, expected + 1, checked + 1
    last = expected - 1
    if head.seq != last or head.hash != prev_hash:
        if head.seq > last:
            problem = f"the chain ends at #{last} but {head.seq - last} later events were recorded (deleted)"
            return checked, ChainBreak(origin, last + 1, problem)
        return checked, ChainBreak(origin, head.seq, "the chain head does not match the last event (changed)")
    return checked, None


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    head: ChainHead  # the broken chain's head, else this workstation's (or the only) chain's
    broken_at: int | None = None  # seq of the first event that does not hold, in ``origin``'s chain
    problem: str = ""
    origin: str = ""
    heads: tuple[ChainHead, ...] = ()
    checkpoints: int = 0  # trusted signed checkpoints the chains were checked against
    notes: tuple[str, ...] = ()  # further problems after the first

    def text(self) -> str:
        if self.ok:
            anchored = f", {self.checkpoints} signed checkpoints match" if self.checkpoints else ""
            chains = f" in {len(self.heads)} chains" if len(self.heads) > 1 else ""
            return (
                f"audit log intact: {self.checked} events{chains}{anchored}, "
                f"chain head #{self.head.seq} {self.head.hash}"
            )
        where = f" of chain {self.origin}" if self.origin else ""
        more = "".join(f"\n  also: {n}" for n in self.notes)
        if self.broken_at is None:
            return f"audit log BROKEN: {self.problem} ({self.checked} events checked){more}"
        return (
            f"audit log BROKEN at event #{self.broken_at}{where}: {self.problem} "
            f"({self.checked} events checked){more}"
        )


def verify(events: Iterable[AuditEvent], head: ChainHead) -> VerifyResult:
    """One chain (the form of schema 0006): kept for callers that check a single chain."""
    checked, broken = verify_chain(head.origin, events, head)
    if broken is None:
        return VerifyResult(True, checked, head, heads=(head,))
    return VerifyResult(False, checked, head, broken.seq, broken.problem, broken.origin, (head,))
