"""What the DSA adds to every decision, inside the decision's own transaction.

``ReviewService.decide`` calls :func:`on_decision` once the decision row is written: it builds the
statement of reasons (Art 17) and refuses the whole decision with ``IncompleteDecision`` when the
statement would be incomplete, stores the statement, and records in the outbox the statement for the
trader and the decision for every notifier (Art 16(5)). Raising rolls everything back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.domain.dsa import messages
from moderator_app.domain.dsa.model import APPEALS_QUEUE, OutboxKind, StatementAmendment, StatementPreview
from moderator_app.domain.dsa.sor import build_statement
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.errors import IncompleteDecision, InvalidInput, NotFound
from moderator_app.storage.dsa import notice_repo, outbox_repo, policy_repo, sor_repo
from moderator_app.storage.dsa.orm_dsa import Notice
from moderator_app.storage.orm import Decision, Flag, Listing, ReviewItem, Trader

PREVIEW_PUID = "mw-preview"


def on_decision(
    session: Session, decision: Decision, now: datetime, amendment: StatementAmendment | None = None
) -> None:
    item = session.get_one(ReviewItem, decision.item_id)
    if item.queue == APPEALS_QUEUE:
        raise InvalidInput(
            "this item is a complaint against an earlier decision: uphold or reverse it (appeal decide)"
        )
    listing = session.get_one(Listing, decision.listing_id)
    trader = session.get_one(Trader, decision.trader_id)
    notice_repo.sync(session, now, listing_id=listing.id)
    action = Action(decision.action)
    ctx = sor_repo.context_for(
        session,
        puid=decision.puid,
        listing=listing,
        trader=trader,
        action=action,
        category=PolicyCategory(decision.category) if decision.category else None,
        ground=Ground(decision.ground) if decision.ground else None,
        explanation=decision.explanation,
        reviewer=decision.reviewer,
        decided_at=decision.decided_at,
        decision_id=decision.id,
    )
    templates = policy_repo.templates(session)
    preview = build_statement(ctx, templates, amendment)
    if preview.missing:
        raise IncompleteDecision(preview.missing)
    if preview.payload:
        measure = templates.measure_for(action, ctx.category)
        sor_repo.add(
            session,
            payload=preview.payload,
            redress=preview.redress,
            exportable=measure.export if measure else True,
            now=now,
            decision_id=decision.id,
        )
        subject, body = messages.statement_to_trader(listing.external_id, preview.payload, preview.redress)
        outbox_repo.add(
            session,
            dedup_key=f"statement:decision:{decision.id}",
            kind=OutboxKind.STATEMENT,
            recipient_kind="trader",
            recipient_name=trader.display_name,
            recipient_email=trader.email,
            subject=subject,
            body=body,
            now=now,
            decision_id=decision.id,
        )
    if action is not Action.ESCALATE:
        _tell_notifiers(session, decision, listing, action, now)


def _tell_notifiers(
    session: Session, decision: Decision, listing: Listing, action: Action, now: datetime
) -> None:
    rows = session.execute(
        select(Flag)
        .join(Notice, Notice.flag_id == Flag.id)
        .where(
            Flag.listing_id == listing.id,
            Flag.received_at <= decision.decided_at,
            Flag.notifier_email.is_not(None),
            Notice.not_processed.is_(None),
        )
        .order_by(Flag.id)
    ).scalars()
    for flag in rows:
        if outbox_repo.has_live_message(session, OutboxKind.NOTICE_DECISION, flag.id):
            continue  # told of an earlier decision on their notice
        subject, body = messages.notice_decision(
            listing.external_id,
            flag.id,
            action,
            PolicyCategory(decision.category) if decision.category else None,
            decision.decided_at,
        )
        outbox_repo.add(
            session,
            dedup_key=f"notice_decision:{flag.id}:{decision.id}",
            kind=OutboxKind.NOTICE_DECISION,
            recipient_kind="notifier",
            recipient_name=flag.notifier,
            recipient_email=flag.notifier_email,
            subject=subject,
            body=body,
            now=now,
            decision_id=decision.id,
            flag_id=flag.id,
        )


def preview(
    session: Session,
    item_id: int,
    reviewer: str,
    action: Action,
    category: PolicyCategory | None,
    ground: Ground | None,
    explanation: str,
    now: datetime,
    amendment: StatementAmendment | None = None,
) -> StatementPreview:
    """The statement the decision would get, without writing anything (the decision bar shows it)."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    listing = session.get_one(Listing, item.listing_id)
    trader = session.get_one(Trader, listing.trader_id)
    ctx = sor_repo.context_for(
        session,
        puid=PREVIEW_PUID,
        listing=listing,
        trader=trader,
        action=action,
        category=category,
        ground=ground,
        explanation=explanation.strip(),
        reviewer=reviewer,
        decided_at=now,
        decision_id=None,
    )
    return build_statement(ctx, policy_repo.templates(session), amendment)
