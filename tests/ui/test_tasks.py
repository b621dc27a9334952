"""The thread bridge: results come back on the GUI thread, latest wins, decisions are never dropped."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from moderator_app.domain.errors import DatabaseUnavailable
from moderator_app.ui.tasks import TaskManager
from tests.ui.conftest import work_left_behind


def test_results_and_errors_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    tm = TaskManager()
    gui = threading.get_ident()
    seen: list[tuple[str, int, object]] = []
    tm.db(threading.get_ident, lambda worker: seen.append(("done", threading.get_ident(), worker)))

    def fail() -> None:
        raise DatabaseUnavailable("the database is locked")

    tm.db(fail, on_error=lambda exc: seen.append(("error", threading.get_ident(), exc)))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    (k1, t1, worker), (k2, t2, exc) = seen
    assert (k1, k2) == ("done", "error")
    assert t1 == t2 == gui and worker != gui
    assert isinstance(exc, DatabaseUnavailable)
    tm.shutdown()


def test_latest_wins_within_a_group(qtbot: QtBot) -> None:
    tm = TaskManager(image_threads=1)
    gate = threading.Event()
    delivered: list[int] = []
    tm.image(gate.wait, group="block")  # occupies the only thread
    for n in range(5):
        tm.image(lambda n=n: n, delivered.append, group="view", latest_wins=True)
    gate.set()
    qtbot.waitUntil(lambda: tm.pending() == 0, timeout=3000)
    assert delivered == [4]
    tm.shutdown()


def test_shutdown_finishes_essential_work_and_drops_the_rest(qtbot: QtBot) -> None:
    tm = TaskManager(db_threads=1)
    done: list[str] = []
    gate = threading.Event()
    tm.db(lambda: (gate.wait(), done.append("claim"))[1], group="claim")  # running
    tm.db(lambda: done.append("prefetch"), group="claim")  # queued, may be dropped
    tm.db(lambda: (time.sleep(0.05), done.append("decision"))[1], essential=True)  # queued, must run
    threading.Timer(0.05, gate.set).start()
    assert tm.shutdown(5000)
    assert "decision" in done and "prefetch" not in done
    assert tm.pending() == 0


def test_the_leftover_work_guard_notices_running_work(qapp: QApplication) -> None:
    tm = TaskManager()
    gate = threading.Event()
    tm.db(gate.wait)
    assert work_left_behind(qapp)  # what the autouse fixture would fail on
    gate.set()
    tm.shutdown()
    assert not work_left_behind(qapp)


def test_a_closed_manager_refuses_new_work() -> None:
    tm = TaskManager()
    tm.shutdown()
    with pytest.raises(RuntimeError):
        tm.db(lambda: None)
