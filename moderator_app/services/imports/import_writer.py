"""Writing one import batch: one transaction for its traders, listings, images, flags and review items.

Runs on the import's writer thread (its own Session, as every thread). Between steps it checks the
cancel event, so an interruption rolls back the batch being written instead of waiting for it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from moderator_app.domain.enums import FlagSource, PolicyCategory
from moderator_app.domain.imports.imports import (
    FlagRecord,
    ImageRecord,
    ImportReport,
    ListingRecord,
    Record,
    TraderRecord,
)
from moderator_app.domain.review.policy import FlagSignal, priority_for, queue_for
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.services.clock import Clock
from moderator_app.services.imports.import_images import ImageLoader
from moderator_app.storage.db import Database
from moderator_app.storage.imports import import_repo
from moderator_app.storage.supervision import audit_repo

DIGEST_MASK = 0xFFFF_FFFF


@dataclass
class Batch:
    """Records of consecutive lines, ready for one transaction."""

    records: list[tuple[int, Record]] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)  # this batch's share of the counts
    images: dict[str, list[ImageRecord]] = field(default_factory=dict)  # of listings not yet stored
    repeats: dict[str, list[int]] = field(default_factory=dict)  # listing id -> lines repeating it
    bytes_read: int = 0
    first_line: int = 1


@dataclass
class FileState:
    """What the accepted lines so far have defined; duplicates must agree with their first line."""

    traders: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (first line, hash)
    # id -> first line, line of the copy last written, 32 bits of its hash: packed in one int, because
    # a file may hold millions of listings (about 130 bytes each here).
    listings: dict[str, int] = field(default_factory=dict)
    rejected_traders: dict[str, int] = field(default_factory=dict)  # id -> line of the rejected record

    def note_listing(self, external_id: str, line: int, digest: int) -> None:
        """The copy of a listing on ``line`` goes to the database."""
        seen = self.listings.get(external_id)
        first = line if seen is None else seen >> 64
        self.listings[external_id] = (first << 64) | (line << 32) | (digest & DIGEST_MASK)

    def listing_seen(self, external_id: str) -> tuple[int, int, int] | None:
        """(first line, line of the copy last written, 32-bit digest) of a listing id, if seen."""
        seen = self.listings.get(external_id)
        if seen is None:
            return None
        return seen >> 64, (seen >> 32) & DIGEST_MASK, seen & DIGEST_MASK

    def trader_defined_before(self, ref: str, line: int) -> bool:
        first = self.traders.get(ref)
        return first is not None and first[0] < line

    def unknown_trader(self, ref: str, line: int) -> str:
        rejected = self.rejected_traders.get(ref)
        if rejected is not None and rejected < line:
            return f"unknown trader '{ref}' (its record on line {rejected} was rejected)"
        first = self.traders.get(ref)
        if first is not None and first[0] > line:
            return f"unknown trader '{ref}': it is defined only later, on line {first[0]}"
        return f"unknown trader '{ref}': not defined on an earlier line nor in the database"


def bug_reason(exc: BaseException) -> str:
    """The rejection reason of a line that set off a bug (the details go to the log)."""
    return f"internal error ({type(exc).__name__}); this is a bug, the details are in the log"


class Cancelled(Exception):
    """The import was interrupted while this batch was being written; it was rolled back."""


class BatchWriter:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        file: FileState,
        images: ImageLoader,
        cancel: threading.Event,
        actor: str = "import",
    ) -> None:
        self.actor = actor
        self.db = db
        self.clock = clock
        self.file = file
        self.images = images
        self.cancel = cancel
        self.known_traders: dict[str, tuple[int, bool]] = {}  # committed: id -> (row id, repeat offender)

    def _step(self) -> None:
        if self.cancel.is_set():
            raise Cancelled

    def write(self, batch: Batch) -> ImportReport:
        """Write one batch in one transaction; returns its counts (with its rejected lines)."""
        # A copy: when the transaction fails, the batch is written again as it was (record by record).
        report = replace(batch.report, rejected=list(batch.report.rejected))
        if not batch.records:
            return report
        repeats = dict(batch.repeats)
        entries = [(n, r) for n, r in batch.records if isinstance(r, ListingRecord)]
        now = self.clock()
        with self.db.write() as s:
            import_repo.lock_for_import(s)
            # Traders this batch defines (trader lines and inline objects) that are not stored yet.
            defined: dict[str, TraderRecord] = {}
            for _, r in batch.records:
                t = r if isinstance(r, TraderRecord) else r.trader
                if t is not None and t.external_id not in self.known_traders:
                    defined.setdefault(t.external_id, t)
            wanted = set(defined) | {
                r.trader_ref for _, r in entries if r.trader_ref not in self.known_traders
            }
            stored = import_repo.find_traders(s, wanted, now)
            known = dict(self.known_traders)
            known.update(stored)
            added = import_repo.insert_traders(s, [t for e, t in defined.items() if e not in stored], now)
            known.update({ext: (tid, False) for ext, tid in added.items()})
            report.traders_added += len(added)
            self._step()

            resolved: list[tuple[ListingRecord, int]] = []
            for n, r in entries:
                ref = r.trader_ref
                if r.trader is None and not (
                    ref in self.known_traders or ref in stored or self.file.trader_defined_before(ref, n)
                ):
                    reason = self.file.unknown_trader(ref, n)
                    report.rejected.append((n, reason))
                    report.rejected.extend((line, reason) for line in repeats.pop(r.external_id, ()))
                    continue
                resolved.append((r, known[ref][0]))
            report.listings_already_present += sum(len(lines) for lines in repeats.values())

            existing = import_repo.find_listings(s, [r.external_id for r, _ in resolved])
            new = [(r, tid) for r, tid in resolved if r.external_id not in existing]
            ids = import_repo.insert_listings(s, new, now)
            report.listings_added += len(new)
            report.listings_already_present += len(resolved) - len(new)
            self._step()

            image_groups: list[tuple[int, list[ImageRecord]]] = []
            flag_groups: list[tuple[int, Sequence[FlagRecord]]] = []
            new_flags: dict[int, tuple[ListingRecord, int, Sequence[FlagRecord]]] = {}
            for r, tid in new:
                lid = ids[r.external_id]
                if r.images:
                    found = batch.images.get(r.external_id)
                    if found is None:  # seen as stored before the batch, gone now: rare
                        found = self.images.load(list(enumerate(r.images)))
                    image_groups.append((lid, found))
                if r.flags:
                    flag_groups.append((lid, r.flags))
                    new_flags[lid] = (r, tid, r.flags)
            flagged = [(r, tid) for r, tid in resolved if r.external_id in existing and r.flags]
            if flagged:
                keys = import_repo.flag_keys(s, [existing[r.external_id] for r, _ in flagged])
                for r, tid in flagged:
                    lid = existing[r.external_id]
                    have = keys.get(lid, set())
                    fresh = [f for f in r.flags if f.dedup_key not in have]
                    if fresh:
                        flag_groups.append((lid, fresh))
                        new_flags[lid] = (r, tid, fresh)
            import_repo.insert_images(s, image_groups)
            import_repo.insert_flags(s, flag_groups)
            readable = sum(img.readable for _, group in image_groups for img in group)
            report.images_stored += readable
            report.images_unreadable += sum(len(group) for _, group in image_groups) - readable
            report.flags_added += sum(len(group) for _, group in flag_groups)
            self._step()

            existing_ids = set(existing.values())
            open_now = import_repo.open_items(s, [lid for lid in new_flags if lid in existing_ids])
            to_open, to_raise = plan_items(new_flags, open_now, dict(known.values()))
            import_repo.insert_items(s, to_open, now)
            import_repo.raise_priorities(s, to_raise)
            report.items_opened += len(to_open)
            self._step()
            audit_repo.append(s, _batch_event(self.actor, batch, report), now)  # issue 6: one per batch
        self.known_traders = known
        report.rejected.sort()
        return report


def plan_items(
    new_flags: dict[int, tuple[ListingRecord, int, Sequence[FlagRecord]]],
    open_now: dict[int, tuple[int, int]],
    repeat_offenders: dict[int, bool],
) -> tuple[list[tuple[int, str, int]], list[tuple[int, int]]]:
    """A review item for every listing with new flags, unless it has an open one: then that item's
    priority rises to what the new flags call for (it never falls). Explicit queue/priority win."""
    to_open: list[tuple[int, str, int]] = []
    to_raise: list[tuple[int, int]] = []
    for lid, (r, tid, fresh) in new_flags.items():
        flags = tuple([f[1:3] for f in fresh])  # (source, category) of each FlagRecord
        queue, priority = _routing(flags, repeat_offenders.get(tid, False))
        if r.priority is not None:
            priority = r.priority
        item = open_now.get(lid)
        if item is None:
            to_open.append((lid, r.queue or queue, priority))
        elif priority > item[1]:
            to_raise.append((item[0], priority))
    return to_open, to_raise


@lru_cache(maxsize=4096)
def _routing(flags: tuple[tuple[FlagSource, PolicyCategory], ...], repeat: bool) -> tuple[str, int]:
    """Queue and priority of a set of flags (few distinct sets recur across a whole import)."""
    signals = [FlagSignal(source, category) for source, category in flags]
    return queue_for(signals), priority_for(signals, repeat)


def _batch_event(actor: str, batch: Batch, report: ImportReport) -> EventDraft:
    return EventDraft(
        actor=actor,
        action=AuditAction.IMPORT,
        subject="import",
        after={
            "first_line": batch.first_line,
            "traders_added": report.traders_added,
            "listings_added": report.listings_added,
            "flags_added": report.flags_added,
            "items_opened": report.items_opened,
            "lines_rejected": len(report.rejected),
        },
    )
