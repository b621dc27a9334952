"""Preprocessing of untrusted images: reduced decoding of large JPEGs, the media store's limits, EXIF
orientation, transparency, and one plain reason for every unusable file."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from moderator_app.domain import image_limits
from moderator_app.inference.images import OCR_MAX_SIDE, ImageUnreadable, prepare, read_bytes
from moderator_app.inference.manifest import InputSpec
from moderator_app.storage import media

SPECS = (InputSpec(224, "shorter_side", 256), InputSpec(224, "squash", 256))
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "images"


def _jpeg(
    size: tuple[int, int], colour: tuple[int, int, int] = (200, 120, 40), exif: Image.Exif | None = None
) -> bytes:
    im = Image.new("RGB", size, colour)
    im.paste((20, 40, 200), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85, exif=exif or Image.Exif())
    return buf.getvalue()


def test_the_limits_are_those_of_the_media_store() -> None:
    assert image_limits.MAX_IMAGE_PIXELS == media.MAX_IMAGE_PIXELS
    assert image_limits.MAX_IMAGE_BYTES == media.MAX_IMAGE_BYTES


def test_a_24_megapixel_photo_is_never_decoded_at_full_size() -> None:
    data = _jpeg((6000, 4000))
    small = prepare(data, SPECS)
    assert (small.width, small.height) == (6000, 4000)
    assert small.decoded_size == (750, 500)  # JPEG draft at 1/8: 64 times fewer pixels
    assert [a.shape for a in small.inputs] == [(224, 224, 3), (224, 224, 3)]
    assert all(a.dtype == np.uint8 for a in small.inputs)

    with_ocr = prepare(data, SPECS, ocr=True)
    w, h = with_ocr.decoded_size
    assert w * h <= 6000 * 4000 / 4 and max(w, h) >= OCR_MAX_SIDE
    assert with_ocr.ocr is not None and max(with_ocr.ocr.shape[:2]) == OCR_MAX_SIDE
    assert with_ocr.ocr_scale == pytest.approx(6000 / OCR_MAX_SIDE)


def test_the_aspect_ratio_is_kept_for_the_product_model_and_squashed_for_the_adult_model() -> None:
    im = Image.new("RGB", (1000, 500), (255, 255, 255))
    im.paste((255, 0, 0), (0, 0, 250, 500))  # a red band on the left quarter
    buf = io.BytesIO()
    im.save(buf, "PNG")
    product, adult = prepare(buf.getvalue(), SPECS).inputs
    assert product[112, 5].tolist() == [255, 255, 255]  # centre crop: the red band is cut away
    assert adult[112, 5, 0] > 200 and adult[112, 5, 1] < 60  # squashed: the band is still there


def test_exif_orientation_is_applied_so_boxes_match_the_window() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees
    prepared = prepare(_jpeg((400, 200), exif=exif), SPECS, ocr=True)
    assert (prepared.width, prepared.height) == (200, 400)
    assert prepared.ocr is not None and prepared.ocr.shape[:2] == (400, 200)


def test_transparent_pixels_become_white() -> None:
    im = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    product, _ = prepare(buf.getvalue(), SPECS).inputs
    assert product.min() == 255


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.jpg", "empty file"),
        ("not-an-image.jpg", "not an image of a supported format"),
        ("truncated.jpg", "corrupt or truncated image"),
        ("corrupt.png", "corrupt or truncated image"),
        ("bomb.png", "refused: too many pixels"),
        ("poster-64mp.png", "refused: 8000x8000 pixels is too large"),
    ],
)
def test_unusable_files_get_one_plain_reason(name: str, reason: str) -> None:
    with pytest.raises(ImageUnreadable, match=reason):
        prepare(read_bytes(SAMPLES / name), SPECS, ocr=True)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as fh:  # a sparse file: nothing is really written
        fh.truncate(image_limits.MAX_IMAGE_BYTES + 3 * 2**20)
    with pytest.raises(ImageUnreadable, match=r"refused: the file is 53.0 MiB \(the limit is 50 MiB\)"):
        read_bytes(path)
    with pytest.raises(ImageUnreadable, match="no such file"):
        read_bytes(tmp_path / "missing.jpg")
    with pytest.raises(ImageUnreadable, match="folder"):
        read_bytes(tmp_path)
    assert os.path.getsize(path) > image_limits.MAX_IMAGE_BYTES
