"""Data transfer objects: what services hand to the UI and the CLI.

Plain frozen dataclasses, never ORM rows, so nothing above the services can lazy-load or hold a session.
All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from moderator_app.domain.enums import (
    Action,
    FlagSource,
    Ground,
    ItemState,
    ListingStatus,
    PolicyCategory,
    TraderKind,
    TraderStatus,
)

ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "ISK", "CLP", "VND", "HUF"})


def currency_exponent(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def format_price(price_minor: int | None, currency: str | None) -> str:
    if price_minor is None or not currency:
        return ""
    exp = currency_exponent(currency)
    if exp == 0:
        return f"{price_minor} {currency}"
    sign = "-" if price_minor < 0 else ""
    units, cents = divmod(abs(price_minor), 10**exp)
    return f"{sign}{units}.{cents:0{exp}d} {currency}"


@dataclass(frozen=True, slots=True)
class TraderInfo:
    id: int
    external_id: str
    display_name: str
    legal_name: str | None
    address: str | None
    email: str | None
    phone: str | None
    trade_register_number: str | None
    country: str | None
    kind: TraderKind
    status: TraderStatus
    suspended_until: datetime | None

    def missing_traceability(self) -> list[str]:
        """Art 30 fields a business trader must have given and has not (private sellers need none)."""
        if self.kind is TraderKind.PRIVATE:
            return []
        fields = {
            "legal name": self.legal_name,
            "address": self.address,
            "e-mail": self.email,
            "phone": self.phone,
            "trade register number": self.trade_register_number,
            "country": self.country,
        }
        return [name for name, value in fields.items() if not (value and value.strip())]


@dataclass(frozen=True, slots=True)
class TraderCounters:
    """The repeat-offender record of a trader, as a supervisor would recount it from the decisions."""

    violations_90d: int
    violations_total: int
    warnings: int
    status: TraderStatus
    last_violation_at: datetime | None

    @property
    def repeat_offender(self) -> bool:
        return self.violations_90d >= 2 or self.violations_total >= 3


@dataclass(frozen=True, slots=True)
class ListingInfo:
    id: int
    external_id: str
    trader_id: int
    title: str
    description: str
    price_minor: int | None
    currency: str | None
    category: str
    url: str | None
    ean: str | None
    created_at: datetime
    status: ListingStatus

    @property
    def price_text(self) -> str:
        return format_price(self.price_minor, self.currency)


@dataclass(frozen=True, slots=True)
class ImageInfo:
    id: int
    listing_id: int
    position: int
    sha256: str | None
    width: int | None
    height: int | None
    format: str | None
    readable: bool
    problem: str | None
    path: str | None  # absolute path of the stored file, None when no bytes were stored


@dataclass(frozen=True, slots=True)
class FlagInfo:
    id: int
    listing_id: int
    source: FlagSource
    notifier: str | None
    category: PolicyCategory
    explanation: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class ReviewItemInfo:
    id: int
    listing_id: int
    queue: str
    priority: int
    state: ItemState
    claimed_by: str | None
    claimed_at: datetime | None
    lease_expires_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DecisionInfo:
    id: int
    puid: str
    item_id: int
    listing_id: int
    listing_external_id: str
    trader_id: int
    action: Action
    category: PolicyCategory | None
    ground: Ground | None
    explanation: str
    reviewer: str
    claimed_at: datetime | None
    decided_at: datetime
    undone_at: datetime | None
    listing_status_before: ListingStatus | None = None
    undone_by: str | None = None


@dataclass(frozen=True, slots=True)
class TraderDetail:
    trader: TraderInfo
    counters: TraderCounters
    recent_decisions: list[DecisionInfo] = field(default_factory=list)
    listings_total: int = 0


@dataclass(frozen=True, slots=True)
class ReviewCase:
    """Everything the review window shows for one claimed item."""

    item: ReviewItemInfo
    listing: ListingInfo
    images: list[ImageInfo]
    flags: list[FlagInfo]
    trader: TraderDetail


@dataclass(frozen=True, slots=True)
class QueueCount:
    queue: str
    pending: int  # open and not under a live claim
    claimed: int  # open under a live claim
    oldest_pending_at: datetime | None


@dataclass(frozen=True, slots=True)
class ListingDetail:
    """A listing with its whole history, for look-ups (CLI ``listing``, investigators)."""

    listing: ListingInfo
    trader: TraderInfo
    images: list[ImageInfo]
    flags: list[FlagInfo]
    items: list[ReviewItemInfo]
    decisions: list[DecisionInfo]
