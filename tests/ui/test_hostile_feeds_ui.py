"""Issue 10, hostile feeds, in the window: foreign image formats, bidi overrides in titles and names."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from moderator_app.domain.image_limits import UNSUPPORTED_FORMAT
from moderator_app.domain.review.model import ImageInfo
from moderator_app.ui.review.image_decode import ImageDecoder
from tests.services.test_hostile_feeds import foreign_formats, spy_on_ghostscript


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
