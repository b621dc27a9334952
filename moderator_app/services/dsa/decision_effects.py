"""What the DSA adds to every decision (Art 16(5), Art 17), as handlers of ``DecisionRecorded``.

:func:`on_decision_recorded` runs inside the decision's own transaction: it gives the listing's notices
their records, builds the statement of reasons and refuses the whole decision with
``IncompleteDecision`` when the statement would be incomplete, stores the statement, and records in the
outbox the statement for the trader and the decision for every notifier. Raising rolls everything
back. :func:`preview` applies the same rules without writing (the decision bar shows it).
"""

from __future__ import annotations

from datetime import datetime

from moderator_app.domain.dsa import messages
from moderator_app.domain.dsa.model import OutboxKind, StatementAmendment, StatementPreview
from moderator_app.domain.dsa.sor import build_statement
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.errors import IncompleteDecision, NotFound
from moderator_app.domain.events import DecisionRecorded
from moderator_app.storage.dsa.repositories import Contact
from moderator_app.storage.unit_of_work import UnitOfWork

PREVIEW_PUID = "mw-preview"


def on_decision_recorded(tx: UnitOfWork, e: DecisionRecorded) -> None:
    decision = tx.decisions.get(e.decision_id)
    assert decision is not None
    tx.dsa.sync_notices(e.listing_id, e.at)
    ctx = tx.dsa.statement_context(
        puid=decision.puid,
        listing_id=e.listing_id,
        action=e.action,
        category=decision.category,
        ground=decision.ground,
        explanation=decision.explanation,
        reviewer=decision.reviewer,
        decided_at=decision.decided_at,
        decision_id=decision.id,
    )
    templates = tx.dsa.templates()
    statement = build_statement(ctx, templates, e.statement)
    if statement.missing:
        raise IncompleteDecision(statement.missing)
    if statement.payload:
        measure = templates.measure_for(e.action, ctx.category)
        tx.dsa.add_statement(
            payload=statement.payload,
            redress=statement.redress,
            exportable=measure.export if measure else True,
            now=e.at,
            decision_id=decision.id,
        )
        subject, body = messages.statement_to_trader(
            decision.listing_external_id, statement.payload, statement.redress
        )
        tx.dsa.add_message(
            dedup_key=f"statement:decision:{decision.id}",
            kind=OutboxKind.STATEMENT,
            recipient_kind="trader",
            recipient=tx.dsa.trader_contact(e.trader_id),
            subject=subject,
            body=body,
            now=e.at,
            decision_id=decision.id,
        )
    if e.action is not Action.ESCALATE:
        for notifier in tx.dsa.notifiers_to_tell(e.listing_id, decision.decided_at):
            subject, body = messages.notice_decision(
                decision.listing_external_id, notifier.flag_id, e.action, decision.category, decision.decided_at
            )
            tx.dsa.add_message(
                dedup_key=f"notice_decision:{notifier.flag_id}:{decision.id}",
                kind=OutboxKind.NOTICE_DECISION,
                recipient_kind="notifier",
                recipient=Contact(notifier.name, notifier.email),
                subject=subject,
                body=body,
                now=e.at,
                decision_id=decision.id,
                flag_id=notifier.flag_id,
            )


def preview(
    tx: UnitOfWork,
    item_id: int,
    reviewer: str,
    action: Action,
    category: PolicyCategory | None,
    ground: Ground | None,
    explanation: str,
    now: datetime,
    amendment: StatementAmendment | None = None,
) -> StatementPreview:
    """The statement the decision would get, without writing anything."""
    item = tx.items.get(item_id)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    ctx = tx.dsa.statement_context(
        puid=PREVIEW_PUID,
        listing_id=item.listing_id,
        action=action,
        category=category,
        ground=ground,
        explanation=explanation.strip(),
        reviewer=reviewer,
        decided_at=now,
        decision_id=None,
    )
    return build_statement(ctx, tx.dsa.templates(), amendment)
