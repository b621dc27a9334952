"""The crash hook of the window: a bug anywhere (a slot, a worker thread) is logged and told to the person.

Without it an exception raised in a Qt slot is printed to a terminal nobody sees and the window goes on
in an unknown state. Like qutebrowser's ``misc/crashsignal.py``: the traceback goes to the log file in
the log folder (Settings.log_folder, the file the command line writes its bugs to) and a dialog says,
in plain text, that this is a bug, that what was saved stays saved, and where the details are.
Exceptions from other threads reach the dialog through a queued signal (widgets live on the GUI thread).
"""

from __future__ import annotations

import sys
import threading
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

LOG_FILE = "moderator-app.log"
SUMMARY_LIMIT = 300
IN_WINDOW = "the window"  # log-file wording (the log is for developers), not shown in the dialog

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def write_crash_log(log_dir: Path, exc: BaseException, where: str) -> Path | None:
    """Append the traceback to the log file; None when the folder cannot be written."""
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / LOG_FILE
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} bug in {where}\n")
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return None


class CrashHandler(QObject):
    """Installs ``sys.excepthook`` and ``threading.excepthook`` for the window's lifetime.

    Signals:
        crashed(str, str): the log file ("" when it could not be written) and the one-line summary,
            emitted on the GUI thread after the bug was logged, before the dialog shows.
    """

    crashed = Signal(str, str)
    _reported = Signal(object, str)  # (exception, where), queued to the GUI thread from any thread

    def __init__(self, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        self._window = parent
        self._showing = False
        self._previous: tuple[object, object] | None = None
        self._reported.connect(self._report, Qt.ConnectionType.QueuedConnection)

    def set_window(self, window: QWidget) -> None:
        """The window the dialog belongs to (once it exists; the login dialog comes first)."""
        self._window = window
        self.setParent(window)

    def install(self) -> None:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self._excepthook
            threading.excepthook = self._thread_excepthook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._previous is not None:
            self._previous[0](exc_type, exc, tb)  # type: ignore[operator]
            return
        self._reported.emit(exc.with_traceback(tb), IN_WINDOW)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a thread"
        self._reported.emit(args.exc_value.with_traceback(args.exc_traceback), f"thread {name}")

    def _report(self, exc: BaseException, where: str) -> None:
        path = write_crash_log(self.log_dir, exc, where)
        summary = f"{type(exc).__name__}: {exc}"
        if len(summary) > SUMMARY_LIMIT:
            summary = summary[: SUMMARY_LIMIT - 1] + "…"
        self.crashed.emit(str(path) if path else "", summary)
        if self._showing:  # one dialog at a time: a bug in every paint must not stack dialogs
            return
        self._showing = True
        try:
            self.dialog(path, summary).exec()
        finally:
            self._showing = False

    def dialog(self, path: Path | None, summary: str) -> QMessageBox:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("Internal error"))
        box.setTextFormat(Qt.TextFormat.PlainText)  # the message may quote listing text: never rich text
        where = (
            self.tr("The details are in %1.").replace("%1", str(path))
            if path
            else self.tr("The details could not be written to the log folder.")
        )
        box.setText(
            self.tr("Something went wrong inside the workstation: this is a bug. Decisions already made are saved.")
            + "\n\n"
            + summary
            + "\n\n"
            + where
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        return box
