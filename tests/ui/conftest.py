"""Fixtures of the review window tests: a database imported from tests/ui/data/review.jsonl (with real
images drawn by Pillow), the window over it with its settings in tmp_path, and a guard that fails any test
leaving background work or timers running.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PIL import Image, ImageDraw
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import ReviewWindow, build_window, ensure_app, settings_in
from moderator_app.ui.qt_compat import protect_singletons
from moderator_app.ui.tasks import TaskManager
from tests.conftest import FakeClock

# The test process is its own entry point: guard it before any Qt call (the app does so in ensure_app).
protect_singletons()


@pytest.fixture(scope="session")
def qapp(qapp_args: list[str]) -> QApplication:
    """pytest-qt's application, made the way the app makes it (moderator_app.ui.app.ensure_app)."""
    return ensure_app(qapp_args)

DATA = Path(__file__).parent / "data"
QUEUE = "product-safety"
REVIEWER = "ana"


def draw_image(path: Path, seed: int) -> None:
    """A product-photo-like picture: big enough that decoding at the shown size matters."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith("broken.jpg"):
        good = path.with_suffix(".tmp.jpg")
        Image.new("RGB", (1200, 900), (200, 60, 60)).save(good, "JPEG", quality=90)
        path.write_bytes(good.read_bytes()[:300])  # truncated: the importer marks it unreadable
        good.unlink()
        return
    big = path.suffix == ".jpg"
    size = (1600, 1200) if big else (900, 900)
    hue = (seed * 47) % 255
    mode = "RGB" if big else "RGBA"
    im = Image.new(mode, size, (235, 232, 226) if big else (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    w, h = size
    d.rounded_rectangle((w * 0.2, h * 0.2, w * 0.8, h * 0.8), radius=40, fill=(hue, 120, 255 - hue, 255))
    d.ellipse((w * 0.35, h * 0.3, w * 0.65, h * 0.6), fill=(250, 250, 250, 255))
    d.text((w * 0.22, h * 0.82), f"photo {seed}", fill=(40, 40, 40, 255))
    im.save(path, "JPEG" if big else "PNG", **({"quality": 88} if big else {}))


def make_import_folder(folder: Path) -> Path:
    """Copy review.jsonl into ``folder`` and draw every image it names."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "review.jsonl"
    shutil.copyfile(DATA / "review.jsonl", target)
    n = 0
    for line in target.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        for rel in json.loads(line).get("images", []):
            n += 1
            draw_image(folder / rel, n)
    return target


def make_history(ws: Workstation) -> None:
    """Three earlier removals of T-REPEAT's listings, so it is a repeat offender."""
    for _ in range(3):
        case = ws.review.claim_next("history", "earlier")
        assert case is not None
        ws.review.decide(
            case.item.id,
            "earlier",
            Action.REMOVE,
            PolicyCategory.UNSAFE_TOY,
            Ground.ILLEGAL_CONTENT,
            "Unsafe magnets.",
        )


@pytest.fixture
def review_ws(sqlite_ws: Workstation, tmp_path: Path, clock: FakeClock) -> Workstation:
    """A SQLite workstation with the test listings imported and a repeat offender on record."""
    report = sqlite_ws.importer.import_file(make_import_folder(tmp_path / "import"))
    assert not report.rejected, report.rejected
    make_history(sqlite_ws)
    return sqlite_ws


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    """Window settings in the test's own folder, never the user's."""
    return settings_in(tmp_path / "settings")


@pytest.fixture
def review(qtbot: QtBot, review_ws: Workstation, qsettings: QSettings) -> Iterator[ReviewWindow]:
    """The review window on the product-safety queue, shown, with its first listing fully on screen."""
    built = build_window(review_ws, REVIEWER, QUEUE, settings=qsettings, dark=False, start=False)
    qtbot.addWidget(built.window)
    built.window.resize(1440, 900)
    with qtbot.waitSignal(built.window.caseShown, timeout=10_000):
        built.window.show()
        built.session.start(QUEUE)
    built.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is built.window, timeout=5000)
    built.window.focus_surface()
    yield built
    if built.window.isVisible():
        built.window.close()


def work_left_behind(app: QApplication) -> list[str]:
    """What of ours is still running: task managers with pending jobs or busy threads, active timers."""
    app.processEvents()
    found = [
        f"{type(tm).__name__}: {tm.pending()} pending job(s), {tm.active_threads()} busy thread(s)"
        for tm in list(TaskManager._instances)
        if shiboken6.isValid(tm) and (tm.pending() or tm.active_threads())
    ]
    for w in QApplication.topLevelWidgets():
        for t in w.findChildren(QTimer):
            owner = t.parent()
            if t.isActive() and owner is not None and owner.metaObject().className() in OUR_TIMER_OWNERS:
                found.append(f"active timer of {owner.metaObject().className()}")
    return found


OUR_TIMER_OWNERS = {"ReviewSession", "QueueWatch", "MessageBar", "MainWindow"}


@pytest.fixture(autouse=True)
def _no_work_left_behind(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves thread-pool work or timers of ours running (after napari's conftest)."""
    yield
    left = work_left_behind(qapp)
    for tm in list(TaskManager._instances):
        if shiboken6.isValid(tm):
            tm.shutdown(5000)  # so one failure does not spill into the next test
    assert not left, f"still running after the test: {left}"
