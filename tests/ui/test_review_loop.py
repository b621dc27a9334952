"""The review loop with the keyboard only: decisions land in the database, the next item appears at once,
undo brings an item back, and nothing is ever decided twice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from moderator_app.domain.enums import Action, ItemState, ListingStatus
from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import ReviewWindow
from tests.ui.conftest import QUEUE


def key(
    qtbot: QtBot,
    review: ReviewWindow,
    k: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """A key press where the person's focus is (the window routes it to its shortcuts)."""
    target = QApplication.focusWidget() or review.window
    qtbot.keyClick(target, k, modifier)


def decide_with_keys(qtbot: QtBot, review: ReviewWindow, action_key: Qt.Key) -> tuple[int, int]:
    """Press an action key then Enter; return (decided item id, the item shown next)."""
    before = review.session.current
    assert before is not None
    key(qtbot, review, action_key)
    with qtbot.waitSignal(review.window.caseShown, timeout=5000) as shown:
        key(qtbot, review, Qt.Key.Key_Return)
    return before.item.id, shown.args[0]


def wait_recorded(qtbot: QtBot, review: ReviewWindow, n: int) -> None:
    qtbot.waitUntil(lambda: review.session.reviewed == n and not review.session._in_flight, timeout=5000)


def test_five_items_reviewed_with_the_keyboard_only(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    keys = [Qt.Key.Key_R, Qt.Key.Key_N, Qt.Key.Key_W, Qt.Key.Key_V, Qt.Key.Key_E]
    expected = [Action.REMOVE, Action.NO_VIOLATION, Action.WARN, Action.RESTRICT, Action.ESCALATE]
    decided: list[int] = []
    for k in keys:
        item_id, next_id = decide_with_keys(qtbot, review, k)
        assert next_id != item_id
        assert review.session.current is not None and review.session.current.item.id == next_id
        assert review.window.listing.external_id.text() == review.session.current.listing.external_id
        decided.append(item_id)
    wait_recorded(qtbot, review, 5)

    listings = [review_ws.lookup.listing(_ext(review_ws, i)) for i in decided]
    actions = [ld.decisions[-1].action for ld in listings]
    assert actions == expected
    assert all(len(ld.decisions) == 1 for ld in listings)  # each decided once
    assert listings[0].listing.status is ListingStatus.REMOVED
    assert listings[3].listing.status is ListingStatus.RESTRICTED
    assert listings[4].items[-1].queue == "escalated" and listings[4].items[-1].state is ItemState.OPEN
    # The repeat offender's counters include today's removal (3 earlier + this one).
    trader = review_ws.lookup.trader(listings[0].trader.external_id)
    assert trader.counters.violations_total >= 4
    # The status bar says what happened this session; the queue count went down.
    assert "5" in review.window.status.reviewed.text()
    qtbot.waitUntil(lambda: _pending(review) == 10 - 5 - len(review.session.held_ids()), timeout=5000)


def test_undo_brings_the_last_item_back_and_takes_the_decision_back(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    first = review.session.current
    assert first is not None
    decide_with_keys(qtbot, review, Qt.Key.Key_R)
    wait_recorded(qtbot, review, 1)
    assert review_ws.lookup.listing(first.listing.external_id).listing.status is ListingStatus.REMOVED

    with qtbot.waitSignal(review.window.caseShown, timeout=5000) as shown:
        key(qtbot, review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0] == first.item.id
    assert review.window.listing.external_id.text() == first.listing.external_id
    detail = review_ws.lookup.listing(first.listing.external_id)
    assert detail.listing.status is ListingStatus.LIVE
    assert detail.decisions[-1].undone_at is not None
    assert review.session.reviewed == 0

    # Decided again after the undo: one standing decision, the undone one kept for the record.
    decide_with_keys(qtbot, review, Qt.Key.Key_N)
    wait_recorded(qtbot, review, 1)
    detail = review_ws.lookup.listing(first.listing.external_id)
    standing = [d for d in detail.decisions if d.undone_at is None]
    assert [d.action for d in standing] == [Action.NO_VIOLATION]


def test_enter_without_an_action_decides_nothing(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    current = review.session.current
    assert current is not None
    key(qtbot, review, Qt.Key.Key_Return)
    key(qtbot, review, Qt.Key.Key_Return)
    assert review.session.current is current
    assert "needs" in review.window.messages.text.text()
    assert review_ws.lookup.listing(current.listing.external_id).decisions == []


def test_a_second_enter_never_decides_again(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    first = review.session.current
    assert first is not None
    key(qtbot, review, Qt.Key.Key_R)
    key(qtbot, review, Qt.Key.Key_Return)
    key(qtbot, review, Qt.Key.Key_Return)  # an impatient double press
    key(qtbot, review, Qt.Key.Key_Enter)
    wait_recorded(qtbot, review, 1)
    qtbot.wait(100)
    second = review.session.current
    assert second is not None and second.item.id != first.item.id
    assert len(review_ws.lookup.listing(first.listing.external_id).decisions) == 1
    assert review_ws.lookup.listing(second.listing.external_id).decisions == []
    assert review.session.reviewed == 1


def test_closing_the_window_gives_claimed_items_back(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    qtbot.waitUntil(lambda: len(review.session.held_ids()) == 4, timeout=5000)
    review.window.close()
    counts = {c.queue: c for c in review_ws.review.queue_counts()}
    assert counts[QUEUE].claimed == 0 and counts[QUEUE].pending == 10


def _pending(review: ReviewWindow) -> int:
    return next((c.pending for c in review.session.counts() if c.queue == QUEUE), -1)


def _ext(ws: Workstation, item_id: int) -> str:
    return ws.review.case(item_id).listing.external_id
