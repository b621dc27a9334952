"""The guard against PySide6 6.12's lost references to None/True/False (see moderator_app.ui.qt_compat)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.ui import qt_compat

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_guard_runs_when_the_application_is_made_not_at_import(tmp_path: object) -> None:
    # A fresh interpreter: this test process is already guarded (tests/ui/conftest.py).
    script = (
        "import sys\n"
        "from moderator_app.ui import qt_compat\n"
        "import moderator_app.ui.app as app\n"
        "imported = sys.getrefcount(None) > qt_compat.IMMORTAL_BOOST // 2\n"
        "app.ensure_app(offscreen=True)\n"
        "made = sys.getrefcount(None) > qt_compat.IMMORTAL_BOOST // 2\n"
        "needed = sys.version_info < (3, 12) and qt_compat.defect_present()\n"
        "print(imported, made, needed)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    imported, made, needed = (word == "True" for word in out)
    assert not imported
    assert made == needed


def test_pyproject_excludes_the_defective_release_where_it_matters() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for name in ("PySide6-Essentials", "PySide6-Addons"):
        specs = {
            str(r.marker): r.specifier for r in map(Requirement, project["dependencies"]) if r.name == name
        }
        assert set(specs) == {'python_version < "3.12"', 'python_version >= "3.12"'}
        assert "6.12.0" not in specs['python_version < "3.12"']
        assert "6.11.3" in specs['python_version < "3.12"']
        assert "6.12.0" in specs['python_version >= "3.12"']
