"""Import of traders and listings from a JSON Lines file (``moderator-app import FILE.jsonl``).

Lines are parsed and validated one by one (a bad line is reported and skipped), then written in batches.
Each batch is one transaction, so an interruption leaves every record either complete (listing, flags,
images and review item) or absent, and running the import again finishes the job.

Two things run side by side: the calling thread parses the next batch and loads its images (outside any
transaction) while one writer thread commits the previous batch. SQLite and psycopg release the GIL while
the database works, which is about half of an import's time once the database holds a million
listings, so on a two-core machine with a core to spare that half overlaps with parsing. At most one
batch is in flight, and progress is reported (on the calling thread) once a batch is committed.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.imports.import_parsing import RecordError, parse_record
from moderator_app.domain.imports.imports import ImportProgress, ImportReport, ListingRecord, TraderRecord
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.imports.import_images import ImageLoader
from moderator_app.services.imports.import_writer import DIGEST_MASK, Batch, BatchWriter, FileState
from moderator_app.storage.db import Database
from moderator_app.storage.imports import import_repo

ProgressCallback = Callable[[ImportProgress], None]
Line = tuple[int, str | None, int]  # line number, text (None: not UTF-8), bytes read so far

_JSON = json.JSONDecoder(parse_float=Decimal)  # exact prices; one decoder, not one per line
_NEW, _SAME_BATCH, _EARLIER_BATCH = 0, 1, 2

READ_BLOCK = 4 * 1024 * 1024
YIELD_EVERY = 16
"""Lines parsed between two brief releases of the GIL: after each database call the writer thread
needs the GIL back, and without these it would wait out the switch interval (5 ms) every time."""


class ImportService:
    def __init__(
        self,
        db: Database,
        clock: Clock = system_clock,
        access: Access | None = None,
        default_actor: str | None = None,
        record_notices: Callable[[], int] | None = None,
    ) -> None:
        """``record_notices`` is the Art 16 step every import ends with (the notice service's ``sync``,
        handed in by the composition root): each notice that came in gets its record, priority and
        receipt to the notifier right away, not only when its listing is decided."""
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)
        self._default_actor = default_actor
        self._record_notices = record_notices

    def _finish(self, report: ImportReport) -> ImportReport:
        if self._record_notices is not None and not report.interrupted:
            report.notices_recorded = self._record_notices()
        return report

    def _importer(self, actor: str | None) -> str:
        """Who imports (each batch is an audit event in their name); checked once accounts exist."""
        name = (actor or self._default_actor or "").strip() or "import"
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, name, Right.IMPORT)
        return name

    def import_file(
        self,
        path: Path,
        progress: ProgressCallback | None = None,
        batch_size: int = 2000,
        *,
        actor: str | None = None,
    ) -> ImportReport:
        """Import a JSONL file; image paths are relative to its folder.

        Raises InvalidInput when the file cannot be opened. Ctrl-C (KeyboardInterrupt) stops after
        rolling back the batch being written: the report then has ``interrupted=True``.
        """
        path = Path(path)
        actor = self._importer(actor)
        try:
            fh = path.open("rb")
        except FileNotFoundError:
            raise InvalidInput(f"cannot read {path}: no such file") from None
        except IsADirectoryError:
            raise InvalidInput(f"cannot read {path}: it is a folder, not a file") from None
        except PermissionError:
            raise InvalidInput(f"cannot read {path}: permission denied") from None
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
        with fh:
            total = os.fstat(fh.fileno()).st_size
            run = _ImportRun(self._db, self._clock, path.parent, progress, total, actor)
            report = run.run(_file_lines(fh), batch_size)
        return self._finish(report)

    def import_lines(
        self,
        lines: Iterable[str],
        base_dir: Path,
        progress: ProgressCallback | None = None,
        batch_size: int = 2000,
        *,
        actor: str | None = None,
    ) -> ImportReport:
        """Import JSONL lines made in memory; image paths are relative to ``base_dir``."""
        run = _ImportRun(self._db, self._clock, Path(base_dir), progress, None, self._importer(actor))
        return self._finish(run.run(_text_lines(lines), batch_size))


def _file_lines(fh: BinaryIO) -> Iterator[Line]:
    """Lines of a file read in large blocks: each read releases the GIL, and taking it back while the
    writer thread runs costs up to the interpreter's switch interval, so reads must be rare."""
    pos = 0
    number = 0
    rest = b""
    while True:
        block = fh.read(READ_BLOCK)
        if not block:
            break
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        for raw in lines:
            number += 1
            pos += len(raw) + 1
            yield number, _decode(raw, number), pos
    if rest:
        yield number + 1, _decode(rest, number + 1), pos + len(rest)


def _decode(raw: bytes, number: int) -> str | None:
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _text_lines(lines: Iterable[str]) -> Iterator[Line]:
    pos = 0
    for number, text in enumerate(lines, start=1):
        pos += len(text.encode("utf-8", "surrogatepass")) + (0 if text.endswith("\n") else 1)
        yield number, text, pos


class _ImportRun:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        base_dir: Path,
        progress: ProgressCallback | None,
        total_bytes: int | None,
        actor: str = "import",
    ) -> None:
        self.db = db
        self.progress = progress
        self.total_bytes = total_bytes
        self.report = ImportReport()
        self.file = FileState()
        self.images = ImageLoader(base_dir, db.media)
        self.cancel = threading.Event()
        self.writer = BatchWriter(db, clock, self.file, self.images, self.cancel, actor)
        self.in_flight: tuple[Future[ImportReport], int] | None = None

    def run(self, lines: Iterator[Line], batch_size: int) -> ImportReport:
        batch_size = max(1, batch_size)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        batch = Batch()
        try:
            for number, text, bytes_read in lines:
                batch.report.lines_read += 1
                batch.bytes_read = bytes_read
                if number % YIELD_EVERY == 0:
                    time.sleep(0)
                self._parse(number, text, batch)
                if len(batch.records) >= batch_size:
                    self._hand_over(pool, batch)
                    batch = Batch(first_line=number + 1)
            if batch.report.lines_read:
                self._hand_over(pool, batch)
            self._finish()
        except KeyboardInterrupt:
            self.cancel.set()  # the writer rolls its batch back at its next step
            self.report.interrupted = True
            self._settle()
        finally:
            pool.shutdown(wait=True)
            self.images.close()
        return self.report

    def _hand_over(self, pool: ThreadPoolExecutor, batch: Batch) -> None:
        self._load_images(batch)
        self._finish()
        self.in_flight = (pool.submit(self.writer.write, batch), batch.bytes_read)

    def _finish(self) -> None:
        """Wait for the batch in flight (its errors surface here), count it, report progress."""
        if self.in_flight is None:
            return
        future, bytes_read = self.in_flight
        self.in_flight = None
        self.report.add(future.result())
        if self.progress is not None:
            r = self.report
            self.progress(ImportProgress(bytes_read, self.total_bytes, r.lines_read, r.listings_added))

    def _settle(self) -> None:
        """After an interruption: a batch that committed before it noticed still counts; one that was
        rolled back (cancelled, or failed meanwhile) counts for nothing."""
        if self.in_flight is not None:
            future, _ = self.in_flight
            self.in_flight = None
            with contextlib.suppress(Exception, KeyboardInterrupt):
                self.report.add(future.result())

    # -- parsing and checks within the file ---------------------------------------------------------------

    def _parse(self, number: int, text: str | None, batch: Batch) -> None:
        rejected = batch.report.rejected
        if text is None:
            rejected.append((number, "not valid UTF-8 text"))
            return
        line = text.strip()
        if not line or line.startswith("//"):
            return
        try:
            obj, end = _JSON.raw_decode(line)  # the line is stripped: no leading whitespace
            if end != len(line):
                raise json.JSONDecodeError("Extra data after the JSON value", line, end)
        except json.JSONDecodeError as exc:
            rejected.append((number, f"not valid JSON: {exc.msg} (column {exc.colno})"))
            return
        except (ValueError, RecursionError):
            rejected.append((number, "not valid JSON"))
            return
        try:
            record = parse_record(obj, line)
            trader = record if isinstance(record, TraderRecord) else record.trader
            new_trader = trader is not None and self._new_trader(trader)
            repeat = isinstance(record, ListingRecord) and self._repeat(record, batch)
        except RecordError as exc:
            rejected.append((number, str(exc)))
            if isinstance(obj, dict) and obj.get("record") == "trader" and isinstance(obj.get("id"), str):
                self.file.rejected_traders.setdefault(obj["id"].strip(), number)
            return
        # Only an accepted line defines anything.
        if new_trader:
            assert trader is not None
            self.file.traders[trader.external_id] = (number, hash(trader))
        if isinstance(record, TraderRecord):
            if new_trader:
                batch.records.append((number, record))
            return  # else: the same trader again, nothing to do
        if repeat == _SAME_BATCH:
            batch.repeats.setdefault(record.external_id, []).append(number)
            return
        self.file.note_listing(record.external_id, number, hash(record))
        batch.records.append((number, record))

    def _new_trader(self, trader: TraderRecord) -> bool:
        """True for a trader the file has not given yet; False for the same one again."""
        first = self.file.traders.get(trader.external_id)
        if first is None:
            return True
        if first[1] != hash(trader):
            raise RecordError(
                f"trader '{trader.external_id}' is given again with different content "
                f"(first on line {first[0]})"
            )
        return False

    def _repeat(self, record: ListingRecord, batch: Batch) -> int:
        """Whether a listing id was seen before. A conflict is an error. The same line again in this
        batch goes with its first copy (and is counted when that one is written); from an earlier batch
        it is simply written again, which finds it present."""
        seen = self.file.listing_seen(record.external_id)
        if seen is None:
            return _NEW
        first, written, digest = seen
        if digest != hash(record) & DIGEST_MASK:
            raise RecordError(
                f"listing '{record.external_id}' appears again with different content (first on line {first})"
            )
        return _SAME_BATCH if written >= batch.first_line else _EARLIER_BATCH

    # -- images ----------------------------------------------------------------------------------------

    def _load_images(self, batch: Batch) -> None:
        """Read, probe and store the images of the batch's listings that are not stored yet."""
        with_images = [r for _, r in batch.records if isinstance(r, ListingRecord) and r.images]
        if not with_images:
            return
        with self.db.read() as s:
            stored = import_repo.find_listings(s, [r.external_id for r in with_images])
        todo = [r for r in with_images if r.external_id not in stored]
        jobs = [(r.external_id, i, name) for r in todo for i, name in enumerate(r.images)]
        results = self.images.load([(i, name) for _, i, name in jobs])
        for (ext, _, _), image in zip(jobs, results, strict=True):
            batch.images.setdefault(ext, []).append(image)
