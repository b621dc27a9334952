"""A decision whose statement of reasons would be incomplete is not recorded: the window says what is
missing and keeps the listing and the decision on screen, so the moderator can mend it (issue #5)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moderator_app.domain.enums import Ground, PolicyCategory
from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import ReviewWindow
from tests.ui.test_review_loop import key


def test_an_incomplete_statement_is_refused_with_what_is_missing_and_nothing_is_lost(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    current = review.session.current
    assert current is not None
    bar = review.window.bar
    key(qtbot, review, Qt.Key.Key_R)
    # The law for a hidden link is not in the template: the illegal-content ground needs it named.
    bar.category.setCurrentIndex(bar.category.findData(PolicyCategory.HIDDEN_LINK.value))
    bar.ground.setCurrentIndex(bar.ground.findData(Ground.ILLEGAL_CONTENT.value))
    bar.explanation.setPlainText("Sends buyers to a shop outside the platform.")
    key(qtbot, review, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "legal ground" in review.window.messages.text.text(), timeout=5000)
    assert review.session.current is not None
    assert review.session.current.item.id == current.item.id  # still on screen
    assert review_ws.lookup.listing(current.listing.external_id).decisions == []

    # Mended with the contractual ground, the same decision goes through.
    bar.ground.setCurrentIndex(bar.ground.findData(Ground.TERMS_OF_SERVICE.value))
    with qtbot.waitSignal(review.window.caseShown, timeout=5000):
        key(qtbot, review, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not review.session._in_flight, timeout=5000)
    decisions = review_ws.lookup.listing(current.listing.external_id).decisions
    assert [(d.category, d.ground) for d in decisions] == [
        (PolicyCategory.HIDDEN_LINK, Ground.TERMS_OF_SERVICE)
    ]
