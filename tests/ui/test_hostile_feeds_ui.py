"""Issue 10, hostile feeds, in the window: foreign image formats, bidi overrides in titles and names."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from moderator_app.domain.image_limits import UNSUPPORTED_FORMAT
from moderator_app.domain.review.model import ImageInfo
from moderator_app.services.workstation import Workstation
from moderator_app.ui.review.image_decode import ImageDecoder
from moderator_app.ui.review.listing_view import ListingView
from tests.services.imports.test_hostile_feeds import foreign_formats, listing_line, spy_on_ghostscript


def in_worker(decoder: ImageDecoder, info: ImageInfo) -> Any:
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(decoder.decode(info, (100, 100))))
    worker.start()
    worker.join()
    return out[0]


def test_the_window_decoder_refuses_other_formats(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ghostscript_calls = spy_on_ghostscript(monkeypatch)
    decoder = ImageDecoder()
    for fmt, data in foreign_formats().items():
        path = tmp_path / f"{fmt}.png"
        path.write_bytes(data)  # e.g. a media folder written by an older version
        info = ImageInfo(1, 1, 0, "x" * 64, 10, 10, fmt, True, None, str(path))
        d = in_worker(decoder, info)
        assert (d.ok, d.problem) == (False, UNSUPPORTED_FORMAT), fmt
    assert ghostscript_calls == []


# -- 6. a warning badge where a title or a trader name carries bidi overrides -------------------------------


def test_bidi_overrides_in_a_title_or_a_trader_name_show_a_warning_badge(
    qtbot: QtBot, sqlite_ws: Workstation
) -> None:
    import json

    from moderator_app.ui.review.trader_panel import TraderPanel

    lines = [
        json.dumps({"record": "trader", "id": "T-1", "name": "Plain Shop", "kind": "business"}),
        json.dumps({"record": "trader", "id": "T-2", "name": "Shop \u202egnp.exe", "kind": "business"}),
        listing_line("L-1", title="Charger \u202egnp.exe"),
        listing_line("L-2", title="Plain charger, \u00e9 and \u05e9\u05dc\u05d5\u05dd are fine"),
    ]
    sqlite_ws.importer.import_lines(lines, base_dir=Path())
    view, panel = ListingView(), TraderPanel()
    qtbot.addWidget(view)
    qtbot.addWidget(panel)
    view.show()
    panel.show()

    view.show_listing(sqlite_ws.lookup.listing("L-1").listing)
    panel.show_trader(sqlite_ws.lookup.trader("T-2"))
    assert view.bidi.isVisible() and panel.bidi_badge.isVisible()
    assert view.bidi.textFormat() == Qt.TextFormat.PlainText and "direction" in view.bidi.text()
    assert view.title_text() == "Charger \u202egnp.exe"  # the title itself is shown as it is

    view.show_listing(sqlite_ws.lookup.listing("L-2").listing)
    panel.show_trader(sqlite_ws.lookup.trader("T-1"))
    assert not view.bidi.isVisible() and not panel.bidi_badge.isVisible()


# -- 3. contact details are found off the GUI thread ----------------------------------------------------------


def test_the_listing_view_finds_contacts_on_a_worker_and_marks_them_when_found(
    qtbot: QtBot, sqlite_ws: Workstation, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from moderator_app.domain.review import contact_patterns
    from moderator_app.ui.review import highlight, listing_view
    from moderator_app.ui.tasks import TaskManager

    lines = [
        json.dumps({"record": "trader", "id": "T-1", "name": "Shop", "kind": "business"}),
        listing_line(
            "L-1",
            title="a." * 450 + " www.cheap-toys.shop",
            description="Order: WhatsApp: +49 171 1234567\nbye",
        ),
    ]
    sqlite_ws.importer.import_lines(lines, base_dir=Path())
    listing = sqlite_ws.lookup.listing("L-1").listing
    searched_on: list[int] = []
    real = contact_patterns.find_contacts

    def spy(text: str) -> Any:
        searched_on.append(threading.get_ident())
        return real(text)

    monkeypatch.setattr(highlight, "find_contacts", spy)
    monkeypatch.setattr(listing_view, "find_contacts", spy)
    tasks = TaskManager()
    try:
        view = ListingView(tasks=tasks)
        qtbot.addWidget(view)
        view.show()
        view.show_listing(listing)
        qtbot.waitUntil(view.contacts.isVisible, timeout=10_000)
        formats = view.description.document().firstBlock().layout().formats()
        title_formats = view.title.document().firstBlock().layout().formats()
    finally:
        tasks.shutdown()

    gui = threading.get_ident()
    assert searched_on and gui not in searched_on  # every search ran on a worker
    assert "phone" in view.contacts.text() or "messenger" in view.contacts.text()
    assert formats and title_formats  # the finds are marked in both texts


def test_a_huge_title_from_an_older_import_is_shown_cut_at_the_import_limit(qtbot: QtBot) -> None:
    import time
    from datetime import UTC, datetime

    from moderator_app.domain.enums import ListingStatus
    from moderator_app.domain.review.model import ListingInfo

    huge = "a." * 500_000  # 1 MB: accepted by imports before the limits, still in old databases
    listing = ListingInfo(
        1,
        "L-1",
        1,
        huge,
        huge,
        None,
        None,
        "c",
        None,
        None,
        datetime(2026, 1, 1, tzinfo=UTC),
        ListingStatus.LIVE,
    )
    view = ListingView()
    qtbot.addWidget(view)
    view.show()
    started = time.perf_counter()
    view.show_listing(listing)
    assert time.perf_counter() - started < 5.0  # 90 s before
    assert view.title_text().startswith("a.a.") and view.title_text().endswith(
        "(999,000 more characters not shown)"
    )
