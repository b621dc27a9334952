"""``moderator-app demo``: a realistic, deterministic demo data set, imported like any other file.

The catalog (traders, listings, flags, image specs, past decisions) is generated from ``seed`` with
times relative to ``anchor``; it is written as an import folder, imported through the import service,
and the repeat offenders' history is decided through the review service with a clock in the past.
Running it again on the same database changes nothing.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from moderator_app.demo.accounts import add_demo_accounts
from moderator_app.demo.catalog import DemoCatalog, default_anchor, make_catalog
from moderator_app.demo.files import Progress, write_demo
from moderator_app.demo.history import HistoryResult, replay_history
from moderator_app.demo.spec import PLACEHOLDER, PRODUCT
from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.imports.imports import ImportReport
from moderator_app.services.workstation import Workstation


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What ``build_demo`` created (counts of the demo set; ``imported`` says what was new)."""

    seed: int
    anchor: datetime
    traders: int
    listings: int
    flags: int
    images: int
    unreadable_images: int  # broken on purpose, so the review window's placeholder shows
    flags_by_source: dict[str, int]
    listings_by_kind: dict[str, int]
    repeat_offenders: list[str]  # trader ids with a record of past violations
    history_recorded: int  # past decisions written by this run
    history_already_present: int  # past decisions found from an earlier run
    imported: ImportReport  # what this run imported, replaying the past (all of it, on the first run)
    file_import: ImportReport  # the whole demo file imported at the end: normally nothing new
    history_skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build_demo(
    ws: Workstation,
    *,
    listings: int = 360,
    traders: int = 48,
    seed: int = 2025,
    anchor: datetime | None = None,
    progress: Progress | None = None,
    accounts: bool = False,
    actor: str | None = None,
) -> DemoReport:
    """Fill ``ws`` with the demo data set.

    ``anchor`` defaults to the workstation clock's current day (midnight UTC), so the demo's "last 90
    days" are the reviewer's. ``progress`` is called with (stage, done, total) for the stages "images",
    "history" and "import", in that order. Raises InvalidInput for sizes too small to show every
    scenario, before anything is written. ``accounts``: on a database without accounts, add the demo
    accounts at the end (docs/supervisors.md lists them); ``actor``: who runs it. Once accounts exist
    that must be an administrator (``Right.LOAD_DEMO``, checked once): the demo's past is then decided
    under the demo reviewers' names, which have no accounts there, and no demo account is added.
    """
    started = time.perf_counter()
    anchor = anchor if anchor is not None else default_anchor(ws.clock())
    catalog = make_catalog(listings=listings, traders=traders, seed=seed, anchor=anchor)
    access = ws.access.granted(actor, Right.LOAD_DEMO) if ws.accounts.managed() else ws.access
    with tempfile.TemporaryDirectory(prefix="moderator-demo-") as tmp:
        path = write_demo(Path(tmp), catalog, progress)
        history = replay_history(ws, catalog, path.parent, progress, actor, access)
        # Everything is in by now; importing the whole file only fills what an earlier, interrupted
        # run may have left out (and shows that the file imports cleanly).
        whole = (
            ImportReport(interrupted=True)
            if history.imported.interrupted
            else ws.importer.import_file(path, actor=actor)
        )
    if accounts and not history.imported.interrupted:
        add_demo_accounts(ws)
    return _report(catalog, history, whole, time.perf_counter() - started)


def _report(catalog: DemoCatalog, result: HistoryResult, whole: ImportReport, seconds: float) -> DemoReport:
    flags = [flag for listing in catalog.listings for flag in _flags(listing)]
    return DemoReport(
        seed=catalog.seed,
        anchor=catalog.anchor,
        traders=len(catalog.traders),
        listings=len(catalog.listings),
        flags=len(flags),
        images=len(catalog.images),
        unreadable_images=sum(1 for s in catalog.images if s.kind not in (PRODUCT, PLACEHOLDER)),
        flags_by_source=dict(sorted(Counter(str(f["source"]) for f in flags).items())),
        listings_by_kind=dict(sorted(Counter(catalog.kinds.values()).items())),
        repeat_offenders=list(catalog.repeat_offenders),
        history_recorded=result.recorded,
        history_already_present=result.already_present,
        imported=result.imported,
        file_import=whole,
        history_skipped=result.skipped,
        seconds=round(seconds, 2),
    )


def _flags(listing: dict[str, object]) -> list[dict[str, object]]:
    flags = listing.get("flags")
    return flags if isinstance(flags, list) else []


__all__ = ["DemoReport", "build_demo"]
