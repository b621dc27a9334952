"""What the window shows: untrusted text as plain text, contacts highlighted, images (or why not),
the trader's record at a glance, the flags with trusted sources marked.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from moderator_app.services.workstation import Workstation
from moderator_app.ui.app import ReviewWindow, build_window
from moderator_app.ui.review.image_decode import GuiThreadDecode
from tests.ui.conftest import QUEUE, REVIEWER
from tests.ui.test_review_loop import decide_with_keys

HTML_TITLE = "<b>bold</b><img src=x> Kids magnetic building set 120 pcs"


def test_markup_in_a_title_is_shown_as_the_characters_it_is(review: ReviewWindow) -> None:
    case = review.session.current
    assert case is not None and case.listing.title == HTML_TITLE
    assert review.window.listing.title_text() == HTML_TITLE
    # Whatever holds listing text renders plain text only: no label anywhere may interpret markup.
    for label in review.window.findChildren(QLabel):
        if "<b>" in label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText
    doc = review.window.listing.title.document()
    assert doc.toPlainText() == HTML_TITLE
    assert "<img" in doc.toPlainText() and doc.allFormats()  # the tag is text, not an image resource


def test_contacts_in_the_description_are_highlighted(review: ReviewWindow) -> None:
    doc = review.window.listing.description.document()
    block = doc.findBlockByNumber(1)  # "Order cheaper at www.bright-toys-direct.shop or WhatsApp: +86 ..."
    formats = block.layout().formats()
    highlighted = {block.text()[f.start : f.start + f.length] for f in formats if _has_background(f.format)}
    assert "www.bright-toys-direct.shop" in highlighted
    assert "WhatsApp: +86 138 0013 8000" in highlighted
    assert not any("cheaper" in h for h in highlighted)
    assert "link" in review.window.listing.contacts.text()
    assert review.window.listing.contacts.isVisible()


def test_long_descriptions_scroll(review: ReviewWindow) -> None:
    bar = review.window.listing.description.verticalScrollBar()
    assert bar.maximum() > 0


def test_a_repeat_offender_is_visible_at_a_glance(qtbot: QtBot, review: ReviewWindow) -> None:
    panel = review.window.trader
    assert (
        review.session.current is not None and review.session.current.trader.trader.external_id == "T-REPEAT"
    )
    assert panel.is_repeat_offender_shown()
    assert panel.vall.value.text() == "3"
    assert (
        panel.fields["phone"].text() == "missing"
        and panel.fields["trade register number"].text() == "missing"
    )
    assert "2 missing" in panel.art30_missing.text()
    assert panel.decisions_model.rowCount() == 3
    # The next listing belongs to an ordinary trader: no badge.
    decide_with_keys(qtbot, review, Qt.Key.Key_N)
    assert review.session.current is not None and review.session.current.trader.trader.external_id == "T-SHOP"
    assert not panel.is_repeat_offender_shown()


def test_flags_show_source_reason_notifier_and_mark_trusted_flaggers(review: ReviewWindow) -> None:
    flags = review.window.flags
    model = flags.model
    assert model.rowCount() == 2
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first[0].startswith("★") and "Trusted flagger" in first[0]
    assert first[1] == "Unsafe toy"
    assert first[2] == "Small magnets come loose; no CE mark."
    assert first[3] == "Toy Safety Watch e.V."
    assert first[4]  # received time
    second = model.index(1, 0).data()
    assert not second.startswith("★")
    assert flags.trusted.isVisibleTo(flags) and not flags.authority.isVisibleTo(flags)


def test_an_unreadable_image_shows_its_placeholder_with_the_reason(
    qtbot: QtBot, review: ReviewWindow
) -> None:
    decide_with_keys(qtbot, review, Qt.Key.Key_N)  # on to L-UI-002, whose first image is truncated
    case = review.session.current
    assert case is not None and case.listing.external_id == "L-UI-002"
    assert not case.images[0].readable
    pane = review.window.images
    assert pane.showing_placeholder()
    assert pane.placeholder_reason.text() == case.images[0].problem
    assert pane.placeholder_title.isVisible()
    pane.next_image()  # the second image is fine
    qtbot.waitUntil(lambda: pane.canvas.has_image() and not pane.showing_placeholder(), timeout=5000)


def test_an_image_missing_from_the_media_folder_shows_a_placeholder(
    qtbot: QtBot, review_ws: Workstation, qsettings: QSettings
) -> None:
    case = review_ws.review.case(_first_item(review_ws))
    first = case.images[0]
    assert first.readable and first.path
    Path(first.path).unlink()  # the file went missing after the import
    built = build_window(review_ws, REVIEWER, QUEUE, settings=qsettings, start=False)
    qtbot.addWidget(built.window)
    with qtbot.waitSignal(built.window.caseShown, timeout=10_000):
        built.window.show()
        built.session.start(QUEUE)
    assert built.window.images.showing_placeholder()
    assert "missing" in built.window.images.placeholder_reason.text()
    built.window.close()


def test_images_are_never_decoded_on_the_gui_thread(qtbot: QtBot, review: ReviewWindow) -> None:
    for _ in range(3):
        decide_with_keys(qtbot, review, Qt.Key.Key_N)
    pane = review.window.images
    pane.next_image()
    qtbot.waitUntil(lambda: review.loader.pending() == 0, timeout=5000)
    by_thread = dict(review.decoder.decodes_by_thread)
    assert sum(by_thread.values()) >= 5
    assert threading.get_ident() not in by_thread
    assert review.decoder.decodes_on(threading.get_ident()) == 0
    # And asking for one on the GUI thread is refused outright.
    info = next(i for i in review.session.current.images if i.readable)  # type: ignore[union-attr]
    with pytest.raises(GuiThreadDecode):
        review.decoder.decode(info, (100, 100))


def test_the_image_view_zooms_pans_and_moves_between_images_with_keys(
    qtbot: QtBot, review: ReviewWindow
) -> None:
    pane = review.window.images
    canvas = pane.canvas
    assert pane.current_index() == 0 and canvas.is_fit()
    fitted = canvas.zoom()
    target = QApplication.focusWidget() or review.window
    qtbot.keyClick(target, Qt.Key.Key_Plus)
    qtbot.keyClick(target, Qt.Key.Key_Plus)
    assert canvas.zoom() == pytest.approx(fitted * 1.25 * 1.25)
    assert not canvas.is_fit()
    # Zoomed past the decoded pixels, a sharper decode is asked for and replaces the picture.
    for _ in range(4):
        qtbot.keyClick(target, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: canvas.decoded_size().width() > 1000, timeout=5000)
    h = canvas.horizontalScrollBar()
    before = h.value()
    qtbot.keyClick(target, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert h.value() > before
    qtbot.keyClick(target, Qt.Key.Key_0)
    assert canvas.is_fit() and canvas.zoom() == pytest.approx(fitted)
    qtbot.keyClick(target, Qt.Key.Key_Right)
    assert pane.current_index() == 1
    qtbot.keyClick(target, Qt.Key.Key_Left)
    qtbot.keyClick(target, Qt.Key.Key_Left)
    assert pane.current_index() == 2  # wraps around


def _has_background(fmt: QTextCharFormat) -> bool:
    return fmt.background().style() != Qt.BrushStyle.NoBrush


def _first_item(ws: Workstation) -> int:
    case = ws.review.claim_next(QUEUE, "probe")
    assert case is not None
    ws.review.release(case.item.id, "probe")
    return case.item.id
