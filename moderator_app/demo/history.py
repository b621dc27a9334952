"""The past of the demo replayed through the real import and review services, with a clock set in
the past: traders join, the repeat offenders' earlier listings are flagged and decided, then today's
listings arrive day by day as they were flagged.

Replaying writes exactly what the workstation would have written then: items that open when the
flags arrive (so queues show realistic waiting times), decisions by named reviewers, removed listings,
strikes and the traders' counters, in time order (so today's items of a repeat offender carry the
repeat-offender priority). Records that are already there are left alone: a second run adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from moderator_app.demo.catalog import DemoCatalog, flag_times
from moderator_app.demo.files import Progress, record_line
from moderator_app.domain.errors import WorkstationError
from moderator_app.domain.imports.imports import ImportReport
from moderator_app.services.access import Access
from moderator_app.services.bootstrap import message_bus, review_service
from moderator_app.services.bus import Transactions
from moderator_app.services.dsa import DsaServices
from moderator_app.services.imports.importer import ImportService
from moderator_app.services.review.lookup import LookupService
from moderator_app.services.supervision.sampling import NO_SAMPLING
from moderator_app.services.workstation import Workstation


class _PastClock:
    """A clock the replay sets to each moment of the past."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class HistoryResult:
    imported: ImportReport = field(default_factory=ImportReport)
    recorded: int = 0  # decisions written by this run
    already_present: int = 0  # decisions found from an earlier run
    skipped: list[str] = field(default_factory=list)  # "DL-000004: reason"


def replay_history(
    ws: Workstation,
    catalog: DemoCatalog,
    folder: Path,
    progress: Progress | None = None,
    actor: str | None = None,
    access: Access | None = None,
) -> HistoryResult:
    """Import the traders, the history listings (and decide them), then today's listings, each at its
    moment in the past. ``folder`` holds the demo's images (paths in the records are relative to it).
    ``access``: what the replay is checked with (by default the workstation's).
    """
    clock = _PastClock(catalog.joined_at)
    access = access or ws.access
    # Every import ends with the Art 16 step (records and receipts of the notices), at the past moment.
    notices = DsaServices(Transactions(ws.db, message_bus(NO_SAMPLING)), clock, access).notices
    importer = ImportService(
        ws.db, clock=clock, access=access, default_actor=actor, record_notices=notices.sync
    )
    # The past was decided before quality sampling (issue 6) was switched on: no second reviews for it.
    review = review_service(ws.db, clock=clock, access=access, supervision=NO_SAMPLING)
    lookup = LookupService(ws.db, clock=clock)
    result = HistoryResult()
    result.imported = importer.import_lines([record_line(t) for t in catalog.traders], folder)
    if result.imported.interrupted:
        return result
    lines = {str(record["id"]): record_line(record) for record in catalog.listings}
    steps = sorted(catalog.history, key=lambda s: (s.decided_at, s.listing))
    for done, step in enumerate(steps, start=1):
        try:
            clock.now = step.flagged_at
            report = importer.import_lines([lines[step.listing]], folder)
            result.imported.add(report)
            if report.interrupted:
                result.imported.interrupted = True
                result.skipped.append(f"{step.listing}: the import was interrupted")
                break
            if lookup.listing(step.listing).decisions:
                result.already_present += 1
                continue
            clock.now = step.claimed_at
            item = review.claim_listing(step.listing, step.reviewer)
            clock.now = step.decided_at
            review.decide(item.id, step.reviewer, step.action, step.category, step.ground, step.explanation)
            result.recorded += 1
        except WorkstationError as exc:
            result.skipped.append(f"{step.listing}: {exc}")
        finally:
            if progress is not None:
                progress("history", done, len(steps))
    if not result.imported.interrupted:
        _arrive_daily(importer, clock, catalog, lines, folder, result, progress)
    return result


def _arrive_daily(
    importer: ImportService,
    clock: _PastClock,
    catalog: DemoCatalog,
    lines: dict[str, str],
    folder: Path,
    result: HistoryResult,
    progress: Progress | None,
) -> None:
    """Today's listings, imported in one batch per day, a minute after the day's last flag."""
    past = {step.listing for step in catalog.history}
    days: dict[date, list[tuple[datetime, str]]] = defaultdict(list)
    for record in catalog.listings:
        lid = str(record["id"])
        if lid not in past:
            last = max(flag_times(record), default=catalog.anchor)
            days[last.date()].append((last, lid))
    total, done = sum(len(v) for v in days.values()), 0
    for day in sorted(days):
        batch = sorted(days[day])
        clock.now = batch[-1][0] + timedelta(minutes=1)
        report = importer.import_lines([lines[lid] for _, lid in batch], folder)
        result.imported.add(report)
        done += len(batch)
        if progress is not None:
            progress("import", done, total)
        if report.interrupted:
            result.imported.interrupted = True
            return
