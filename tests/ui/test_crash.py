"""The window's crash hook: a bug in a slot or a worker thread is logged and shown (issue 9)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import run_gui, settings_in
from moderator_app.ui.crash import CrashHandler
from moderator_app.ui.review.main_window import MainWindow
from moderator_app.ui.tasks import TaskManager

pytestmark = pytest.mark.qt_no_exception_capture  # the hook under test, not pytest-qt's, gets the bug


class _Button(QObject):
    clicked = Signal()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    boxes: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:  # never block the test on a modal dialog
        boxes.append(box)
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return boxes


@pytest.fixture
def handler(qtbot: QtBot, tmp_path: Path) -> Iterator[CrashHandler]:
    window = QWidget()
    qtbot.addWidget(window)
    crash = CrashHandler(tmp_path / "logs", window)
    crash.install()
    yield crash
    crash.uninstall()


def test_a_bug_in_a_slot_is_logged_and_shown_in_plain_text(
    qtbot: QtBot, handler: CrashHandler, shown: list[QMessageBox], tmp_path: Path
) -> None:
    button = _Button()

    def broken_slot() -> None:
        raise ValueError("<b>listing text</b> the slot could not handle")

    button.clicked.connect(broken_slot)
    with qtbot.waitSignal(handler.crashed, timeout=5000) as blocker:
        QTimer.singleShot(0, button.clicked.emit)  # raised inside Qt's event loop, like a real click
    log = tmp_path / "logs" / "moderator-app.log"
    assert blocker.args[0] == str(log)
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "broken_slot" in text and "bug in the window" in text
    assert len(shown) == 1
    box = shown[0]
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "this is a bug" in box.text() and str(log) in box.text()
    assert "ValueError: <b>listing text</b>" in box.text()


def test_a_bug_in_a_worker_thread_reaches_the_dialog_on_the_gui_thread(
    qtbot: QtBot, handler: CrashHandler, shown: list[QMessageBox], tmp_path: Path
) -> None:
    def work() -> None:
        raise RuntimeError("decode worker failed")

    worker = threading.Thread(target=work, name="decode-1")
    with qtbot.waitSignal(handler.crashed, timeout=5000):
        worker.start()
        worker.join()
    assert "thread decode-1" in (tmp_path / "logs" / "moderator-app.log").read_text(encoding="utf-8")
    assert len(shown) == 1 and "RuntimeError: decode worker failed" in shown[0].text()


def test_uninstall_gives_the_hooks_back(qtbot: QtBot, tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    crash = CrashHandler(tmp_path, None)
    crash.install()
    assert sys.excepthook != before[0] and threading.excepthook != before[1]
    crash.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_window_runs_with_the_crash_hook_and_one_task_manager(
    qtbot: QtBot, review_ws: Workstation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moderator_app.ui import app as app_module

    monkeypatch.setattr(app_module, "default_settings", lambda: settings_in(tmp_path / "settings"))
    before = sys.excepthook
    seen: dict[str, object] = {}

    def fake_exec(app: QApplication) -> int:  # what the event loop would find, then the person closes it
        (window,) = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen["hook"] = getattr(sys.excepthook, "__self__", None)
        seen["managers"] = window.findChildren(TaskManager)  # the login's, then the window's: one
        qtbot.waitUntil(lambda: window.session.current is not None, timeout=10_000)
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert run_gui(review_ws, "ana", "product-safety") == 0
    assert isinstance(seen["hook"], CrashHandler)
    assert len(seen["managers"]) == 1  # type: ignore[arg-type]
    assert sys.excepthook is before
