"""Errors a person can act on, the calm empty queue, the explanation field, the cheat sheet and the
window's remembered geometry.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from moderator_app.domain.enums import Action, PolicyCategory
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.ui.app import ReviewWindow, build_window
from moderator_app.ui.review.shortcuts import CheatSheet
from moderator_app.ui.review.templates import DecisionTemplates
from tests.conftest import FakeClock
from tests.ui.conftest import QUEUE, REVIEWER, make_history, make_import_folder
from tests.ui.test_review_loop import decide_with_keys, key, wait_recorded


def open_window(qtbot: QtBot, ws: Workstation, settings: QSettings) -> ReviewWindow:
    built = build_window(ws, REVIEWER, QUEUE, settings=settings, dark=False, start=False)
    qtbot.addWidget(built.window)
    with qtbot.waitSignal(built.window.caseShown, timeout=10_000):
        built.window.show()
        built.session.start(QUEUE)
    built.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is built.window, timeout=5000)
    built.window.focus_surface()
    return built


def test_a_decision_the_database_cannot_take_comes_back_and_is_recorded_once(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, qsettings: QSettings
) -> None:
    folder = tmp_path / "db"
    ws = open_workstation(f"sqlite:///{folder / 'moderator.db'}", clock=clock)
    try:
        ws.importer.import_file(make_import_folder(tmp_path / "import"))
        make_history(ws)
        review = open_window(qtbot, ws, qsettings)
        qtbot.waitUntil(
            lambda: len(review.session.held_ids()) == 4 and review.tasks.pending() == 0, timeout=5000
        )
        first = review.session.current
        assert first is not None

        away = tmp_path / "db-away"
        folder.rename(away)  # the network share holding the database went away
        ws.db.engine.dispose()
        key(qtbot, review, Qt.Key.Key_R)
        key(qtbot, review, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: review.window.messages.level == "error", timeout=5000)
        text = review.window.messages.text.text()
        assert "not saved" in text and "cannot be opened" in text and "Enter" in text
        assert review.session.current is not None and review.session.current.item.id == first.item.id
        assert review.window.bar.armed_action() is Action.REMOVE  # as the person left it

        away.rename(folder)
        ws.db.engine.dispose()
        with qtbot.waitSignal(review.window.caseShown, timeout=5000):
            key(qtbot, review, Qt.Key.Key_Return)
        wait_recorded(qtbot, review, 1)
        decisions = ws.lookup.listing(first.listing.external_id).decisions
        assert [d.action for d in decisions] == [Action.REMOVE]
        review.window.close()
    finally:
        ws.close()


def test_an_empty_queue_is_a_calm_state_not_an_error(qtbot: QtBot, review: ReviewWindow) -> None:
    shown_empty: list[str] = []
    review.window.emptyShown.connect(shown_empty.append)
    for _ in range(9):
        decide_with_keys(qtbot, review, Qt.Key.Key_N)
    key(qtbot, review, Qt.Key.Key_N)
    key(qtbot, review, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown_empty == [QUEUE], timeout=5000)
    wait_recorded(qtbot, review, 10)
    assert review.session.state == "empty"
    assert review.window.pages.currentWidget() is review.window.empty_page
    assert "empty" in review.window.empty_page.findChildren(type(review.window.status.reviewed))[0].text()
    assert review.window.messages.level != "error"
    assert not review.window.bar.isEnabled()
    assert not review.window.trader.isVisible()  # no stale trader or flags beside an empty queue
    key(qtbot, review, Qt.Key.Key_R)  # keys do nothing harmful on an empty queue
    key(qtbot, review, Qt.Key.Key_Return)
    assert review.session.reviewed == 10


def test_the_explanation_is_prefilled_and_typing_in_it_never_triggers_a_shortcut(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    bar = review.window.bar
    case = review.session.current
    assert case is not None
    key(qtbot, review, Qt.Key.Key_R)
    templates = DecisionTemplates.load()
    assert bar.current_category() is PolicyCategory.UNSAFE_TOY
    assert bar.explanation.toPlainText() == templates.categories[PolicyCategory.UNSAFE_TOY]

    key(qtbot, review, Qt.Key.Key_X)
    assert QApplication.focusWidget() is bar.explanation
    qtbot.keyClicks(bar.explanation, " Seen: ren")  # letters that are shortcuts elsewhere
    assert bar.armed_action() is Action.REMOVE and review.session.current is case
    with qtbot.waitSignal(review.window.caseShown, timeout=5000):
        qtbot.keyClick(bar.explanation, Qt.Key.Key_Return)
    wait_recorded(qtbot, review, 1)
    decision = review_ws.lookup.listing(case.listing.external_id).decisions[-1]
    assert decision.explanation.endswith("Seen: ren") and decision.category is PolicyCategory.UNSAFE_TOY


def test_choosing_another_category_with_the_keyboard_switches_the_template(
    qtbot: QtBot, review: ReviewWindow
) -> None:
    bar = review.window.bar
    key(qtbot, review, Qt.Key.Key_R)
    key(qtbot, review, Qt.Key.Key_C)
    popup = bar.category.view()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert bar.current_category() is PolicyCategory.UNSAFE_ELECTRICAL
    assert (
        bar.explanation.toPlainText() == DecisionTemplates.load().categories[PolicyCategory.UNSAFE_ELECTRICAL]
    )


def test_skip_gives_the_item_back_and_moves_on(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    skipped = review.session.current
    assert skipped is not None
    with qtbot.waitSignal(review.window.caseShown, timeout=5000):
        key(qtbot, review, Qt.Key.Key_S)
    assert review.session.current is not None and review.session.current.item.id != skipped.item.id
    qtbot.waitUntil(lambda: "Skipped" in review.window.messages.text.text(), timeout=5000)
    item = review_ws.lookup.listing(skipped.listing.external_id).items[-1]
    assert item.claimed_by is None and not review_ws.lookup.listing(skipped.listing.external_id).decisions


def test_the_cheat_sheet_opens_with_f1_and_question_mark(qtbot: QtBot, review: ReviewWindow) -> None:
    def open_sheet(k: Qt.Key, mod: Qt.KeyboardModifier) -> CheatSheet:
        key(qtbot, review, k, mod)
        sheet = review.window.cheat_sheet
        assert isinstance(sheet, CheatSheet)
        qtbot.waitUntil(sheet.isVisible, timeout=2000)
        return sheet

    for k, mod in (
        (Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier),
    ):
        sheet = open_sheet(k, mod)
        texts = " ".join(label.text() for label in sheet.findChildren(type(review.window.status.reviewed)))
        assert "Remove listing" in texts and "Ctrl+Z" in texts and "Skip" in texts
        qtbot.keyClick(sheet, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda s=sheet: not s.isVisible(), timeout=2000)


def test_window_layout_and_queue_are_remembered(
    qtbot: QtBot, review_ws: Workstation, qsettings: QSettings, tmp_path: Path
) -> None:
    first = open_window(qtbot, review_ws, qsettings)
    first.window.split.setSizes([250, 600, 350])
    first.window.close()
    ini = Path(qsettings.fileName())
    assert ini.is_file() and ini.is_relative_to(tmp_path)  # never the user's real settings
    stored = QSettings(str(ini), QSettings.Format.IniFormat)
    assert stored.value("review/geometry") and stored.value("review/queue") == QUEUE
    # Opened again without naming a queue: the last one comes back.
    second = build_window(review_ws, REVIEWER, None, settings=stored, dark=False, start=False)
    qtbot.addWidget(second.window)
    # Before the window is laid out on the (small) offscreen test screen, its splitters hold the saved state.
    assert second.window.split.saveState() == stored.value("review/split")
    with qtbot.waitSignal(second.window.caseShown, timeout=10_000):
        second.window.show()
        second.session.start(stored.value("review/queue"))
    assert second.session.queue == QUEUE
    assert second.window.width() < 1440  # the saved geometry was applied, not the default size
    second.window.close()


def test_a_refused_queue_is_said_once_and_never_claimed_again_in_a_loop(
    qtbot: QtBot, review_ws: Workstation, qsettings: QSettings
) -> None:
    """Issue 9: the window opened on a queue of complaints claimed it, was refused, and retried every
    few seconds. The refusal is now one sentence, and nothing is retried."""
    calls: list[str] = []
    real = review_ws.review.claim_next

    def counting(queue: str, reviewer: str, exclude: object = ()) -> object:
        calls.append(queue)
        return real(queue, reviewer, exclude)  # type: ignore[arg-type]

    review_ws.review.claim_next = counting  # type: ignore[method-assign]
    built = build_window(review_ws, REVIEWER, "appeals", settings=qsettings, dark=False, start=False)
    qtbot.addWidget(built.window)
    built.window.show()
    built.session.start("appeals")
    qtbot.waitUntil(lambda: built.window.messages.level == "error", timeout=5000)
    assert "holds complaints" in built.window.messages.text.text()
    assert "retrying" not in built.window.messages.text.text()
    qtbot.waitUntil(lambda: built.tasks.pending() == 0, timeout=5000)
    assert not built.session._retry_timer.isActive()
    built.session._fill()  # what the retry timer and a refreshed count would do
    qtbot.waitUntil(lambda: built.tasks.pending() == 0, timeout=5000)
    assert calls == ["appeals"]
    built.window.close()
