"""Notices (Art 16): the ones imported with the listings and the ones entered by hand.

Imported flags of source user_notice / trusted_flagger become notices through :meth:`NoticeService.sync`
(idempotent; the window should call it after an import and on start). Each notice gets its receipt in
the outbox, its trusted-flagger priority when a registered flagger acts in their area, and is marked
incomplete when it lacks an Art 16(2) element.

A notice entered by hand and a notice found manifestly unfounded are audit events in the same
transaction (issue 6), naming the notice (its flag id), never the notifier. ``sync`` writes none: the
import that brought the flags is the event.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from moderator_app.domain.accounts import personal_data
from moderator_app.domain.dsa.model import NoticeInfo, SubjectKind
from moderator_app.domain.dsa.notices import MAX_EXPLANATION, is_notice, notifier_key
from moderator_app.domain.dsa.permissions import Permission
from moderator_app.domain.enums import FlagSource, ItemState, PolicyCategory
from moderator_app.domain.errors import InvalidInput, NotFound
from moderator_app.domain.review.policy import COUNTER_WINDOW, FlagSignal, priority_for, queue_for
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.permissions import (
    PersonalDataGate,
    actor_name,
)
from moderator_app.storage.dsa import notice_repo
from moderator_app.storage.orm import Flag, Listing, ReviewItem, Trader
from moderator_app.storage.review import decision_repo, listing_repo, review_repo
from moderator_app.storage.supervision import audit_repo
from moderator_app.storage.unit import UnitOfWork

SYNC_STEP = 200
"""Flags per write transaction of a notice sync: a few tens of milliseconds of SQLite's write lock."""


@dataclass(frozen=True, slots=True)
class NewNotice:
    """A notice entered by hand (a web form, an e-mail, a letter)."""

    listing: str  # the marketplace's listing id or the internal number
    category: PolicyCategory
    explanation: str
    notifier: str | None = None
    notifier_email: str | None = None
    location_url: str | None = None
    good_faith: bool | None = None
    csam: bool = False  # alleges a child sexual abuse offence: name and e-mail are not required
    source: FlagSource = FlagSource.USER_NOTICE
    received_at: datetime | None = None  # default: now


class NoticeService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._db = tx.db
        self._clock = clock
        self._access = access or Access(tx.db, clock)
        self._gate: PersonalDataGate = self._access

    def sync(self) -> int:
        """Give every imported notice its notice record, receipt and priority; returns how many were new.

        In write transactions of SYNC_STEP flags each (issue 10): between two, the reviewers' decisions
        get the database; an interruption keeps the steps already committed and the next sync goes on."""
        done = 0
        while True:
            with self._db.write() as s:
                written, seen = notice_repo.sync_some(s, self._clock(), SYNC_STEP)
            done += written
            if seen < SYNC_STEP:
                return done

    def submit(self, notice: NewNotice, actor: str) -> NoticeInfo:
        """Record a notice entered by hand; it opens a review item when the listing has none open.

        A notice from a notifier suspended under Art 23(2) is recorded but not processed (no item, no
        priority): ``not_processed`` says so. An incomplete notice is recorded and marked (``missing``).
        """
        actor = actor_name(actor)
        _validate(notice)
        now = self._clock()
        received = notice.received_at or now
        if received > now:
            raise InvalidInput("a notice cannot be received in the future")
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, actor, Permission.ENTER_NOTICE)
            listing = listing_repo.find_listing(s, notice.listing)
            if listing is None:
                raise NotFound(f"no listing {notice.listing}")
            flag = Flag(
                listing_id=listing.id,
                dedup_key="manual:" + uuid.uuid4().hex[:24],
                source=notice.source.value,
                notifier=(notice.notifier or "").strip() or None,
                notifier_email=(notice.notifier_email or "").strip() or None,
                category=notice.category.value,
                explanation=notice.explanation.strip(),
                received_at=received,
            )
            s.add(flag)
            s.flush()
            key = notifier_key(flag.notifier, flag.notifier_email)
            suspended = notice_repo.suspended_until(s, SubjectKind.NOTIFIER, key, received)
            queue = None
            if suspended is None and review_repo.open_item_for_listing(s, listing.id) is None:
                flags = listing_repo.flags_of(s, listing.id)
                signals = [FlagSignal(FlagSource(f.source), PolicyCategory(f.category)) for f in flags]
                trader = s.get_one(Trader, listing.trader_id)
                counters = decision_repo.counters_of(s, trader, now, COUNTER_WINDOW)
                queue = queue_for(signals)
                s.add(
                    ReviewItem(
                        listing_id=listing.id,
                        queue=queue,
                        priority=priority_for(signals, counters.repeat_offender),
                        state=ItemState.OPEN.value,
                        created_at=now,
                    )
                )
                s.flush()
            row = notice_repo.add_notice_row(
                s,
                flag,
                listing,
                now,
                location_url=(notice.location_url or "").strip() or None,
                good_faith=notice.good_faith,
                csam=notice.csam,
                entered_by=actor,
            )
            name = notice_repo.flagger_name(s, row.trusted_flagger_id)
            info = notice_repo.notice_info(flag, row, listing.external_id, name)
            after = {
                "source": info.source.value,
                "received_at": info.received_at.isoformat(),
                "missing": list(info.missing),
                "not_processed": info.not_processed is not None,
                "item_opened": queue is not None,
                "trusted_flagger_id": row.trusted_flagger_id,
            }
            _event(s, actor, AuditAction.NOTICE_ENTER, info, None, after, now, queue)
            return info

    def notices(
        self,
        *,
        listing: str | None = None,
        notifier: str | None = None,
        incomplete_only: bool = False,
        limit: int = 500,
        viewer: str | None = None,
    ) -> list[NoticeInfo]:
        """Notices, newest first (after a sync, so imported ones are included). Notifiers' names and
        e-mail addresses are withheld unless ``viewer`` may see them (then the read is audited); only
        such a viewer may search by notifier."""
        if notifier is not None:
            self._gate.require_see(viewer, "search notices by notifier")
        show = self._gate.may_see(viewer)
        self.sync()
        with self._db.read() as s:
            listing_id = None
            if listing is not None:
                row = listing_repo.find_listing(s, listing)
                if row is None:
                    raise NotFound(f"no listing {listing}")
                listing_id = row.id
            found = notice_repo.notices(s, listing_id=listing_id, notifier=notifier, limit=limit)
        if incomplete_only:
            found = [n for n in found if n.missing]
        if not show:
            return [personal_data.notice(n) for n in found]
        if viewer is not None:
            self._gate.shown(viewer, "notices", sum(1 for n in found if personal_data.has_personal(n)))
        return found

    def mark_unfounded(self, flag_id: int, actor: str, reason: str) -> NoticeInfo:
        """Find a notice manifestly unfounded (it counts towards its notifier's Art 23(2) record)."""
        actor = actor_name(actor)
        if not reason.strip():
            raise InvalidInput("say why the notice is manifestly unfounded")
        self.sync()
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, actor, Permission.MARK_UNFOUNDED)
            found = notice_repo.notice_of_flag(s, flag_id)
            if found is None:
                raise NotFound(
                    f"no notice {flag_id} (only flags from users and trusted flaggers are notices)"
                )
            flag, notice = found
            listing = s.get_one(Listing, flag.listing_id)
            name = notice_repo.flagger_name(s, notice.trusted_flagger_id)
            if notice.unfounded_at is not None:  # already marked: nothing changes, nothing to log
                return notice_repo.notice_info(flag, notice, listing.external_id, name)
            now = self._clock()
            notice.unfounded_at = now
            notice.unfounded_by = actor
            notice.unfounded_reason = reason.strip()
            info = notice_repo.notice_info(flag, notice, listing.external_id, name)
            before = {"unfounded": False}
            _event(
                s, actor, AuditAction.NOTICE_UNFOUNDED, info, before, {"unfounded": True}, now, None, reason
            )
            return info


def _event(
    s: UnitOfWork,
    actor: str,
    action: AuditAction,
    n: NoticeInfo,
    before: Mapping[str, object] | None,
    after: Mapping[str, object],
    now: datetime,
    queue: str | None,
    detail: str = "",
) -> None:
    audit_repo.append(
        s,
        EventDraft(
            actor=actor,
            action=action,
            subject=f"notice:{n.flag_id}",
            before=before,
            after=after,
            queue=queue,
            category=n.category.value,
            listing_id=n.listing_id,
            detail=detail.strip(),
        ),
        now,
    )


def _validate(n: NewNotice) -> None:
    if not is_notice(n.source):
        raise InvalidInput("a notice comes from a user (user_notice) or a trusted flagger (trusted_flagger)")
    if len(n.explanation) > MAX_EXPLANATION:
        raise InvalidInput(f"the explanation is at most {MAX_EXPLANATION} characters")
    for label, value, limit in (
        ("notifier name", n.notifier, 300),
        ("notifier e-mail", n.notifier_email, 300),
        ("location URL", n.location_url, 2000),
    ):
        if value is not None and len(value.strip()) > limit:
            raise InvalidInput(f"the {label} is at most {limit} characters")
    if n.notifier_email and "@" not in n.notifier_email:
        raise InvalidInput(f"{n.notifier_email!r} is not an e-mail address")
