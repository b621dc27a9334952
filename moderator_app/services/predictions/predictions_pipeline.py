"""The scoring pipeline: listings in chunks, each chunk one transaction, nothing scored twice.

For each chunk of listings: read their text and images (one short read), find which images still lack a
prediction of the current model versions, decode those (in a helper thread, while the models run on the
previous chunk), run the models in batches, then in one write transaction store the predictions, the
text findings and the priority boost of each listing. Ctrl-C or a stop request loses at most the chunk
in hand; the next run carries on where this one stopped, because every stored result is a cache hit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from moderator_app.domain.predictions.model import (
    AdultResult,
    ModelKind,
    ProductTypeResult,
    ScoreProgress,
    ScoreReport,
)
from moderator_app.domain.predictions.ocr import OcrLine
from moderator_app.domain.predictions.prediction_policy import priority_boost
from moderator_app.inference.images import ImageUnreadable, PreparedImage, prepare, read_bytes
from moderator_app.services.clock import Clock
from moderator_app.services.predictions.predictions_engines import Engines
from moderator_app.storage.db import Database
from moderator_app.storage.predictions import prediction_repo as repo
from moderator_app.storage.predictions import prediction_rows as prow

ProgressCallback = Callable[[ScoreProgress], None]
StopCheck = Callable[[], bool]

BATCH = 8  # images per onnxruntime call
CHUNK = 16  # listings per transaction without OCR
CHUNK_OCR = 4  # with OCR (about a second an image): progress and Ctrl-C stay prompt


@dataclass
class _ListingData:
    listing_id: int
    title: str
    description: str
    images: list[tuple[int, str]]  # (position, sha256) of readable stored images


@dataclass
class _Plan:
    listings: list[_ListingData]
    done: dict[int, int]  # listing id -> id of its scan with the current key, when it has one
    work: dict[str, set[ModelKind]]  # image sha -> models still to run
    cached: int = 0  # images of these listings with every result stored already


@dataclass
class _Prepared:
    images: dict[str, PreparedImage] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # sha -> why (corrupt: cached as an error)
    missing: set[str] = field(default_factory=set)  # stored file gone: not cached, tried again next time


class Pipeline:
    def __init__(self, db: Database, clock: Clock, engines: Engines, *, ocr: bool) -> None:
        self._db = db
        self._clock = clock
        self._e = engines
        self._ocr = ocr and engines.ocr.available
        self._kinds = engines.wanted(ocr=self._ocr)
        self._refs = {r.id: r for r in engines.refs(ocr=self._ocr)}
        self.scan_key, self.scan_models = engines.scan_key(ocr=self._ocr)
        self._seen: set[str] = set()  # images run in this pipeline (never twice, even across chunks)
        self._stop: StopCheck | None = None

    # -- planning (database reads) ----------------------------------------------------------------------

    def _plan(self, listing_ids: Sequence[int]) -> _Plan:
        with self._db.read() as s:
            texts = repo.listing_texts(s, listing_ids)
            images = repo.images_of(s, listing_ids)
            done = {lid: scan.id for lid, scan in repo.scanned(s, listing_ids, self.scan_key).items()}
            by_listing: dict[int, list[tuple[int, str]]] = {i: [] for i in listing_ids}
            for im in images:
                if im.readable and im.sha256:
                    by_listing[im.listing_id].append((im.position, im.sha256))
            shas = {sha for lid in listing_ids if lid not in done for _, sha in by_listing[lid]}
            have = repo.stored_keys(s, shas, list(self._refs.values()))
        data = [
            _ListingData(lid, texts[lid][0], texts[lid][1], by_listing[lid])
            for lid in listing_ids
            if lid in texts
        ]
        work: dict[str, set[ModelKind]] = {}
        for sha in sorted(shas):
            todo = {k for k in self._kinds if (sha, k.value) not in have}
            if todo:
                work[sha] = todo
        return _Plan(data, done, work, len(shas) - len(work))

    # -- decoding (helper thread) -------------------------------------------------------------------------

    def _prepare(self, work: dict[str, set[ModelKind]]) -> _Prepared:
        out = _Prepared()
        specs = self._e.models.input_specs
        for sha, kinds in work.items():
            if sha in self._seen:
                continue
            try:
                data = read_bytes(self._db.media.path_for(sha))
            except ImageUnreadable:
                out.missing.add(sha)
                continue
            try:
                out.images[sha] = prepare(data, specs, ocr=ModelKind.OCR in kinds)
            except ImageUnreadable as exc:
                out.failed[sha] = str(exc)
        return out

    # -- models ------------------------------------------------------------------------------------------

    def _infer(
        self, work: dict[str, set[ModelKind]], prep: _Prepared, report: ScoreReport
    ) -> list[dict[str, Any]]:
        now = self._clock()
        rows: list[dict[str, Any]] = []
        # the next chunk is decoded while this one runs, so an image shared by both may come twice
        prep.images = {sha: img for sha, img in prep.images.items() if sha not in self._seen}
        prep.failed = {sha: why for sha, why in prep.failed.items() if sha not in self._seen}
        for sha, problem in prep.failed.items():
            rows += [prow.error_row(sha, self._refs[k.value], problem, now) for k in work[sha]]
            report.images_failed += 1
            self._seen.add(sha)
        report.images_failed += len(prep.missing)
        classify = [
            sha for sha in prep.images if work[sha] & {ModelKind.PRODUCT_TYPE, ModelKind.ADULT_CONTENT}
        ]
        for start in range(0, len(classify), BATCH):
            batch = classify[start : start + BATCH]
            results = self._e.models.classify([prep.images[sha] for sha in batch])
            for sha, res in zip(batch, results, strict=True):
                size = (res.width or 0, res.height or 0)
                if res.product is not None and ModelKind.PRODUCT_TYPE in work[sha]:
                    rows.append(
                        prow.product_row(
                            sha, self._refs[ModelKind.PRODUCT_TYPE.value], res.product, size, now
                        )
                    )
                    _count(report, ModelKind.PRODUCT_TYPE)
                if res.adult is not None and ModelKind.ADULT_CONTENT in work[sha]:
                    rows.append(
                        prow.adult_row(sha, self._refs[ModelKind.ADULT_CONTENT.value], res.adult, size, now)
                    )
                    _count(report, ModelKind.ADULT_CONTENT)
        for sha, img in prep.images.items():
            if ModelKind.OCR in work[sha] and img.ocr is not None:
                if self._stop is not None and self._stop():  # OCR is slow: a stop is heard per image
                    raise _Stopped
                lines = self._e.ocr.read(img.ocr, img.ocr_scale)
                ref = self._refs[ModelKind.OCR.value]
                rows.append(
                    prow.ocr_row(sha, ref, lines, self._e.ocr.text_score, (img.width, img.height), now)
                )
                _count(report, ModelKind.OCR)
        report.images_scored += len(prep.images)
        self._seen.update(prep.images)
        return rows

    # -- writing -----------------------------------------------------------------------------------------

    def _write(self, plan: _Plan, rows: list[dict[str, Any]], report: ScoreReport) -> None:
        now = self._clock()
        current = {(r.id, r.version) for r in self._refs.values()}
        with self._db.write() as s:
            repo.insert_predictions(s, rows)
            shas = {sha for li in plan.listings for _, sha in li.images}
            results: dict[tuple[str, str], Any] = {}
            for row in repo.predictions_of(s, shas):
                if (row.model_id, row.model_version) in current and row.error is None:
                    results[(row.image_sha256, row.model_id)] = row
            new = [self._scan(li, results) for li in plan.listings if li.listing_id not in plan.done]
            scans = repo.save_scans(s, new, self.scan_key, self.scan_models, self._e.rules.version, now)
            scans.update(repo.scan_boosts(s, plan.done))
            report.items_reprioritised += repo.apply_boosts(s, scans, now)
            report.listings_scanned += len(plan.listings)

    def _scan(self, li: _ListingData, results: dict[tuple[str, str], Any]) -> repo.NewScan:
        products: list[ProductTypeResult] = []
        adults: list[AdultResult] = []
        ocr: dict[int, tuple[OcrLine, ...]] = {}
        for position, sha in li.images:
            if (row := results.get((sha, ModelKind.PRODUCT_TYPE.value))) is not None:
                products.append(prow.product_of(row))
            if (row := results.get((sha, ModelKind.ADULT_CONTENT.value))) is not None:
                adults.append(prow.adult_of(row))
            if (row := results.get((sha, ModelKind.OCR.value))) is not None:
                ocr[position] = prow.ocr_of(row)
        findings = self._e.rules.scan_listing(li.title, li.description, ocr)
        boost = priority_boost(products, adults, findings)
        return repo.NewScan(li.listing_id, boost.boost, boost.reasons, findings)

    # -- the run -----------------------------------------------------------------------------------------

    def run(
        self,
        listing_ids: Sequence[int],
        report: ScoreReport,
        progress: ProgressCallback | None = None,
        stop: StopCheck | None = None,
    ) -> ScoreReport:
        """Score ``listing_ids`` in order. Ctrl-C (KeyboardInterrupt) or ``stop()`` ends the run; the
        chunk being written is committed or rolled back whole, the one being scored is dropped, and the
        report (committed work only) says ``interrupted=True``.

        Three things overlap: a helper thread decodes chunk k+1, the calling thread runs the models on
        chunk k (onnxruntime releases the GIL), and a writer thread commits chunk k-1.
        """
        self._stop = stop
        chunks = list(_chunks(list(dict.fromkeys(listing_ids)), CHUNK_OCR if self._ocr else CHUNK))
        total = sum(len(c) for c in chunks)
        done = 0
        decoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="decode")
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write")
        writing: tuple[Future[None], ScoreReport, int] | None = None

        def committed() -> None:
            nonlocal writing, done
            if writing is None:
                return
            future, part, count = writing
            writing = None
            future.result()  # a failed write raises here, in the calling thread
            _merge(report, part)
            done += count
            if progress is not None:
                progress(ScoreProgress(done, total, report.images_scored))

        try:
            pending: tuple[_Plan, Future[_Prepared]] | None = None
            for index in range(len(chunks)):
                if stop is not None and stop():
                    report.interrupted = True
                    break
                if pending is None:
                    plan = self._plan(chunks[index])
                    pending = (plan, decoder.submit(self._prepare, plan.work))
                plan, decoding = pending
                prep = decoding.result()
                pending = None
                if index + 1 < len(chunks):  # decode the next chunk while the models run on this one
                    nxt = self._plan(chunks[index + 1])
                    pending = (nxt, decoder.submit(self._prepare, nxt.work))
                part = ScoreReport(images_cached=plan.cached)
                rows = self._infer(plan.work, prep, part)
                committed()  # at most one chunk in the writer's hands
                writing = (writer.submit(self._write, plan, rows, part), part, len(chunks[index]))
            committed()
        except (KeyboardInterrupt, _Stopped):
            report.interrupted = True
        finally:
            decoder.shutdown(wait=True, cancel_futures=True)
            writer.shutdown(wait=True)  # a write under way finishes (commits or rolls back whole)
            if writing is not None and writing[0].exception() is None:
                _merge(report, writing[1])
        return report


def _merge(report: ScoreReport, part: ScoreReport) -> None:
    report.listings_scanned += part.listings_scanned
    report.items_reprioritised += part.items_reprioritised
    report.images_scored += part.images_scored
    report.images_cached += part.images_cached
    report.images_failed += part.images_failed
    for kind, runs in part.model_runs.items():
        report.model_runs[kind] = report.model_runs.get(kind, 0) + runs


class _Stopped(Exception):
    """A stop request in the middle of a chunk: the chunk is dropped like on Ctrl-C."""


def _count(report: ScoreReport, kind: ModelKind) -> None:
    report.model_runs[kind.value] = report.model_runs.get(kind.value, 0) + 1


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
