"""What the DSA services hand to the window and the command line: plain frozen dataclasses and enums.

Values of the enums are stored in the database, as in :mod:`moderator_app.domain.enums`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from moderator_app.domain.enums import Action, FlagSource, PolicyCategory
from moderator_app.domain.review.model import DecisionInfo

APPEALS_QUEUE = "appeals"
"""Complaints (Art 20) wait in this queue, so the ordinary claim machinery serves them."""


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REVERSED = "reversed"


class AppealOutcome(StrEnum):
    UPHOLD = "uphold"
    REVERSE = "reverse"


class AppellantKind(StrEnum):
    TRADER = "trader"  # the recipient of the decision
    NOTIFIER = "notifier"  # the person or body who sent the notice


class MeasureStep(StrEnum):
    """The steps of the repeat-offender ladder (Art 23), in order."""

    WARNING = "warning"
    SUSPENSION = "suspension"
    TERMINATION = "termination"


class SubjectKind(StrEnum):
    """Who an account measure is about; the transparency report splits suspensions three ways by it."""

    TRADER = "trader"  # frequently provides manifestly illegal content (Art 23(1))
    NOTIFIER = "notifier"  # frequently submits manifestly unfounded notices (Art 23(2))
    COMPLAINANT = "complainant"  # frequently submits manifestly unfounded complaints (Art 23(2))


class OutboxKind(StrEnum):
    NOTICE_RECEIPT = "notice_receipt"  # Art 16(4)
    NOTICE_DECISION = "notice_decision"  # Art 16(5): the decision and the ways to contest it
    STATEMENT = "statement"  # Art 17: the statement of reasons to the trader
    APPEAL_RECEIPT = "appeal_receipt"
    APPEAL_OUTCOME = "appeal_outcome"  # Art 20(5)
    MEASURE = "measure"  # Art 23: warning, suspension, termination


@dataclass(frozen=True, slots=True)
class ShownPrediction:
    """A model's prediction shown to the reviewer when a decision was made (stored by issue 4)."""

    model: str
    label: str
    score: float
    flagged: bool  # the model said "look here" (above its threshold)


@dataclass(frozen=True, slots=True)
class StatementAmendment:
    """What a moderator may add to or change in the statement a template proposes."""

    legal_ground: str | None = None  # the law, for the illegal-content ground
    terms_ground: str | None = None  # the clause of the terms, for the contractual ground
    territorial_scope: tuple[str, ...] | None = None  # ISO codes of the EEA states; None: the template's
    restriction_end: date | None = None  # a temporary restriction ends on this day
    extra_facts: str = ""


@dataclass(frozen=True, slots=True)
class StatementPreview:
    """The statement a decision would get, and what is missing for it (the window shows both)."""

    payload: dict[str, Any]
    redress: str
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True, slots=True)
class StatementInfo:
    id: int
    puid: str
    decision_id: int | None
    measure_id: int | None
    payload: dict[str, Any]
    redress: str
    created_at: datetime
    exportable: bool
    first_export_id: int | None
    withdrawn: bool  # its decision was undone within the undo window: never exported


@dataclass(frozen=True, slots=True)
class NoticeInfo:
    """An Art 16 notice (a flag from a user or a trusted flagger) with what the law asks of it."""

    flag_id: int
    gid: str  # the notice's global id (UUIDv7)
    listing_id: int
    listing_external_id: str
    source: FlagSource
    category: PolicyCategory
    explanation: str
    notifier: str | None
    notifier_email: str | None
    location_url: str | None
    good_faith: bool | None
    csam: bool
    received_at: datetime
    trusted_flagger: str | None  # registry name when a trusted flagger acted in their area
    missing: tuple[str, ...]  # Art 16(2) elements the notice lacks (empty: complete)
    not_processed: str | None  # why the notice is not processed (notifier suspended), else None
    unfounded_at: datetime | None

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True, slots=True)
class TrustedFlaggerInfo:
    id: int
    name: str
    email: str | None
    areas: tuple[PolicyCategory, ...]
    active: bool
    added_by: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    kind: OutboxKind
    recipient_kind: str
    recipient_name: str | None
    recipient_email: str | None
    subject: str
    body: str
    created_at: datetime
    exported_at: datetime | None
    decision_id: int | None = None
    flag_id: int | None = None
    appeal_id: int | None = None
    measure_id: int | None = None


@dataclass(frozen=True, slots=True)
class AppealInfo:
    id: int
    gid: str  # global id (UUIDv7)
    decision_id: int
    decision_puid: str
    listing_id: int
    listing_external_id: str
    item_id: int
    original_action: Action
    original_reviewer: str
    appellant_kind: AppellantKind
    appellant: str | None
    reason: str
    received_at: datetime
    status: AppealStatus
    decided_by: str | None
    decided_at: datetime | None
    outcome_reason: str | None
    manifestly_unfounded: bool


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    id: int
    subject_kind: SubjectKind
    trader_id: int | None
    subject_key: str | None
    step: MeasureStep
    starts_at: datetime
    ends_at: datetime | None
    reason: str
    factors: dict[str, Any]
    confirmed_by: str
    created_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    lifted_at: datetime | None
    listings_affected: int = 0
    statement_puid: str | None = None

    @property
    def in_force(self) -> bool:
        return self.revoked_at is None and self.lifted_at is None


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What ``export sor`` wrote, and the statements it refused with the reason."""

    export_id: int | None
    file: str
    written: int
    batches: int
    failed: list[tuple[str, str]] = field(default_factory=list)  # (puid, problem)
    since: date | None = None
    only_new: bool = False


@dataclass(frozen=True, slots=True)
class AppealCase:
    """A complaint with the decision it contests and that decision's statement of reasons.

    The listing itself (images, flags, trader) is ``ReviewService.case(appeal.item_id)``.
    """

    appeal: AppealInfo
    decision: DecisionInfo
    statement: StatementInfo | None
