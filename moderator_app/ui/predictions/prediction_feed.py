"""Brings the models' predictions to the review window, never on the GUI thread.

When a case is shown its stored predictions are read on a worker (about 1.5 ms); a listing nobody has
scored yet is scored there without OCR (about 30 ms an image). The result fills the Predictions card,
draws OCR and text-finding boxes over the image, blurs images the adult-content model flags, and tells the
session which prediction and finding ids are on screen, so the decision records them. Background scoring
of the next few items of the queue (with OCR) keeps the reviewer from waiting.

The feed uses the window's one :class:`TaskManager`: stored predictions on its ``reads`` pool, model runs
on its ``inference`` thread, so a model run never holds up the reviewer's writes (the writer thread) or
image decodes; closing the window stops it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Signal

from moderator_app.domain.predictions.model import ImagePredictions, ImageState, ListingPredictions
from moderator_app.domain.review.model import ReviewCase
from moderator_app.services.predictions.service import PredictionService
from moderator_app.ui.review.main_window import MainWindow
from moderator_app.ui.review.overlays import clear_overlays, draw_overlays
from moderator_app.ui.tasks import TaskManager

FETCH, AHEAD_GROUP = "predictions.fetch", "predictions.ahead"
"""Task groups of the feed (inside the window's task manager, beside the session's)."""
AHEAD = 4
"""Items of the queue scored in the background ahead of the reviewer."""
AHEAD_DELAY_MS = 400
"""Background scoring waits until the window has shown the case."""
SCORE_DELAY_MS = 150
"""Scoring the shown listing (when nothing is stored) waits until its first image is on screen."""


class PredictionFeed(QObject):
    """Signals:
    shown(int): the predictions of this listing (by id) are on screen (stored or freshly scored).
    failed(str): predictions could not be read or made (one line for the person; the window carries on).
    """

    shown = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        service: PredictionService,
        window: MainWindow,
        tasks: TaskManager,
        parent: QObject | None = None,
        *,
        ahead: int = AHEAD,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._window = window
        self._session = window.session
        self._ahead = ahead
        self._tasks = tasks
        self._stopped = False
        self._ahead_running = False
        self.current: ListingPredictions | None = None
        self._item_id: int | None = None
        service.use_threads(1)  # background OCR leaves a core for the window
        self._session.caseChanged.connect(self._case_changed)
        window.images.imageShown.connect(lambda _id: self._redraw())
        window.images.thumbs.selectionModel().currentChanged.connect(self._image_changed)
        window.closing.connect(self.stop)

    # -- life cycle ---------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop background scoring and drop pending results (the window is closing)."""
        self._stopped = True  # a running score_pending sees it and returns; late results are ignored
        self._tasks.cancel_group(FETCH)
        self._tasks.cancel_group(AHEAD_GROUP)

    def busy(self) -> bool:
        """Reading or scoring the shown listing (background scoring ahead does not count)."""
        return self._tasks.pending(FETCH) > 0

    # -- cases --------------------------------------------------------------------------------------

    def _case_changed(self, case: ReviewCase | None) -> None:
        self.current = None
        panel = self._window.predictions_panel
        clear_overlays(self._window.images.canvas)
        if case is None or self._stopped:
            self._item_id = None
            self._tasks.cancel_group(FETCH)
            panel.clear()
            return
        item_id, listing_id = case.item.id, case.listing.id
        self._item_id = item_id
        panel.show_waiting(self.tr("Looking up predictions…"))
        service = self._service
        self._tasks.reads(
            lambda: service.predictions_for_listing(listing_id),
            lambda p: self._got(item_id, p, scored=False),
            on_error=lambda exc: self._failed(item_id, exc),
            group=FETCH,
            latest_wins=True,
        )

    def _got(self, item_id: int, preds: ListingPredictions, *, scored: bool) -> None:
        if self._stopped or item_id != self._item_id:
            return
        unscored = preds.images and all(i.state is ImageState.PENDING for i in preds.images)
        if unscored and not scored:
            self._window.predictions_panel.show_waiting(self.tr("Scoring the images…"))
            service, listing_id = self._service, preds.listing_id
            self._tasks.inference(
                lambda: service.score_listing(listing_id),
                lambda p: self._got(item_id, p, scored=True),
                on_error=lambda exc: self._failed(item_id, exc),
                group=FETCH,
                delay_ms=SCORE_DELAY_MS,
                priority=1,  # before queued scoring ahead
            )
            return
        self._show(item_id, preds)
        self._score_ahead()

    def _show(self, item_id: int, preds: ListingPredictions) -> None:
        self.current = preds
        window = self._window
        window.predictions_panel.show_listing(preds, max(0, window.images.current_index()))
        evidence = self._session.shown_evidence
        evidence.clear()  # only the case on screen (a decision takes its entry at once, before this)
        evidence[item_id] = (preds.prediction_ids, preds.finding_ids)
        if preds.blur_by_default:
            window.images.set_blur_by_default(True)
        self._redraw()
        self.shown.emit(preds.listing_id)

    def _failed(self, item_id: int, exc: BaseException) -> None:
        if self._stopped or item_id != self._item_id:
            return
        line = self.tr("Predictions are not available: %1").replace("%1", str(exc) or type(exc).__name__)
        self._window.predictions_panel.show_problem(line)
        self.failed.emit(line)

    # -- the shown image ----------------------------------------------------------------------------

    def image_predictions(self) -> ImagePredictions | None:
        info = self._window.images.current_image()
        if self.current is None or info is None:
            return None
        return next((i for i in self.current.images if i.image_id == info.id), None)

    def _image_changed(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if self.current is not None and index.isValid():
            self._window.predictions_panel.show_image(index.row())
        self._redraw()

    def _redraw(self) -> None:
        draw_overlays(self._window.images.canvas, self.image_predictions())

    # -- ahead of the reviewer ----------------------------------------------------------------------

    def _score_ahead(self) -> None:
        queue = self._session.queue
        if self._ahead <= 0 or self._ahead_running or self._stopped or not queue:
            return
        self._ahead_running = True
        service, limit = self._service, self._ahead

        def stop() -> bool:
            return self._stopped

        def work() -> None:
            # The image models only (about 30 ms an image). Text reading (OCR) is left to
            # `moderator-app score`: its engine alone takes the window from ~270 MB to ~800 MB, twice the
            # memory budget of a review session; text it has read is shown here once stored.
            service.score_pending(queue, 2 * limit, ocr=False, stop=stop)

        self._tasks.inference(
            work,
            lambda _report: self._ahead_done(),
            on_error=lambda _exc: self._ahead_done(),
            group=AHEAD_GROUP,
            delay_ms=AHEAD_DELAY_MS,
        )

    def _ahead_done(self) -> None:
        self._ahead_running = False
        preds, item_id = self.current, self._item_id
        if self._stopped or preds is None or item_id is None or preds.complete:
            return
        service, listing_id = self._service, preds.listing_id
        self._tasks.reads(  # OCR may have arrived for the shown listing: show its boxes and findings
            lambda: service.predictions_for_listing(listing_id),
            lambda p: self._refreshed(item_id, p),
            group=FETCH,
        )

    def _refreshed(self, item_id: int, preds: ListingPredictions) -> None:
        if (
            not self._stopped
            and item_id == self._item_id
            and preds.prediction_ids != (self.current.prediction_ids if self.current else ())
        ):
            self._show(item_id, preds)
