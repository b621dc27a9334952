"""``moderator-app import``: progress on stderr, one line per rejected record, a summary, exit status."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from moderator_app.cli import output
from moderator_app.domain.imports.imports import ImportProgress, ImportReport
from moderator_app.services.workstation import Workstation


class ImportProgressLine(output.ProgressLine):
    def __call__(self, p: ImportProgress) -> None:
        if not self.due():
            return
        pct = f"{p.fraction * 100:5.1f}% " if p.fraction is not None else ""
        self.show(
            f"importing: {pct}{p.lines_read:,} lines, {p.listings_added:,} new listings, "
            f"{p.lines_read / self.elapsed:,.0f} lines/s"
        )


def summary(report: ImportReport, seconds: float) -> str:
    parts = [
        f"{report.listings_added:,} listings added",
        f"{report.listings_already_present:,} already present",
        f"{report.traders_added:,} traders added",
        f"{report.flags_added:,} flags added",
        f"{report.items_opened:,} review items opened",
        f"{report.images_stored:,} images stored ({report.images_unreadable:,} unreadable)",
        f"{len(report.rejected):,} lines rejected",
    ]
    head = "import interrupted; committed so far: " if report.interrupted else "import done: "
    return head + ", ".join(parts) + f" ({seconds:.1f} s)"


def run_import(
    ws: Workstation, path: Path, *, as_json: bool = False, quiet: bool = False, actor: str | None = None
) -> int:
    progress = None if quiet else ImportProgressLine(sys.stderr)
    started = time.monotonic()
    try:
        report = ws.importer.import_file(path, progress=progress, actor=actor)
    finally:
        if progress is not None:
            progress.close()
    for line in report.rejection_messages():
        sys.stderr.write(f"{path.name}: {line}\n")
    notices = report.notices_recorded  # the importer ends with the Art 16 step itself
    if as_json:
        sys.stdout.write(output.dumps(report) + "\n")
    else:
        sys.stdout.write(summary(report, time.monotonic() - started) + "\n")
        if notices:
            sys.stdout.write(f"{notices:,} notices recorded, their receipts are in the outbox\n")
        if report.interrupted:
            sys.stdout.write("run the same import again to finish it: nothing is imported twice\n")
    return report.exit_status
