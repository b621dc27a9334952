"""Product-safety predictions: scoring in the background, and what the review window shows beside images.

A prediction helps a moderator look; it never decides. The service

- scores pending review items (``score_pending``: resumable, Ctrl-C safe, nothing scored twice) or one
  listing at once (``score_listing``, for the window's background worker scoring ahead of the reviewer);
- runs all models on arbitrary image files (``predict_files``: for investigators and scripts);
- hands the window one DTO per listing (``predictions_for_listing``): category bars, top labels, the
  adult score and whether to blur, OCR text and text-rule findings with boxes, model versions, and the
  ids to pass to ``ReviewService.decide`` so the decision records what was on screen.

Models are loaded on first use (never when the workstation is built). Every method may be called from a
worker thread; none may be called on the GUI thread except :meth:`status` after the first load.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from moderator_app.domain.errors import NotFound
from moderator_app.domain.predictions.model import (
    DecisionEvidence,
    FilePrediction,
    ListingPredictions,
    ModelRef,
    ScoreReport,
)
from moderator_app.inference.images import ImageUnreadable, PreparedImage, prepare, read_bytes
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.predictions.predictions_engines import EngineLoader, Engines
from moderator_app.services.predictions.predictions_pipeline import (
    BATCH,
    Pipeline,
    ProgressCallback,
    StopCheck,
)
from moderator_app.storage.db import Database
from moderator_app.storage.predictions import prediction_repo as repo
from moderator_app.storage.predictions import prediction_views


class PredictionService:
    def __init__(
        self,
        db: Database,
        clock: Clock = system_clock,
        *,
        models_dir: Path | None = None,
        rules_path: Path | None = None,
        threads: int | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._loader = EngineLoader(models_dir, rules_path, threads)

    # -- set-up ------------------------------------------------------------------------------------------

    def engines(self) -> Engines:
        """The loaded models and rules (loads them on first call: about half a second)."""
        return self._loader.get()

    def adopt(self, engines: Engines) -> None:
        """Use engines another service has loaded (several workstations in one process, tests)."""
        self._loader.adopt(engines)

    def problems(self) -> tuple[str, ...]:
        """One sentence per thing that is off (a model file missing or altered, a bad text rule)."""
        return self.engines().problems

    def models(self) -> tuple[ModelRef, ...]:
        return self.engines().refs(ocr=True)

    def use_threads(self, threads: int | None) -> None:
        """onnxruntime threads per model and for OCR (None: one per image model, OCR on every core).
        The window passes 1 so OCR in the background keeps a core free. Takes effect at the next load:
        call it before the first use."""
        self._loader.reset(threads=threads)

    def reload_rules(self, rules_path: Path | None = None) -> None:
        """Read the text rules again (after a supervisor edited them); the next scoring run rescans the
        listings' text with them (images are not run through the models again)."""
        self._loader.reload_rules(rules_path)

    # -- scoring -----------------------------------------------------------------------------------------

    def score_pending(
        self,
        queue: str | None = None,
        limit: int | None = None,
        progress: ProgressCallback | None = None,
        *,
        ocr: bool = True,
        stop: StopCheck | None = None,
    ) -> ScoreReport:
        """Score the open review items not yet scored with the current models and rules, in queue order.

        Each chunk of listings is one transaction. Ctrl-C (KeyboardInterrupt) or ``stop()`` returning True
        ends the run with ``interrupted=True``; running it again carries on, and nothing is scored twice.
        """
        engines = self.engines()
        report = ScoreReport(problems=list(engines.problems))
        pipeline = Pipeline(self._db, self._clock, engines, ocr=ocr)
        try:
            with self._db.read() as s:
                items = repo.pending_items(s, pipeline.scan_key, queue, limit)
        except KeyboardInterrupt:
            report.interrupted = True
            return report
        return pipeline.run([listing_id for _, listing_id in items], report, progress, stop)

    def score_listing(self, listing_id: int, *, ocr: bool = False) -> ListingPredictions:
        """Score one listing now (cached images cost nothing) and return what the window shows.

        Without OCR (the default) this takes about 40 ms an image: the window's background worker calls
        it for the next items; OCR follows in background scoring (``score_pending``).
        """
        with self._db.read() as s:
            if not repo.listing_texts(s, [listing_id]):
                raise NotFound(f"no listing {listing_id}")
        Pipeline(self._db, self._clock, self.engines(), ocr=ocr).run([listing_id], ScoreReport())
        return self.predictions_for_listing(listing_id)

    def predict_files(self, paths: Sequence[Path], *, ocr: bool = True) -> list[FilePrediction]:
        """Run every model on image files; an unreadable file gets its reason, the others their results.

        Files are taken a batch at a time, so memory stays flat however many are given."""
        engines = self.engines()
        use_ocr = ocr and engines.ocr.available
        refs = engines.refs(ocr=use_ocr)
        out: list[FilePrediction] = []
        for start in range(0, len(paths), BATCH):
            batch: list[FilePrediction | PreparedImage] = []
            for path in paths[start : start + BATCH]:
                try:
                    batch.append(prepare(read_bytes(Path(path)), engines.models.input_specs, ocr=use_ocr))
                except ImageUnreadable as exc:
                    batch.append(FilePrediction(str(path), False, problem=str(exc)))
            ready = [img for img in batch if isinstance(img, PreparedImage)]
            scores = iter(engines.models.classify(ready))
            for path, item in zip(paths[start : start + BATCH], batch, strict=True):
                if isinstance(item, FilePrediction):
                    out.append(item)
                    continue
                res = next(scores)
                lines = (
                    engines.ocr.read(item.ocr, item.ocr_scale) if use_ocr and item.ocr is not None else None
                )
                findings = tuple(engines.rules.find_in_ocr(lines, 0)) if lines else ()
                out.append(
                    FilePrediction(
                        str(path),
                        True,
                        None,
                        item.width,
                        item.height,
                        res.product,
                        res.adult,
                        lines,
                        findings,
                        refs,
                    )
                )
        return out

    # -- what the window shows ---------------------------------------------------------------------------

    def predictions_for_listing(self, listing_id: int) -> ListingPredictions:
        """Stored results only (no model runs): a few milliseconds, safe to call for every item shown."""
        engines = self.engines()
        key, _ = engines.scan_key(ocr=True)
        current = {(r.id, r.version) for r in engines.refs(ocr=True)}
        with self._db.read() as s:
            return prediction_views.listing_predictions(
                s, listing_id, key, current, engines.wanted(ocr=True), engines.problems
            )

    def shown_at_decision(self, decision_id: int) -> DecisionEvidence:
        """The predictions and findings that were on screen when a decision was made (for audits)."""
        with self._db.read() as s:
            return repo.evidence(s, decision_id)
