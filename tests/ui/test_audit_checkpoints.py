"""An open review window anchors its audit chain as the day goes, not only on quit."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import AUDIT_CHECKPOINT_MS, ReviewWindow


def _signed_up_to(ws: Workstation) -> int:
    return max((line.anchored for line in ws.audit.heads("sup") if line.mine), default=0)


def test_the_window_signs_its_chain_head_on_its_timer(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation
) -> None:
    timer = review.checkpoints
    assert timer is not None and timer.isActive() and timer.interval() == AUDIT_CHECKPOINT_MS
    assert _signed_up_to(review_ws) == 0  # the window's claims are in the log, not yet anchored
    written = next(line for line in review_ws.audit.heads("sup") if line.mine).head.seq
    timer.timeout.emit()  # what the timer does every 15 minutes
    qtbot.waitUntil(lambda: _signed_up_to(review_ws) > 0, timeout=10_000)
    # everything this workstation wrote before the timer fired is signed (the window may append a
    # prefetch claim meanwhile: that one waits for the next checkpoint)
    assert _signed_up_to(review_ws) >= written > 0
    review.window.close()
    assert not timer.isActive()
