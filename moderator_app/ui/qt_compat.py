"""A guard against a reference-counting defect of the PySide6 build in use.

PySide6 6.12.0 (the cp310-abi3 wheel) returns ``None``, ``True`` and ``False`` from many calls without
taking a new reference: ``Signal.emit()``, ``connect()``, ``QTimer.start()``, ``QThreadPool.start()`` and
most void methods. That is harmless on Python 3.12+, where these three objects are immortal, but on
Python 3.11 every such call takes one reference away, and after a few hundred signal emissions the
interpreter aborts with "Fatal Python error: bool_dealloc: deallocating True or False" (or
``none_dealloc``). The review window makes thousands of such calls in a working session.

:func:`protect_singletons` detects the defect with a few harmless calls and, only when it is there on
a Python older than 3.12, gives the three singletons the immortality that Python 3.12 gives them (a
reference count so high it can never reach zero). It changes nothing else. It runs when the application
is made (:func:`moderator_app.ui.app.ensure_app`), not when a module is imported. pyproject.toml excludes
6.12.0 on Python < 3.12 (6.11.3 measured free of the defect: 0 references lost, 60,000 emits survived),
so the guard only serves an environment installed before that exclusion. Remove this module once the
project requires Python >= 3.12 or a PySide6 release without the defect is the oldest allowed.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

IMMORTAL_BOOST = 1 << 40


def defect_present() -> bool:
    """Whether PySide6 calls take references away from ``None``/``True`` (measured, not assumed)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
        probe.blockSignals(False)
        probe.setObjectName("probe")
    lost = (before_none - sys.getrefcount(None)) + (before_true - sys.getrefcount(True))
    probe.deleteLater()
    return lost >= 8


def protect_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` immortal if this PySide6 build needs it; True if it did."""
    if sys.version_info >= (3, 12) or sys.getrefcount(None) > IMMORTAL_BOOST // 2:
        return False
    if not defect_present():
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += IMMORTAL_BOOST
    log.info("PySide6 reference-count defect detected; None/True/False made immortal (Python < 3.12)")
    return True
