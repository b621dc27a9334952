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
from tests.services.test_hostile_feeds import foreign_formats, listing_line, spy_on_ghostscript


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

    from moderator_app.ui.review.listing_view import ListingView
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
