"""The window over a temporary demo database (build_demo): a moderator's first minutes, keyboard only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from moderator_app.demo import build_demo
from moderator_app.domain.enums import Action
from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import build_window
from tests.ui.test_review_loop import decide_with_keys, key, wait_recorded


@pytest.fixture
def demo_ws(sqlite_ws: Workstation) -> Workstation:
    build_demo(sqlite_ws, listings=40, seed=11)
    return sqlite_ws


def test_five_demo_items_reviewed_with_the_keyboard_with_counters_and_undo(
    qtbot: QtBot, demo_ws: Workstation, qsettings: QSettings, tmp_path: Path
) -> None:
    queue = max(demo_ws.review.queue_counts(), key=lambda c: c.pending)
    built = build_window(demo_ws, "demo-reviewer", queue.queue, settings=qsettings, dark=False, start=False)
    qtbot.addWidget(built.window)
    with qtbot.waitSignal(built.window.caseShown, timeout=10_000):
        built.window.show()
        built.session.start(queue.queue)
    built.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is built.window, timeout=5000)
    built.window.focus_surface()

    decided = []
    for action_key in (Qt.Key.Key_R, Qt.Key.Key_N, Qt.Key.Key_W, Qt.Key.Key_R, Qt.Key.Key_N):
        case = built.session.current
        assert case is not None
        before = demo_ws.lookup.counters(case.trader.trader.external_id)
        item_id, next_id = decide_with_keys(qtbot, built, action_key)
        assert next_id != item_id and built.window.listing.external_id.text() != case.listing.external_id
        decided.append((case, before))
    wait_recorded(qtbot, built, 5)

    expected = [Action.REMOVE, Action.NO_VIOLATION, Action.WARN, Action.REMOVE, Action.NO_VIOLATION]
    for (case, _), action in zip(decided, expected, strict=True):
        standing = [
            d for d in demo_ws.lookup.listing(case.listing.external_id).decisions if d.undone_at is None
        ]
        assert [d.action for d in standing] == [action]
    # The first removal counted against its trader (together with any later decision on the same trader).
    first_case, first_before = decided[0]
    after = demo_ws.lookup.counters(first_case.trader.trader.external_id)
    assert after.violations_total > first_before.violations_total

    # Undo the last one: it comes back, its decision is taken back.
    last_case = decided[-1][0]
    with qtbot.waitSignal(built.window.caseShown, timeout=5000) as shown:
        key(qtbot, built, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0] == last_case.item.id
    assert demo_ws.lookup.listing(last_case.listing.external_id).decisions[-1].undone_at is not None
    built.window.close()
