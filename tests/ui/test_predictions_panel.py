"""The models' predictions in the review window: the Predictions card, its wording, the boxes over the
image, the adult-content blur, and the record of what was on screen when the reviewer decided.

Over the real demo data set (product-like pictures with printed text) and the real models.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from moderator_app.demo import build_demo
from moderator_app.domain.enums import PolicyCategory
from moderator_app.services.predictions.predictions_engines import EngineLoader, Engines
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.ui.app import ReviewWindow, build_window
from moderator_app.ui.review.overlays import overlay_count
from tests.conftest import FakeClock
from tests.prediction_data import MODELS, engines
from tests.ui.conftest import QUEUE, REVIEWER
from tests.ui.test_review_loop import decide_with_keys, wait_recorded

__all__ = ["engines"]  # fixture

VERDICT_WORDS = re.compile(r"\b(unsafe|counterfeit|fake|illegal)\b", re.IGNORECASE)


def open_window(
    qtbot: QtBot, ws: Workstation, qsettings: QSettings, use: Engines, queue: str = QUEUE
) -> ReviewWindow:
    """The window on ``queue`` with ``use`` as its models, its first case and its predictions on screen."""
    built = build_window(ws, REVIEWER, queue, settings=qsettings, dark=False, start=False)
    qtbot.addWidget(built.window)
    ws.predictions.adopt(use)  # after the window set its thread count (which forgets loaded models)
    built.window.resize(1440, 900)
    assert built.predictions is not None
    with qtbot.waitSignal(built.predictions.shown, timeout=20_000):
        built.window.show()
        built.session.start(queue)
    qtbot.waitUntil(built.window.images.canvas.has_image, timeout=10_000)
    return built


def _copy_db(source: Path, folder: Path) -> Path:
    """A SQLite database and its media folder (``<name>.media`` beside it) copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    assert not Path(f"{source}-wal").exists()
    target = folder / source.name
    shutil.copyfile(source, target)
    media = source.with_name(source.stem + ".media")
    if media.exists():
        shutil.copytree(media, folder / media.name)
    return target


@pytest.fixture(scope="session")
def _demo_db(tmp_path_factory: pytest.TempPathFactory, engines: Engines) -> tuple[Path, Path]:
    """The small demo (60 listings, 12 traders) built once per run on the tests' clock: as built, and
    with its product-safety queue scored without OCR. Each test works on a copy (a build and a scoring
    took 20-40 s a test on a busy 2-core machine)."""
    root = tmp_path_factory.mktemp("demo-db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MODERATOR_DATA_DIR", str(root / "user-data"))
        mp.delenv("MODERATOR_DB_URL", raising=False)
        mp.delenv("MODERATOR_MEDIA_DIR", raising=False)
        built = root / "built" / "moderator.db"
        built.parent.mkdir()
        ws = open_workstation(f"sqlite:///{built}", clock=FakeClock())
        try:
            build_demo(ws, listings=60, traders=12)
        finally:
            ws.close()
        scored = _copy_db(built, root / "scored")
        ws = open_workstation(f"sqlite:///{scored}", clock=FakeClock())
        try:
            ws.predictions.adopt(engines)
            report = ws.predictions.score_pending(QUEUE, ocr=False)
            assert report.images_scored > 0
        finally:
            ws.close()
    return built, scored


def _open_copy(source: Path, tmp_path: Path, clock: FakeClock, engines: Engines) -> Iterator[Workstation]:
    ws = open_workstation(f"sqlite:///{_copy_db(source, tmp_path / 'db')}", clock=clock)
    ws.predictions.adopt(engines)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def built_demo_ws(
    _demo_db: tuple[Path, Path], tmp_path: Path, clock: FakeClock, engines: Engines
) -> Iterator[Workstation]:
    """A copy of the small demo data set, nothing scored yet."""
    yield from _open_copy(_demo_db[0], tmp_path, clock, engines)


@pytest.fixture
def demo_ws(
    _demo_db: tuple[Path, Path], tmp_path: Path, clock: FakeClock, engines: Engines
) -> Iterator[Workstation]:
    """A copy of the small demo data set, its product-safety queue scored without OCR (as `moderator-app
    score` would leave a queue half way), so strong categories have moved their items to the front."""
    yield from _open_copy(_demo_db[1], tmp_path, clock, engines)


@pytest.fixture
def demo(
    qtbot: QtBot, demo_ws: Workstation, qsettings: QSettings, engines: Engines
) -> Iterator[ReviewWindow]:
    built = open_window(qtbot, demo_ws, qsettings, engines)
    yield built
    if built.window.isVisible():
        built.window.close()


def show_a_named_category(qtbot: QtBot, built: ReviewWindow, cases: int = 12) -> None:
    """Page through images, then skip to the next items, until an image has a category above the threshold."""
    feed = built.predictions
    assert feed is not None
    for _ in range(cases):
        for _ in range(len(built.window.images._images)):
            image = feed.image_predictions()
            if image is not None and image.product is not None and image.product.result.shown():
                return
            built.window.images.next_image()
        with qtbot.waitSignal(feed.shown, timeout=20_000):
            built.session.skip()
    pytest.fail("no image of the demo queue appears to show a watched product type")


def test_the_card_says_what_the_photo_appears_to_show_and_names_no_verdict(
    qtbot: QtBot, demo: ReviewWindow
) -> None:
    show_a_named_category(qtbot, demo)
    panel = demo.window.predictions_panel
    text = panel.text()
    assert "The photo appears to show" in panel.sentence.text()
    assert panel.bars_box.isVisible()  # the category named in the sentence has its bar
    feed = demo.predictions
    assert feed is not None and feed.current is not None
    image = feed.image_predictions()
    assert image is not None and image.product is not None
    for cat in image.product.result.shown():
        assert cat.phrase in text and f"{cat.score:.0%}" in text
    assert "Top labels:" in text
    assert "No sign of adult content" in text
    assert "Models: product-type v1" in text and "adult-content v1" in text
    assert not VERDICT_WORDS.search(panel.sentence.text() + panel.labels.text() + panel.adult.text())


def test_a_decision_records_the_predictions_that_were_on_screen(
    qtbot: QtBot, demo: ReviewWindow, demo_ws: Workstation
) -> None:
    feed = demo.predictions
    assert feed is not None and feed.current is not None
    on_screen = feed.current
    assert on_screen.prediction_ids
    demo.window.focus_surface()
    decided, _ = decide_with_keys(qtbot, demo, Qt.Key.Key_N)
    wait_recorded(qtbot, demo, 1)
    decision = demo_ws.review.last_decision(REVIEWER)
    assert decision is not None and decision.item_id == decided
    evidence = demo_ws.predictions.shown_at_decision(decision.id)
    assert sorted(p.id for p in evidence.predictions) == sorted(on_screen.prediction_ids)
    assert sorted(f.id for f in evidence.findings) == sorted(on_screen.finding_ids)
    assert evidence.automated_means_involved


def test_text_read_in_the_image_is_boxed_over_it_and_listed_as_a_finding(
    qtbot: QtBot, built_demo_ws: Workstation, qsettings: QSettings, engines: Engines
) -> None:
    built_demo_ws.predictions.score_pending(QUEUE, limit=1)  # the first item, with OCR
    built = open_window(qtbot, built_demo_ws, qsettings, engines)
    feed = built.predictions
    assert feed is not None and feed.current is not None
    image = feed.image_predictions()
    assert image is not None and image.ocr is not None and image.ocr.lines
    boxes = len(image.ocr.lines) + sum(1 for f in image.findings if f.location.box is not None)
    assert overlay_count(built.window.images.canvas) == boxes
    findings = feed.current.text_findings + image.findings
    if findings:  # the rule, the matched text and where it was found
        first = findings[0]
        assert first.rule_title in built.window.predictions_panel.findings.text()
        assert first.matched_text in built.window.predictions_panel.findings.text()
    built.window.close()


@pytest.fixture(scope="module")
def blur_everything(tmp_path_factory: pytest.TempPathFactory) -> Engines:
    """The real models with the adult-content blur threshold at 0: every image scores at or above it."""
    folder = tmp_path_factory.mktemp("models")
    manifest = json.loads((MODELS / "manifest.json").read_text(encoding="utf-8"))
    for spec in manifest["models"]:
        if spec["id"] == "adult-content":
            spec["thresholds"]["blur"] = 0.0
        if spec.get("file") and (MODELS / spec["file"]).exists():
            (folder / spec["file"]).symlink_to(MODELS / spec["file"])
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return EngineLoader(folder).get()


def test_an_image_the_adult_model_flags_is_blurred_until_shown(
    qtbot: QtBot, review_ws: Workstation, qsettings: QSettings, blur_everything: Engines
) -> None:
    built = open_window(qtbot, review_ws, qsettings, blur_everything)
    case = built.session.current
    assert case is not None
    assert not any(f.category is PolicyCategory.ADULT_CONTENT for f in case.flags)  # the model's verdict
    feed = built.predictions
    assert feed is not None and feed.current is not None and feed.current.blur_by_default
    pane = built.window.images
    qtbot.waitUntil(pane.canvas.is_blurred, timeout=5000)
    assert "blurred" in pane.zoom_label.text()
    assert "blurred until you show it" in built.window.predictions_panel.adult.text()
    pane.toggle_blur()  # B: the reviewer chooses to look
    assert not pane.canvas.is_blurred()
    built.window.close()


def test_without_the_model_saying_so_the_image_is_not_blurred(demo: ReviewWindow) -> None:
    feed = demo.predictions
    assert feed is not None and feed.current is not None and not feed.current.blur_by_default
    assert not demo.window.images.canvas.is_blurred()


def test_predictions_arrive_for_a_listing_nobody_scored_yet(
    qtbot: QtBot, review_ws: Workstation, qsettings: QSettings, engines: Engines
) -> None:
    built = open_window(qtbot, review_ws, qsettings, engines)
    feed = built.predictions
    assert feed is not None and feed.current is not None
    assert feed.current.prediction_ids  # scored when shown, without OCR
    assert "The photo" in built.window.predictions_panel.sentence.text()
    built.window.close()
