"""Import of listings from JSON Lines: the parsed records and what an import reports.

The records are what a valid line becomes (see :mod:`moderator_app.domain.imports.import_parsing`, which checks
them); they are NamedTuples rather than frozen dataclasses because an import builds hundreds of thousands
of them and a NamedTuple is five times cheaper to make, while just as immutable and hashable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from moderator_app.domain.enums import FlagSource, PolicyCategory, TraderKind, TraderStatus


class TraderRecord(NamedTuple):
    external_id: str
    display_name: str
    kind: TraderKind
    legal_name: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    trade_register_number: str | None = None
    country: str | None = None
    status: TraderStatus = TraderStatus.ACTIVE
    suspended_until: datetime | None = None


class FlagRecord(NamedTuple):
    dedup_key: str  # "id:<notice id>", or "c:" and 32 hex digits of the SHA-256 of the content
    source: FlagSource
    category: PolicyCategory
    received_at: datetime
    explanation: str = ""
    notifier: str | None = None
    notifier_email: str | None = None


class ListingRecord(NamedTuple):
    external_id: str
    trader_ref: str
    title: str
    category: str
    created_at: datetime
    trader: TraderRecord | None = None  # given inline in the listing line
    description: str = ""
    price_minor: int | None = None
    currency: str | None = None
    url: str | None = None
    ean: str | None = None
    images: tuple[str, ...] = ()
    flags: tuple[FlagRecord, ...] = ()
    queue: str | None = None
    priority: int | None = None


Record = TraderRecord | ListingRecord


@dataclass(frozen=True, slots=True)
class ImageRecord:
    """What became of one image file of a listing (stored bytes, or why it is unreadable)."""

    position: int
    source_name: str
    sha256: str | None
    size_bytes: int | None
    width: int | None
    height: int | None
    format: str | None
    readable: bool
    problem: str | None


@dataclass(frozen=True, slots=True)
class ImportProgress:
    bytes_read: int
    total_bytes: int | None  # None when the lines do not come from a file
    lines_read: int
    listings_added: int

    @property
    def fraction(self) -> float | None:
        if not self.total_bytes:
            return None
        return min(1.0, self.bytes_read / self.total_bytes)


@dataclass(slots=True)
class ImportReport:
    """What an import did. Counts cover committed work only (an interrupted batch counts for nothing)."""

    lines_read: int = 0
    traders_added: int = 0
    listings_added: int = 0
    listings_already_present: int = 0
    flags_added: int = 0
    images_stored: int = 0
    images_unreadable: int = 0
    items_opened: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    interrupted: bool = False
    notices_recorded: int = 0
    """Art 16 notices that came in with this import and got their record and receipt (every import
    ends with that legal step, whoever runs it: the command line, the window, the demo)."""

    def add(self, other: ImportReport) -> None:
        self.lines_read += other.lines_read
        self.traders_added += other.traders_added
        self.listings_added += other.listings_added
        self.listings_already_present += other.listings_already_present
        self.flags_added += other.flags_added
        self.images_stored += other.images_stored
        self.images_unreadable += other.images_unreadable
        self.items_opened += other.items_opened
        self.notices_recorded += other.notices_recorded
        self.rejected.extend(other.rejected)

    def rejection_messages(self) -> list[str]:
        """One line per rejected record, in file order: ``line 7: missing required field 'title'``."""
        return [f"line {n}: {reason}" for n, reason in sorted(self.rejected, key=lambda r: r[0])]

    @property
    def exit_status(self) -> int:
        """130 when interrupted, 1 when some records were rejected, else 0 (see docs/import-format.md)."""
        if self.interrupted:
            return 130
        return 1 if self.rejected else 0
