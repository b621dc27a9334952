"""The raw records of the transparency report, read straight from decisions, flags, complaints and
measures (not from the statements), so the report can be checked against a recount."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import AppealStatus, MeasureStep, SubjectKind
from moderator_app.domain.dsa.notices import NOTICE_SOURCES
from moderator_app.domain.dsa.sor import NoticeSignal, automated_detection, is_automated_actor, source_type
from moderator_app.domain.dsa.transparency import AppealRecord, DecisionRecord, MeasureRecord, NoticeRecord
from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory
from moderator_app.storage.dsa.orm_dsa import AccountMeasure, Appeal, Notice
from moderator_app.storage.dsa.sor_repo import predictions_shown
from moderator_app.storage.orm import Decision, Flag

CHUNK = 500


def notices(session: Session, start: datetime, end: datetime) -> list[NoticeRecord]:
    rows = session.execute(
        select(Flag.id, Flag.source, Flag.category, Flag.received_at, Notice.trusted_in_area)
        .outerjoin(Notice, Notice.flag_id == Flag.id)
        .where(
            Flag.source.in_([s.value for s in NOTICE_SOURCES]),
            Flag.received_at >= start,
            Flag.received_at < end,
        )
    ).all()
    return [
        NoticeRecord(fid, FlagSource(src), PolicyCategory(cat), when, bool(trusted))
        for fid, src, cat, when, trusted in rows
    ]


def _signals(session: Session, listing_ids: Sequence[int]) -> dict[int, list[NoticeSignal]]:
    out: dict[int, list[NoticeSignal]] = defaultdict(list)
    ids = sorted(set(listing_ids))
    for start in range(0, len(ids), CHUNK):
        for lid, src, when, trusted in session.execute(
            select(Flag.listing_id, Flag.source, Flag.received_at, Notice.trusted_in_area)
            .outerjoin(Notice, Notice.flag_id == Flag.id)
            .where(Flag.listing_id.in_(ids[start : start + CHUNK]))
        ):
            out[lid].append(NoticeSignal(FlagSource(src), when, bool(trusted)))
    return out


def decision_record(d: Decision, signals: Sequence[NoticeSignal], session: Session) -> DecisionRecord:
    before = [s for s in signals if s.received_at <= d.decided_at]
    notice_times = [s.received_at for s in before if s.source in NOTICE_SOURCES]
    return DecisionRecord(
        decision_id=d.id,
        action=Action(d.action),
        ground=Ground(d.ground) if d.ground else None,
        decided_at=d.decided_at,
        first_notice_at=min(notice_times, default=None),
        own_initiative=source_type(before) == tdb.SOURCE_VOLUNTARY,
        automated_detection=automated_detection(before, predictions_shown(session, d.id)),
        automated_decision=is_automated_actor(d.reviewer),
    )


def decisions(session: Session, start: datetime, end: datetime) -> list[DecisionRecord]:
    rows = list(
        session.scalars(
            select(Decision).where(
                Decision.undone_at.is_(None), Decision.decided_at >= start, Decision.decided_at < end
            )
        )
    )
    signals = _signals(session, [d.listing_id for d in rows])
    return [decision_record(d, signals.get(d.listing_id, []), session) for d in rows]


def appeals(session: Session, start: datetime, end: datetime) -> list[AppealRecord]:
    rows = session.execute(
        select(Appeal, Decision)
        .join(Decision, Decision.id == Appeal.decision_id)
        .where(Appeal.received_at >= start, Appeal.received_at < end)
    ).all()
    signals = _signals(session, [d.listing_id for _, d in rows])
    out = []
    for a, d in rows:
        rec = decision_record(d, signals.get(d.listing_id, []), session)
        out.append(
            AppealRecord(a.id, a.received_at, AppealStatus(a.status), a.decided_at, rec.automated_detection)
        )
    return out


def measures(session: Session, start: datetime, end: datetime) -> list[MeasureRecord]:
    rows = session.scalars(
        select(AccountMeasure).where(AccountMeasure.created_at >= start, AccountMeasure.created_at < end)
    )
    return [
        MeasureRecord(
            SubjectKind(m.subject_kind), MeasureStep(m.step), m.created_at, m.revoked_at is not None
        )
        for m in rows
    ]
