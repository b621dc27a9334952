"""``moderator-app screenshot``: the review window rendered offscreen, for documentation and checks."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop

from moderator_app.services.workstation import Workstation

TIMEOUT_S = 20.0


def render_screenshot(
    ws: Workstation,
    out: Path,
    reviewer: str,
    queue: str | None = None,
    size: tuple[int, int] = (1440, 900),
) -> Path:
    """Render the main window with the first item of ``queue`` (or of the first queue with work) loaded
    and all its images decoded, and save it as a PNG. Claimed items are given back afterwards.
    """
    from moderator_app.ui.app import build_window, ensure_app, settings_in

    app = ensure_app(offscreen=True)
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="moderator-shot-") as tmp:
        built = build_window(ws, reviewer, queue, settings=settings_in(Path(tmp)), dark=False)
        window = built.window
        shown: list[int] = []
        window.caseShown.connect(shown.append)
        counted: list[bool] = []
        built.session.countsChanged.connect(lambda _c: counted.append(True))
        window.resize(*size)
        window.show()
        window.focus_surface()

        def ready() -> bool:
            state = built.session.state
            if state == "empty":
                return True
            if state == "idle":
                return bool(counted) and not any(c.pending for c in built.session.counts())
            feed = built.predictions
            return bool(shown) and built.loader.pending() == 0 and not (feed is not None and feed.busy())

        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline and not ready():
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)
        for _ in range(5):  # let layouts settle after the last image arrived
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out), "PNG"):
            window.close()
            raise OSError(f"could not write {out}")
        window.close()
        built.shutdown()
        window.deleteLater()
        app.processEvents()
    return out
