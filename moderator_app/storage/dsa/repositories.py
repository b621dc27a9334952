"""The DSA repository of a unit of work: what the statement-of-reasons and outbox handlers read and
write, by value. The rules (which statement, which message to whom) live in services/dsa."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from moderator_app.domain.dsa.model import OutboxKind
from moderator_app.domain.dsa.sor import DecisionContext
from moderator_app.domain.dsa.templates import SorTemplates
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.storage.dsa import notice_repo, outbox_repo, policy_repo, sor_repo
from moderator_app.storage.dsa.orm_dsa import Notice
from moderator_app.storage.orm import Flag, Listing, Trader
from moderator_app.storage.rows import Rows


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class NotifierToTell:
    flag_id: int
    name: str | None
    email: str | None


class DsaRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def sync_notices(self, listing_id: int, now: datetime) -> int:
        """Notice records (and receipts) for the listing's notices that have none yet."""
        return notice_repo.sync(self._s, now, listing_id=listing_id)

    def statement_context(
        self,
        *,
        puid: str,
        listing_id: int,
        action: Action,
        category: PolicyCategory | None,
        ground: Ground | None,
        explanation: str,
        reviewer: str,
        decided_at: datetime,
        decision_id: int | None,
    ) -> DecisionContext:
        listing = self._rows.get_one(Listing, listing_id)
        trader = self._rows.get_one(Trader, listing.trader_id)
        return sor_repo.context_for(
            self._s,
            puid=puid,
            listing=listing,
            trader=trader,
            action=action,
            category=category,
            ground=ground,
            explanation=explanation,
            reviewer=reviewer,
            decided_at=decided_at,
            decision_id=decision_id,
        )

    def templates(self) -> SorTemplates:
        return policy_repo.templates(self._s)

    def add_statement(
        self, *, payload: dict[str, Any], redress: str, exportable: bool, now: datetime, decision_id: int
    ) -> None:
        sor_repo.add(
            self._s, payload=payload, redress=redress, exportable=exportable, now=now, decision_id=decision_id
        )

    def trader_contact(self, trader_id: int) -> Contact:
        trader = self._rows.get_one(Trader, trader_id)
        return Contact(trader.display_name, trader.email)

    def notifiers_to_tell(self, listing_id: int, decided_at: datetime) -> list[NotifierToTell]:
        """Notifiers of the listing's processed notices, received before the decision, who gave an e-mail
        address and have not been told of an earlier decision on their notice (Art 16(5))."""
        flags = self._s.execute(
            select(Flag.id, Flag.notifier, Flag.notifier_email)
            .join(Notice, Notice.flag_id == Flag.id)
            .where(
                Flag.listing_id == listing_id,
                Flag.received_at <= decided_at,
                Flag.notifier_email.is_not(None),
                Notice.not_processed.is_(None),
            )
            .order_by(Flag.id)
        ).all()
        return [
            NotifierToTell(flag_id, name, email)
            for flag_id, name, email in flags
            if not outbox_repo.has_live_message(self._s, OutboxKind.NOTICE_DECISION, flag_id)
        ]

    def add_message(
        self,
        *,
        dedup_key: str,
        kind: OutboxKind,
        recipient_kind: str,
        recipient: Contact,
        subject: str,
        body: str,
        now: datetime,
        decision_id: int | None = None,
        flag_id: int | None = None,
    ) -> bool:
        return outbox_repo.add(
            self._s,
            dedup_key=dedup_key,
            kind=kind,
            recipient_kind=recipient_kind,
            recipient_name=recipient.name,
            recipient_email=recipient.email,
            subject=subject,
            body=body,
            now=now,
            decision_id=decision_id,
            flag_id=flag_id,
        )
