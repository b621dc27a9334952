"""Statements of reasons: what a statement is built from, and the frozen statements themselves."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa.model import ShownPrediction, StatementInfo
from moderator_app.domain.dsa.sor import DecisionContext, NoticeSignal
from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory, TraderKind
from moderator_app.storage.dsa.orm_dsa import Appeal, Notice, Statement
from moderator_app.storage.orm import Decision, Flag, Listing, Trader
from moderator_app.storage.predictions import prediction_repo


def predictions_shown(session: Session, decision_id: int | None) -> tuple[ShownPrediction, ...]:
    """What automated means showed the reviewer when the decision was made (issue 4 records it with
    the decision, before the statement is built): model predictions, flagged when at or above the
    threshold in force, and text-rule findings, which are flags by themselves. The one place that
    turns that record into the statement's ``automated_detection``."""
    if decision_id is None:
        return ()
    ev = prediction_repo.evidence(session, decision_id)
    shown = [
        ShownPrediction(
            model=p.model.label,
            label=p.labels[0].label if p.labels else "",
            score=p.score if p.score is not None else 0.0,
            flagged=p.error is None
            and p.score is not None
            and p.threshold is not None
            and p.score >= p.threshold,
        )
        for p in ev.predictions
    ]
    shown += [ShownPrediction(f"text rule {f.rule_id}", f.category.value, 1.0, True) for f in ev.findings]
    return tuple(shown)


def personal_data_of_listing(session: Session, listing: Listing, trader: Trader) -> tuple[str, ...]:
    """Everything personal known about the people around a listing: none of it may be published."""
    values: list[str | None] = [
        trader.display_name,
        trader.legal_name,
        trader.email,
        trader.phone,
        trader.address,
        trader.trade_register_number,
    ]
    for notifier, email in session.execute(
        select(Flag.notifier, Flag.notifier_email).where(Flag.listing_id == listing.id)
    ):
        values += [notifier, email]
    for name, email in session.execute(
        select(Appeal.appellant, Appeal.appellant_email)
        .join(Decision, Decision.id == Appeal.decision_id)
        .where(Decision.listing_id == listing.id)
    ):
        values += [name, email]
    return tuple(sorted({v.strip() for v in values if v and v.strip()}))


def notice_signals(session: Session, listing_id: int, until: datetime) -> tuple[NoticeSignal, ...]:
    rows = session.execute(
        select(Flag.source, Flag.received_at, Notice.trusted_in_area)
        .outerjoin(Notice, Notice.flag_id == Flag.id)
        .where(Flag.listing_id == listing_id, Flag.received_at <= until)
        .order_by(Flag.received_at, Flag.id)
    ).all()
    return tuple(NoticeSignal(FlagSource(src), when, bool(trusted)) for src, when, trusted in rows)


def context_for(
    session: Session,
    *,
    puid: str,
    listing: Listing,
    trader: Trader,
    action: Action,
    category: PolicyCategory | None,
    ground: Ground | None,
    explanation: str,
    reviewer: str,
    decided_at: datetime,
    decision_id: int | None,
) -> DecisionContext:
    return DecisionContext(
        puid=puid,
        action=action,
        category=category,
        ground=ground,
        explanation=explanation,
        reviewer=reviewer,
        decided_at=decided_at,
        content_date=listing.created_at.date(),
        trader_kind=TraderKind(trader.kind),
        ean=listing.ean,
        flags=notice_signals(session, listing.id, decided_at),
        predictions=predictions_shown(session, decision_id),
        personal_data=personal_data_of_listing(session, listing, trader),
    )


def add(
    session: Session,
    *,
    payload: dict[str, Any],
    redress: str,
    exportable: bool,
    now: datetime,
    decision_id: int | None = None,
    measure_id: int | None = None,
) -> Statement:
    row = Statement(
        puid=payload["puid"],
        decision_id=decision_id,
        measure_id=measure_id,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        redress=redress,
        exportable=exportable,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def info(row: Statement, withdrawn: bool) -> StatementInfo:
    return StatementInfo(
        id=row.id,
        puid=row.puid,
        decision_id=row.decision_id,
        measure_id=row.measure_id,
        payload=json.loads(row.payload),
        redress=row.redress,
        created_at=row.created_at,
        exportable=row.exportable,
        first_export_id=row.first_export_id,
        withdrawn=withdrawn,
    )


def of_decision(session: Session, decision_id: int) -> StatementInfo | None:
    row = session.execute(
        select(Statement, Decision.undone_at)
        .join(Decision, Decision.id == Statement.decision_id)
        .where(Statement.decision_id == decision_id)
    ).first()
    return info(row[0], row[1] is not None) if row else None


def of_measure(session: Session, measure_id: int) -> StatementInfo | None:
    row = session.scalar(select(Statement).where(Statement.measure_id == measure_id))
    return info(row, False) if row else None


def find(session: Session, puid: str) -> StatementInfo | None:
    row = session.execute(
        select(Statement, Decision.undone_at)
        .outerjoin(Decision, Decision.id == Statement.decision_id)
        .where(Statement.puid == puid)
    ).first()
    return info(row[0], row[1] is not None) if row else None
