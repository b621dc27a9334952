"""The guard against PySide6 6.12's lost references to None/True/False (see moderator_app.ui.qt_compat)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.ui import qt_compat


class _Emitter(QObject):
    ping = Signal(object)


def test_a_long_session_of_signals_and_timers_does_not_abort_the_interpreter(qapp: object) -> None:
    emitter = _Emitter()
    got: list[object] = []
    emitter.ping.connect(got.append)
    timer = QTimer()
    # Far more calls than the reference count None and True start with: without the guard, on an
    # affected PySide6 and Python 3.11, the process aborts here ("deallocating None").
    for n in range(60_000):
        emitter.ping.emit(None if n % 2 else True)
        timer.start(60_000)
        timer.stop()
    assert len(got) == 60_000
    if sys.version_info < (3, 12) and qt_compat.defect_present():
        assert sys.getrefcount(None) > qt_compat.IMMORTAL_BOOST // 2
