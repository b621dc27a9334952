"""Notices (Art 16) over the flags table, and the trusted-flagger registry (Art 22).

Flags are written by the importer (and by hand-entered notices); :func:`sync` gives every flag that is a
notice its notice row exactly once: the trusted-flagger match, the priority of trusted flaggers in their
area, the suspended-notifier check (Art 23(2)) and the receipt in the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa import messages
from moderator_app.domain.dsa.model import (
    MeasureStep,
    NoticeInfo,
    OutboxKind,
    SubjectKind,
    TrustedFlaggerInfo,
)
from moderator_app.domain.dsa.notices import (
    NOTICE_SOURCES,
    TRUSTED_PRIORITY_BONUS,
    notice_missing,
    notifier_key,
    parse_areas,
)
from moderator_app.domain.enums import FlagSource, ItemState, PolicyCategory
from moderator_app.storage.dsa import outbox_repo
from moderator_app.storage.dsa.orm_dsa import AccountMeasure, Notice, TrustedFlagger
from moderator_app.storage.idempotent import insert_once
from moderator_app.storage.orm import Flag, Listing, ReviewItem

SYNC_BATCH = 1000
NOTICE_SOURCE_VALUES = [s.value for s in NOTICE_SOURCES]


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


# -- trusted flaggers -------------------------------------------------------------------------------


def flagger_info(f: TrustedFlagger) -> TrustedFlaggerInfo:
    return TrustedFlaggerInfo(
        id=f.id,
        name=f.name,
        email=f.email,
        areas=parse_areas(f.areas),
        active=f.active,
        added_by=f.added_by,
        added_at=f.added_at,
    )


def find_flagger(session: Session, name: str) -> TrustedFlagger | None:
    return session.scalar(select(TrustedFlagger).where(TrustedFlagger.name_key == name_key(name)))


def flagger_name(session: Session, flagger_id: int | None) -> str | None:
    if flagger_id is None:
        return None
    return session.scalar(select(TrustedFlagger.name).where(TrustedFlagger.id == flagger_id))


def flaggers(session: Session) -> list[TrustedFlagger]:
    return list(session.scalars(select(TrustedFlagger).order_by(TrustedFlagger.name_key)))


def matching_flagger(session: Session, notifier: str | None, email: str | None) -> TrustedFlagger | None:
    """The active registry entry a notice comes from: by name, else by e-mail."""
    if notifier and notifier.strip():
        f = find_flagger(session, notifier)
        if f is not None and f.active:
            return f
    if email and email.strip():
        f = session.scalar(
            select(TrustedFlagger).where(
                func.lower(TrustedFlagger.email) == email.strip().lower(), TrustedFlagger.active.is_(True)
            )
        )
        if f is not None:
            return f
    return None


# -- suspensions of notifiers -----------------------------------------------------------------------


def suspended_until(session: Session, kind: SubjectKind, key: str | None, when: datetime) -> datetime | None:
    if not key:
        return None
    return session.scalar(
        select(func.max(AccountMeasure.ends_at)).where(
            AccountMeasure.subject_kind == kind.value,
            AccountMeasure.subject_key == key,
            AccountMeasure.step == MeasureStep.SUSPENSION.value,
            AccountMeasure.revoked_at.is_(None),
            AccountMeasure.lifted_at.is_(None),
            AccountMeasure.starts_at <= when,
            AccountMeasure.ends_at > when,
        )
    )


# -- notices ----------------------------------------------------------------------------------------


def sync(session: Session, now: datetime, listing_id: int | None = None) -> int:
    """Give every notice flag without a notice row its row, receipt and priority. Returns how many."""
    done = 0
    while True:
        stmt = (
            select(Flag, Listing)
            .join(Listing, Listing.id == Flag.listing_id)
            .outerjoin(Notice, Notice.flag_id == Flag.id)
            .where(Notice.id.is_(None), Flag.source.in_(NOTICE_SOURCE_VALUES))
            .order_by(Flag.id)
            .limit(SYNC_BATCH)
        )
        if listing_id is not None:
            stmt = stmt.where(Flag.listing_id == listing_id)
        rows = session.execute(stmt).all()
        for flag, listing in rows:
            done += record_notice(session, flag, listing, now) is not None
        if len(rows) < SYNC_BATCH:
            return done


def record_imported_details(
    session: Session, details: dict[int, tuple[str | None, bool | None]], now: datetime
) -> None:
    """For the importer: the Art 16 elements an import line gives beside its flag, by flag id
    (location URL, good-faith statement). Call it in the batch's transaction after the flags are
    written; flags without a notice record get one here, with these details, instead of at sync."""
    for flag_id, (location_url, good_faith) in details.items():
        found = notice_of_flag(session, flag_id)
        if found is not None:
            notice = found[1]
            notice.location_url = location_url or notice.location_url
            notice.good_faith = good_faith if good_faith is not None else notice.good_faith
            continue
        flag = session.get(Flag, flag_id)
        if flag is None or flag.source not in NOTICE_SOURCE_VALUES:
            continue
        add_notice_row(
            session,
            flag,
            session.get_one(Listing, flag.listing_id),
            now,
            location_url=location_url,
            good_faith=good_faith,
        )


def add_notice_row(
    session: Session,
    flag: Flag,
    listing: Listing,
    now: datetime,
    *,
    location_url: str | None = None,
    good_faith: bool | None = None,
    csam: bool = False,
    entered_by: str | None = None,
) -> Notice:
    """The flag's notice record, written now unless it is there already."""
    notice = record_notice(
        session,
        flag,
        listing,
        now,
        location_url=location_url,
        good_faith=good_faith,
        csam=csam,
        entered_by=entered_by,
    )
    if notice is None:
        notice = session.scalars(select(Notice).where(Notice.flag_id == flag.id)).one()
    return notice


def record_notice(
    session: Session,
    flag: Flag,
    listing: Listing,
    now: datetime,
    *,
    location_url: str | None = None,
    good_faith: bool | None = None,
    csam: bool = False,
    entered_by: str | None = None,
) -> Notice | None:
    """Write the flag's notice record with its trusted-flagger priority and its receipt; None when
    another transaction has written it (it did the rest)."""
    key = notifier_key(flag.notifier, flag.notifier_email)
    category = PolicyCategory(flag.category)
    flagger = None
    if flag.source == FlagSource.TRUSTED_FLAGGER.value:
        flagger = matching_flagger(session, flag.notifier, flag.notifier_email)
    in_area = flagger is not None and category in parse_areas(flagger.areas)
    until = suspended_until(session, SubjectKind.NOTIFIER, key, flag.received_at)
    # Issue 10/11: the import's sync and a decision's sync may record the same flag at the same moment on
    # PostgreSQL; the notice is written once and only its writer adds the priority and the receipt.
    notice_id = insert_once(
        session,
        Notice,
        "flag_id",
        {
            "flag_id": flag.id,
            "listing_id": listing.id,
            # An imported notice came with its listing: its location is the listing's address. A notice
            # entered by hand has the location its notifier gave, or none.
            "location_url": location_url if entered_by else (location_url or listing.url),
            "good_faith": good_faith,
            "csam": csam,
            "entered_by": entered_by,
            "trusted_flagger_id": flagger.id if flagger else None,
            "trusted_in_area": in_area,
            "priority_bonus": 0,
            "notifier_key": key,
            "not_processed": (f"notifier suspended from notifying until {until:%Y-%m-%d}" if until else None),
            "created_at": now,
        },
    )
    if notice_id is None:
        return None
    notice = session.get_one(Notice, notice_id)
    if in_area and until is None:
        pick = (
            select(ReviewItem)
            .where(ReviewItem.listing_id == listing.id, ReviewItem.state == ItemState.OPEN.value)
            .order_by(ReviewItem.id)
            .limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            # An item another workstation is deciding right now is passed over rather than waited
            # for: that decision may itself be waiting for this notice (a deadlock otherwise).
            pick = pick.with_for_update(skip_locked=True)
        item = session.scalar(pick)
        if item is not None:
            item.priority += TRUSTED_PRIORITY_BONUS
            notice.priority_bonus = TRUSTED_PRIORITY_BONUS
    if flag.notifier_email:
        subject, body = messages.notice_receipt(listing.external_id, category, flag.received_at, flag.id)
        outbox_repo.add(
            session,
            dedup_key=f"receipt:flag:{flag.id}",
            kind=OutboxKind.NOTICE_RECEIPT,
            recipient_kind="notifier",
            recipient_name=flag.notifier,
            recipient_email=flag.notifier_email,
            subject=subject,
            body=body,
            now=now,
            flag_id=flag.id,
        )
    session.flush()
    return notice


def notice_info(flag: Flag, notice: Notice, listing_external_id: str, flagger_name: str | None) -> NoticeInfo:
    return NoticeInfo(
        flag_id=flag.id,
        listing_id=flag.listing_id,
        listing_external_id=listing_external_id,
        source=FlagSource(flag.source),
        category=PolicyCategory(flag.category),
        explanation=flag.explanation,
        notifier=flag.notifier,
        notifier_email=flag.notifier_email,
        location_url=notice.location_url,
        good_faith=notice.good_faith,
        csam=notice.csam,
        received_at=flag.received_at,
        trusted_flagger=flagger_name if notice.trusted_in_area else None,
        missing=notice_missing(
            explanation=flag.explanation,
            location_url=notice.location_url,
            notifier=flag.notifier,
            notifier_email=flag.notifier_email,
            good_faith=notice.good_faith,
            csam=notice.csam,
        ),
        not_processed=notice.not_processed,
        unfounded_at=notice.unfounded_at,
    )


def notices(
    session: Session, *, listing_id: int | None = None, notifier: str | None = None, limit: int = 500
) -> list[NoticeInfo]:
    stmt = (
        select(Flag, Notice, Listing.external_id, TrustedFlagger.name)
        .join(Notice, Notice.flag_id == Flag.id)
        .join(Listing, Listing.id == Flag.listing_id)
        .outerjoin(TrustedFlagger, TrustedFlagger.id == Notice.trusted_flagger_id)
        .order_by(Flag.received_at.desc(), Flag.id.desc())
        .limit(limit)
    )
    if listing_id is not None:
        stmt = stmt.where(Flag.listing_id == listing_id)
    if notifier is not None:
        stmt = stmt.where(
            Notice.notifier_key == notifier_key(notifier, None if "@" not in notifier else notifier)
        )
    return [notice_info(f, n, ext, name) for f, n, ext, name in session.execute(stmt)]


def notice_of_flag(session: Session, flag_id: int) -> tuple[Flag, Notice] | None:
    row = session.execute(
        select(Flag, Notice).join(Notice, Notice.flag_id == Flag.id).where(Flag.id == flag_id)
    ).first()
    return (row[0], row[1]) if row else None


def notifier_record(session: Session, key: str, since: datetime) -> tuple[int, list[datetime], str | None]:
    """(notices submitted, when each unfounded one was found so, a display name) since ``since``."""
    rows = session.execute(
        select(Flag.notifier, Notice.unfounded_at)
        .join(Notice, Notice.flag_id == Flag.id)
        .where(Notice.notifier_key == key, Flag.received_at >= since)
    ).all()
    name = next((n for n, _ in rows if n), None)
    return len(rows), [u for _, u in rows if u is not None], name
