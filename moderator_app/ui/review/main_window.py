"""The review window: queues on the left, the claimed listing in the centre, trader and flags on the right,
the decision bar below, the session's progress in the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.enums import Action, PolicyCategory
from moderator_app.domain.review.model import QueueCount, ReviewCase
from moderator_app.ui import labels
from moderator_app.ui.messages import MessageBar
from moderator_app.ui.models import KEY_ROLE, QueueModel
from moderator_app.ui.predictions.predictions_panel import PredictionsPanel
from moderator_app.ui.review.decision_bar import DecisionBar, PendingDecision
from moderator_app.ui.review.flags_panel import FlagsPanel
from moderator_app.ui.review.image_view import ImagePane
from moderator_app.ui.review.images import ImageLoader
from moderator_app.ui.review.listing_view import ListingView
from moderator_app.ui.review.session import ReviewSession
from moderator_app.ui.review.shortcuts import CheatSheet, make_actions
from moderator_app.ui.review.templates import DecisionTemplates
from moderator_app.ui.review.trader_panel import TraderPanel
from moderator_app.ui.status import StatusLine
from moderator_app.ui.widgets import PlainLabel, card, heading, page, scrolling

PAGE_CASE, PAGE_LOADING, PAGE_EMPTY, PAGE_IDLE = range(4)
PAN_STEP = 80


class MainWindow(QMainWindow):
    """Signals:
    caseShown(int): the item (by id) is fully on screen, its first image included.
    emptyShown(str): the calm "queue is empty" page is shown for a queue.
    closing(): the window is closing; the session gave its items back (stop the workers now).
    """

    caseShown = Signal(int)
    emptyShown = Signal(str)
    closing = Signal()

    def __init__(
        self,
        session: ReviewSession,
        loader: ImageLoader,
        templates: DecisionTemplates,
        settings: QSettings,
        *,
        database: str = "",
        dark: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("reviewWindow")
        self.session = session
        self.loader = loader
        self.settings = settings
        self._awaiting: int | None = None
        self.setWindowTitle(self.tr("Moderator Workstation — Review"))

        # Left: queues.
        self.queue_model = QueueModel(self)
        self.queues = QTableView()
        self.queues.setObjectName("queueList")
        self.queues.setModel(self.queue_model)
        self.queues.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queues.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queues.verticalHeader().hide()
        self.queues.horizontalHeader().hide()
        self.queues.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.queues.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.queues.horizontalHeader().resizeSection(1, self.fontMetrics().horizontalAdvance("00000") + 16)
        self.queues.horizontalHeader().setMinimumSectionSize(20)
        self.queues.setShowGrid(False)
        self.queues.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.queues.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 16)
        self.queues.clicked.connect(lambda idx: self._open_queue_row(idx.row()))
        self.queue_hint = PlainLabel(self.tr("Ctrl+1 … Ctrl+9 open a queue"), None)
        self.queue_hint.setObjectName("mutedText")
        left = card(heading(self.tr("Queues")), self.queues, self.queue_hint)

        # Centre: message, listing and images; or the loading / empty / idle pages.
        self.messages = MessageBar()
        self.listing = ListingView()
        self.images = ImagePane(loader)
        self.centre_split = QSplitter(Qt.Orientation.Horizontal)
        self.centre_split.setObjectName("centreSplit")
        self.centre_split.addWidget(self.listing.description_panel)
        self.centre_split.addWidget(self.images)
        self.centre_split.setStretchFactor(0, 2)
        self.centre_split.setStretchFactor(1, 3)
        self.centre_split.setChildrenCollapsible(False)
        self.listing.description_panel.setMinimumWidth(220)
        self.images.setMinimumWidth(320)
        case_page = QWidget()
        cpl = QVBoxLayout(case_page)
        cpl.setContentsMargins(0, 0, 0, 0)
        cpl.setSpacing(10)
        cpl.addWidget(self.listing)
        cpl.addWidget(self.centre_split, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(case_page)
        self.pages.addWidget(page(self.tr("Loading the next item…"), ""))
        self.empty_page = page(self.tr("The queue is empty"), "")
        self.pages.addWidget(self.empty_page)
        self.pages.addWidget(
            page(self.tr("Choose a queue"), self.tr("Pick a queue on the left, or press Ctrl+1 … Ctrl+9."))
        )
        self.pages.setCurrentIndex(PAGE_IDLE)
        centre = card(self.messages, self.pages)
        centre.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.surface = centre

        # Right: trader and flags.
        self.trader = TraderPanel()
        self.flags = FlagsPanel()
        self.predictions_panel = PredictionsPanel()  # filled by the PredictionFeed (ui/prediction_feed.py)
        right_inner = QWidget()
        rl = QVBoxLayout(right_inner)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(10)
        rl.addWidget(card(self.trader))
        rl.addWidget(card(self.predictions_panel))
        rl.addWidget(card(self.flags), 1)
        self.flags.list.setMinimumHeight(150)
        # Without a listing on screen (loading, empty queue) the column stays, blank: nothing jumps.
        self.right_stack = QStackedWidget()
        self.right_stack.addWidget(scrolling(right_inner))
        self.right_stack.addWidget(QWidget())
        self.right_stack.setCurrentIndex(1)
        right = self.right_stack

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("mainSplit")
        self.split.addWidget(left)
        self.split.addWidget(centre)
        self.split.addWidget(right)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 1)
        self.split.setStretchFactor(2, 0)
        self.split.setSizes([210, 790, 420])
        self.split.setChildrenCollapsible(False)
        left.setMinimumWidth(190)
        right.setMinimumWidth(360)

        self.bar = DecisionBar(templates)
        central = QWidget()
        central.setObjectName("centralArea")
        cl = QVBoxLayout(central)
        cl.setContentsMargins(10, 10, 10, 0)
        cl.setSpacing(10)
        cl.addWidget(self.split, 1)
        cl.addWidget(self.bar)
        self.setCentralWidget(central)

        self.status = StatusLine(self.statusBar(), session.reviewer, database)
        self.listing.set_dark(dark)
        self._wire()
        self._restore_settings()
        self.bar.reset_for(None)

    # -- wiring -------------------------------------------------------------------------------------

    def _wire(self) -> None:
        s = self.session
        s.caseChanged.connect(self._show_case)
        s.prefetched.connect(self._preload)
        s.stateChanged.connect(self._state_changed)
        s.countsChanged.connect(self._counts_changed)
        s.statsChanged.connect(self._stats_changed)
        s.message.connect(self.messages.show_message)
        s.decisionRestored.connect(self._restore_decision)
        self.bar.confirmed.connect(self._confirm)
        self.bar.skipRequested.connect(s.skip)
        self.bar.incomplete.connect(
            lambda missing: self.messages.show_message(
                "warning", self.tr("Not yet: the decision still needs %1.").replace("%1", ", ".join(missing))
            )
        )
        self.bar.explanation.left.connect(self.focus_surface)
        self.images.imageShown.connect(self._image_shown)
        self.actions = make_actions(
            self,
            {
                "no_violation": lambda: self._arm(Action.NO_VIOLATION),
                "remove": lambda: self._arm(Action.REMOVE),
                "restrict": lambda: self._arm(Action.RESTRICT),
                "warn": lambda: self._arm(Action.WARN),
                "escalate": lambda: self._arm(Action.ESCALATE),
                "skip": self._skip,
                "confirm": self.bar.confirm,
                "cancel": self._cancel,
                "category": self._when_case(self.bar.choose_category),
                "ground": self.bar.toggle_ground,
                "explain": self._when_case(self.bar.edit_explanation),
                "undo": s.undo,
                "next_image": self.images.next_image,
                "previous_image": self.images.previous_image,
                "zoom_in": lambda: self.images.canvas.zoom_by(1.25),
                "zoom_out": lambda: self.images.canvas.zoom_by(0.8),
                "fit": self.images.canvas.fit,
                "pan_left": lambda: self.images.canvas.pan(-PAN_STEP, 0),
                "pan_right": lambda: self.images.canvas.pan(PAN_STEP, 0),
                "pan_up": lambda: self.images.canvas.pan(0, -PAN_STEP),
                "pan_down": lambda: self.images.canvas.pan(0, PAN_STEP),
                "blur": self.images.toggle_blur,
                "description": lambda: self.listing.description.setFocus(Qt.FocusReason.ShortcutFocusReason),
                "refresh": s.refresh_counts,
                "help": self.show_cheat_sheet,
                "quit": self.close,
            },
        )
        self._queue_shortcuts = []
        for n in range(1, 10):
            sc = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            sc.activated.connect(lambda n=n: self._open_queue_row(n - 1))
            self._queue_shortcuts.append(sc)

    # -- session events -----------------------------------------------------------------------------

    def _show_case(self, case: ReviewCase | None) -> None:
        self.bar.reset_for(case)
        self.right_stack.setCurrentIndex(0 if case is not None else 1)
        if case is None:
            self._awaiting = None
            return
        self._awaiting = case.item.id
        self.pages.setCurrentIndex(PAGE_CASE)
        self.listing.show_listing(case.listing)
        self.trader.show_trader(case.trader)
        self.flags.show_flags(case.flags)
        sensitive = any(f.category is PolicyCategory.ADULT_CONTENT for f in case.flags)
        self.images.set_images(case.images, blurred=sensitive)  # may call _image_shown at once (cached)
        self.status.update_stats(self.session.stats())

    def _image_shown(self, image_id: int) -> None:
        case = self.session.current
        if case is None or self._awaiting != case.item.id:
            return
        first = case.images[0].id if case.images else -1
        if image_id == first:
            self._awaiting = None
            self.caseShown.emit(case.item.id)

    def _preload(self, case: ReviewCase) -> None:
        if case.images:
            self.loader.prefetch(case.images[:1], self.images.view_box())
            self.loader.prefetch(case.images, self.images.thumb_box())

    def _state_changed(self, state: str) -> None:
        if state == "reviewing":
            self.pages.setCurrentIndex(PAGE_CASE)
        elif state == "loading":
            self.pages.setCurrentIndex(PAGE_LOADING)
        elif state == "empty":
            self._fill_emptypage()
            self.pages.setCurrentIndex(PAGE_EMPTY)
            self.emptyShown.emit(self.session.queue or "")
        elif state == "refused":
            title, text = self.empty_page.findChildren(PlainLabel)[:2]
            title.setText(self.tr("This queue is not open to you"))
            text.setText(self.session.refusal or "")
            self.pages.setCurrentIndex(PAGE_EMPTY)
        else:
            self.pages.setCurrentIndex(PAGE_IDLE)
        self.bar.setEnabled(state == "reviewing")

    def _fill_emptypage(self) -> None:
        title, text = self.empty_page.findChildren(PlainLabel)[:2]
        name = labels.queue_label(self.session.queue or "")
        title.setText(self.tr("The queue is empty"))
        text.setText(
            self.tr(
                "Nothing is waiting in %1 right now. New items show up here by themselves; or open another queue (Ctrl+1 … Ctrl+9)."
            ).replace("%1", name)
        )

    def _counts_changed(self, counts: list[QueueCount]) -> None:
        self.queue_model.update_counts(counts)
        self._select_queue_row()

    def _stats_changed(self) -> None:
        stats = self.session.stats()
        self.status.update_stats(stats)
        queue = labels.queue_label(self.session.queue) if self.session.queue else ""
        where = self.status.position.text() if self.session.current is not None else ""
        self.messages.set_idle_text("  ·  ".join(p for p in (queue, where) if p))

    def _restore_decision(self, pending: PendingDecision) -> None:
        self.bar.restore(pending)

    # -- actions ------------------------------------------------------------------------------------

    def _arm(self, action: Action) -> None:
        if self.session.current is not None:
            self.bar.arm(action)

    def _skip(self) -> None:
        if self.session.current is not None:
            self.session.skip()

    def _confirm(self, pending: PendingDecision) -> None:
        if self.messages.level in ("error", "warning"):
            self.messages.dismiss()
        self.session.decide(pending)
        self.focus_surface()

    def _cancel(self) -> None:
        if self.bar.armed_action() is not None:
            self.bar.disarm()
        elif self.messages.level:
            self.messages.dismiss()
        self.focus_surface()

    def _when_case(self, fn: object) -> object:
        def run() -> None:
            if self.session.current is not None:
                fn()  # type: ignore[operator]

        return run

    def _open_queue_row(self, row: int) -> None:
        if 0 <= row < self.queue_model.rowCount():
            self.open_queue(self.queue_model.index(row, 0).data(KEY_ROLE))

    def open_queue(self, queue: str) -> None:
        self.session.open_queue(queue)
        self._select_queue_row()
        self.status.update_stats(self.session.stats())
        self.focus_surface()

    def _select_queue_row(self) -> None:
        row = self.queue_model.row_of(self.session.queue or "")
        if row >= 0 and self.queues.currentIndex().row() != row:
            self.queues.selectRow(row)

    def focus_surface(self) -> None:
        self.surface.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_cheat_sheet(self) -> None:
        sheet = CheatSheet(self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.open()
        self.cheat_sheet = sheet

    # -- settings and closing -----------------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self.settings.value("review/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1440, 900)
        for key, splitter in self._splitters():
            state = self.settings.value(key)
            if isinstance(state, QByteArray | bytes) and state:
                splitter.restoreState(QByteArray(state))

    def _splitters(self) -> list[tuple[str, QSplitter]]:
        return [
            ("review/split", self.split),
            ("review/centreSplit", self.centre_split),
        ]

    def save_settings(self) -> None:
        self.settings.setValue("review/geometry", self.saveGeometry())
        for key, splitter in self._splitters():
            self.settings.setValue(key, splitter.saveState())
        if self.session.queue:
            self.settings.setValue("review/queue", self.session.queue)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.messages.stop()
        self.session.close()
        self.closing.emit()
        super().closeEvent(event)
