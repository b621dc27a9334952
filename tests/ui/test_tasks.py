"""The thread bridge: results come back on the GUI thread, latest wins, decisions are never dropped."""

from __future__ import annotations

import threading
import time

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from moderator_app.domain.errors import DatabaseUnavailable
from moderator_app.ui.app import ReviewWindow
from moderator_app.ui.tasks import Executor, TaskManager
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


def test_the_writer_runs_one_job_at_a_time_in_the_order_submitted(qtbot: QtBot) -> None:
    tm = TaskManager()
    started: list[int] = []
    delivered: list[int] = []
    running = [0]
    overlap = [0]
    lock = threading.Lock()

    def write(n: int) -> int:
        with lock:
            running[0] += 1
            overlap[0] = max(overlap[0], running[0])
            started.append(n)
        time.sleep(0.002 * (n % 3))  # uneven lengths: a pool of several threads would reorder them
        with lock:
            running[0] -= 1
        return n

    for n in range(30):
        # decisions held back until the paint, and undos and releases that are not, interleaved
        tm.db(lambda n=n: write(n), delivered.append, essential=True, delay_ms=40 if n % 4 == 0 else 0)
    qtbot.waitUntil(lambda: len(delivered) == 30, timeout=10_000)
    assert started == list(range(30))
    assert delivered == list(range(30))
    assert overlap[0] == 1
    tm.shutdown()


def test_an_undo_pressed_while_its_decision_is_held_back_runs_after_it(qtbot: QtBot) -> None:
    tm = TaskManager()
    ran: list[str] = []
    tm.db(lambda: ran.append("decide"), essential=True, delay_ms=150)  # waits for the paint
    tm.db(lambda: ran.append("undo"), essential=True)  # pressed at once: must not overtake
    assert tm.held() == 2
    qtbot.waitUntil(lambda: tm.pending() == 0, timeout=5000)
    assert ran == ["decide", "undo"]
    tm.shutdown()


def test_a_cancelled_held_writer_job_lets_the_next_one_go(qtbot: QtBot) -> None:
    tm = TaskManager()
    ran: list[str] = []
    first = tm.db(lambda: ran.append("claim"), group="claim", delay_ms=60_000)
    tm.db(lambda: ran.append("release"), essential=True)
    tm.cancel(first)
    qtbot.waitUntil(lambda: ran == ["release"], timeout=5000)
    assert tm.pending() == 0 and tm.held() == 0
    tm.shutdown()


def test_a_busy_writer_holds_up_neither_reads_nor_decodes_nor_inference(qtbot: QtBot) -> None:
    tm = TaskManager()
    gate = threading.Event()
    tm.db(gate.wait)  # a long write
    got: list[str] = []
    tm.reads(lambda: "read", got.append)
    tm.image(lambda: "decode", got.append)
    tm.inference(lambda: "score", got.append)
    qtbot.waitUntil(lambda: len(got) == 3, timeout=5000)
    assert sorted(got) == ["decode", "read", "score"]
    assert tm.threads(Executor.WRITER) == 1
    gate.set()
    tm.shutdown()


def test_the_prediction_feed_works_in_the_windows_task_manager(review: ReviewWindow) -> None:
    # Before issue 9 the feed made a second manager of its own (its parent was the feed).
    live = [tm for tm in list(TaskManager._instances) if shiboken6.isValid(tm)]
    assert [tm for tm in live if tm.parent() in (review.window, review.predictions)] == [review.tasks]
