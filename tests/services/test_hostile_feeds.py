"""Issue 10, hostile feeds: what a marketplace feed written by an attacker can and cannot do to an import."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import EpsImagePlugin, Image

from moderator_app.domain.image_limits import DECODABLE_FORMATS, UNSUPPORTED_FORMAT
from moderator_app.inference.images import ImageUnreadable, prepare
from moderator_app.inference.manifest import InputSpec
from moderator_app.services.workstation import Workstation
from moderator_app.storage.media import probe_image

EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
    b"newpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
)
TRADER = json.dumps({"record": "trader", "id": "T-1", "name": "Toy Shop", "kind": "business"})


def listing_line(ext: str, trader: str = "T-1", **fields: Any) -> str:
    record = {
        "id": ext,
        "trader": trader,
        "title": f"Listing {ext}",
        "category": "Toys & Games",
        "created_at": "2026-10-02T08:15:00Z",
    }
    record.update(fields)
    return json.dumps(record)


def flag(**fields: Any) -> dict[str, Any]:
    return {
        "source": "user_notice",
        "category": "unsafe_toy",
        "received_at": "2026-10-03T10:00:00Z",
        **fields,
    }


def saved(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buf, fmt)
    return buf.getvalue()


def foreign_formats() -> dict[str, bytes]:
    """Files Pillow could decode but a feed never needs, each one under a .png name below."""
    return {"EPS": EPS, **{f: saved(f) for f in ("PCX", "TGA", "BMP", "TIFF", "PPM", "SGI")}}


def spy_on_ghostscript(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every time Pillow would hand a file to Ghostscript."""
    calls: list[object] = []

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(args)
        raise OSError("Ghostscript was called")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", spy)
    return calls


@pytest.fixture
def ghostscript_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    return spy_on_ghostscript(monkeypatch)


# -- 1. only the formats a feed needs are decoded ----------------------------------------------------------


def test_the_shared_list_holds_the_feed_formats() -> None:
    assert set(DECODABLE_FORMATS) == {"JPEG", "PNG", "GIF", "WEBP"}
    for fmt in ("JPEG", "PNG", "GIF", "WEBP"):
        probe = probe_image(saved(fmt))
        assert probe.readable and probe.format == fmt


@pytest.mark.parametrize("fmt", sorted(foreign_formats()))
def test_the_media_probe_refuses_other_formats(fmt: str, ghostscript_calls: list[object]) -> None:
    probe = probe_image(foreign_formats()[fmt])
    assert (probe.readable, probe.problem) == (False, UNSUPPORTED_FORMAT)
    assert ghostscript_calls == []


@pytest.mark.parametrize("fmt", sorted(foreign_formats()))
def test_the_model_input_loader_refuses_other_formats(fmt: str, ghostscript_calls: list[object]) -> None:
    with pytest.raises(ImageUnreadable, match=r"not an image of a supported format"):
        prepare(foreign_formats()[fmt], [InputSpec(224, "shorter_side", 256)])
    assert ghostscript_calls == []


def test_an_eps_named_png_is_imported_as_an_unreadable_image_the_listing_kept(
    sqlite_ws: Workstation, tmp_path: Path, ghostscript_calls: list[object]
) -> None:
    (tmp_path / "x.png").write_bytes(EPS)
    (tmp_path / "y.png").write_bytes(saved("TGA"))
    lines = [TRADER, listing_line("L-1", images=["x.png", "y.png"], flags=[flag()])]

    report = sqlite_ws.importer.import_lines(lines, base_dir=tmp_path)

    assert (report.listings_added, report.images_stored, report.images_unreadable) == (1, 0, 2)
    images = sqlite_ws.lookup.listing("L-1").images
    assert [(i.readable, i.problem) for i in images] == [(False, UNSUPPORTED_FORMAT)] * 2
    assert ghostscript_calls == []
