"""The composition root of the review window: builds the workers, the session and the window.

No globals: everything the window needs is built here and passed in; the CLI calls :func:`run_gui`.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from moderator_app.paths import resources_dir
from moderator_app.services.workstation import Workstation
from moderator_app.ui.crash import CrashHandler
from moderator_app.ui.predictions.prediction_feed import PredictionFeed
from moderator_app.ui.qt_compat import protect_singletons
from moderator_app.ui.review.image_decode import ImageDecoder
from moderator_app.ui.review.images import ImageLoader
from moderator_app.ui.review.main_window import MainWindow
from moderator_app.ui.review.session import ReviewSession
from moderator_app.ui.review.templates import DecisionTemplates
from moderator_app.ui.supervision.supervision_menu import install_supervision, login_at_start
from moderator_app.ui.tasks import TaskManager
from moderator_app.ui.theme import apply_theme, system_is_dark

ORGANIZATION = "moderator-workstation"
GIL_SWITCH_INTERVAL_S = 0.001
APPLICATION = "Moderator Workstation"


@dataclass
class ReviewWindow:
    """Everything built for one review window (the tests and the benchmark reach in through this)."""

    window: MainWindow
    session: ReviewSession
    tasks: TaskManager
    loader: ImageLoader
    decoder: ImageDecoder
    predictions: PredictionFeed | None = None
    checkpoints: QTimer | None = None
    """Signs this workstation's audit chain head every AUDIT_CHECKPOINT_MS while the window is open."""

    def shutdown(self) -> None:
        self.session.close()
        if self.predictions is not None:
            self.predictions.stop()
        self.tasks.shutdown()


def ensure_app(argv: list[str] | None = None, *, offscreen: bool | None = False) -> QApplication:
    """The QApplication (created once per process: Qt allows only one).

    ``offscreen=True`` renders without a screen (screenshots); ``None`` does so only when there is no
    display to use (PDF reports run from a terminal). An explicit $QT_QPA_PLATFORM always wins.
    """
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if offscreen or (offscreen is None and no_display):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Before the first signal of the session: PySide6 6.12.0 on Python 3.11 loses references to
    # None/True/False (qt_compat); pyproject.toml excludes that release there, this covers an old install.
    protect_singletons()
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    # Workers (database, decoding) hold the GIL in turns with the GUI thread; a short switch interval
    # hands it back to the GUI thread within a millisecond instead of five.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    return app


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own strings and ours, for the system locale (a missing .qm just means English)."""
    translators: list[QTranslator] = []
    qt = QTranslator(app)
    if qt.load(QLocale(), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        translators.append(qt)
    ours = QTranslator(app)
    if ours.load(QLocale(), "moderator", "_", str(resources_dir() / "i18n")):
        app.installTranslator(ours)
        translators.append(ours)
    return translators


def default_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, "review-window")


def build_window(
    ws: Workstation,
    reviewer: str,
    queue: str | None = None,
    *,
    settings: QSettings | None = None,
    dark: bool | None = None,
    start: bool = True,
    tasks: TaskManager | None = None,
) -> ReviewWindow:
    """Build the review window over ``ws`` for ``reviewer`` (a QApplication must exist).

    ``tasks``: the window's one task manager, when the caller made it first (the login dialog used it).
    """
    app = ensure_app()
    is_dark = apply_theme(app, dark)
    settings = settings if settings is not None else default_settings()
    tasks = tasks if tasks is not None else TaskManager()
    decoder = ImageDecoder()
    loader = ImageLoader(tasks, decoder)
    session = ReviewSession(ws.review, tasks, reviewer, ws.clock)
    window = MainWindow(
        session, loader, DecisionTemplates.load(), settings, database=ws.description, dark=is_dark
    )
    tasks.setParent(window)
    loader.setParent(window)
    session.setParent(window)
    built = ReviewWindow(window, session, tasks, loader, decoder)
    built.predictions = PredictionFeed(ws.predictions, window, tasks, window)  # issue 4: the models' view
    built.predictions.failed.connect(lambda line: window.messages.show_message("warning", line))
    install_supervision(window, ws, tasks, reviewer)  # issue 6: Supervision menu, single-user notice
    built.checkpoints = _audit_checkpoints(window, ws, tasks)
    window.closing.connect(built.tasks.shutdown)
    tasks.failed.connect(lambda exc: window.messages.show_message("error", str(exc)))
    if start:
        remembered = settings.value("review/queue")
        session.start(queue or (remembered if isinstance(remembered, str) else None) or None)
        if session.queue is None:
            session.countsChanged.connect(lambda counts: _first_queue(window, counts))
    return built


AUDIT_CHECKPOINT_MS = 15 * 60 * 1000
"""How often an open window signs its audit chain head (only when the chain moved on since the last
checkpoint): a day's work in the window is anchored outside the database as it goes, not only on quit."""

_log = logging.getLogger(__name__)


def _audit_checkpoints(window: MainWindow, ws: Workstation, tasks: TaskManager) -> QTimer:
    timer = QTimer(window)
    timer.setInterval(AUDIT_CHECKPOINT_MS)

    def sign() -> None:
        tasks.db(
            ws.audit.checkpoint_if_due,
            on_error=lambda exc: _log.warning("audit checkpoint not written: %s", exc),
        )

    timer.timeout.connect(sign)
    timer.start()
    window.closing.connect(timer.stop)
    return timer


def _first_queue(window: MainWindow, counts: list) -> None:  # type: ignore[type-arg]
    """Without a queue named or remembered, open the first one that has work."""
    if window.session.queue is None:
        busy = [c.queue for c in counts if c.pending > 0]
        if busy:
            window.open_queue(busy[0])


def run_gui(ws: Workstation, reviewer: str, queue: str | None = None, argv: list[str] | None = None) -> int:
    """Open the review window and run until it is closed; returns the exit code."""
    app = ensure_app(argv)
    install_translations(app)
    crashes = CrashHandler(ws.settings.log_folder)  # a bug from here on: logged, and a dialog says so
    crashes.install()
    try:
        tasks = TaskManager()  # the one task manager: the login dialog's, then the window's
        logged_in = login_at_start(ws, reviewer, tasks)  # issue 6: the login dialog once accounts exist
        if logged_in is None:
            tasks.shutdown()
            return 0
        built = build_window(ws, logged_in, queue, dark=None, tasks=tasks)
        crashes.set_window(built.window)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(lambda _scheme: _retheme(app, built.window))
        built.window.show()
        built.window.focus_surface()
        return int(app.exec())
    finally:
        crashes.uninstall()


def _retheme(app: QApplication, window: MainWindow) -> None:
    dark = apply_theme(app, system_is_dark())
    window.listing.set_dark(dark)


def settings_in(folder: Path) -> QSettings:
    """Settings in an INI file under ``folder`` (tests, screenshots: never the user's real settings)."""
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "review-window.ini"), QSettings.Format.IniFormat)
