"""A claim the person's roles do not allow is refused once: one sentence on screen, one audit event,
and no retry loop hammering the database and the log."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import build_window
from moderator_app.ui.widgets import PlainLabel
from tests.services.supervision.helpers import add_accounts


def test_a_refused_queue_is_said_once_and_never_retried(
    qtbot: QtBot, review_ws: Workstation, qsettings: QSettings
) -> None:
    add_accounts(review_ws, ["a.moreau"])
    built = build_window(review_ws, "a.moreau", "escalated", settings=qsettings, dark=False, start=False)
    qtbot.addWidget(built.window)
    messages: list[tuple[str, str]] = []
    built.session.message.connect(lambda level, text: messages.append((level, text)))
    built.window.show()
    built.session.start("escalated")
    qtbot.waitUntil(lambda: built.session.state == "refused", timeout=10_000)

    assert not built.session._retry_timer.isActive()
    [(level, text)] = messages
    assert level == "error" and "escalated" in text
    title, why = built.window.empty_page.findChildren(PlainLabel)[:2]
    assert title.text() == "This queue is not open to you"  # not "the queue is empty"
    assert why.text() == text
    built.session._fill()  # what a decision, a count refresh or new work arriving would do
    assert not built.session._claiming  # no claim went out
    refusals = [e for e in review_ws.audit.events("root") if e.action == AuditAction.ACCESS_REFUSED.value]
    assert len(refusals) == 1
    assert len(messages) == 1
    built.window.close()
