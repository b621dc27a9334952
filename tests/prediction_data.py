"""Real images and listings with images for the prediction tests, and the models loaded once per run.

The photos are the project's evaluation set (scripts/models/eval: scikit-image samples under CC0 or in the
public domain); text images are drawn with Pillow and DejaVu Sans, as a seller's picture would show it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from moderator_app.paths import models_dir
from moderator_app.services.predictions.predictions_engines import EngineLoader, Engines
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm
from moderator_app.storage.media import probe_image

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "scripts" / "models" / "eval"
MODELS = models_dir()
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def eval_bytes(relative: str) -> bytes:
    return (EVAL / relative).read_bytes()


def text_image(
    lines: Sequence[str],
    *,
    size: tuple[int, int] = (900, 400),
    font_size: int = 44,
    at: tuple[int, int] = (40, 60),
    background: tuple[int, int, int] = (250, 248, 240),
    fmt: str = "JPEG",
) -> bytes:
    im = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(FONT, font_size)
    for i, line in enumerate(lines):
        draw.text((at[0], at[1] + i * int(font_size * 1.6)), line, fill=(10, 10, 10), font=font)
    buf = io.BytesIO()
    im.save(buf, fmt, quality=92)
    return buf.getvalue()


def add_images(ws: Workstation, listing_id: int, images: Sequence[bytes]) -> list[str]:
    """Store image bytes in the media store and attach them to a listing, as the importer would."""
    shas = []
    with ws.db.write() as s:
        for position, data in enumerate(images):
            probe = probe_image(data)
            sha = ws.db.media.put(data) if probe.readable else None
            s.add(
                orm.ListingImage(
                    listing_id=listing_id,
                    position=position,
                    sha256=sha,
                    source_name=f"image{position}.jpg",
                    size_bytes=len(data),
                    width=probe.width,
                    height=probe.height,
                    format=probe.format,
                    readable=probe.readable,
                    problem=probe.problem,
                )
            )
            shas.append(sha or "")
    return shas


def set_text(ws: Workstation, listing_id: int, title: str, description: str = "") -> None:
    with ws.db.write() as s:
        listing = s.get_one(orm.Listing, listing_id)
        listing.title, listing.description = title, description


def priority_of(ws: Workstation, item_id: int) -> int:
    with ws.db.read() as s:
        return s.get_one(orm.ReviewItem, item_id).priority


@pytest.fixture(scope="session")
def engines() -> Engines:
    """The real models, OCR and text rules, loaded once for the whole test run."""
    return EngineLoader(MODELS).get()


@pytest.fixture
def pws(ws: Workstation, engines: Engines) -> Workstation:
    """The ``ws`` fixture (SQLite and PostgreSQL) with the shared engines."""
    ws.predictions.adopt(engines)
    return ws
