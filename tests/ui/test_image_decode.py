"""Decoding untrusted images at the shown size, in a worker, never crashing on bad files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage

from moderator_app.domain.review.model import ImageInfo
from moderator_app.storage.media import MAX_IMAGE_PIXELS
from moderator_app.ui.review.image_decode import MAX_DECODE_PIXELS, Decoded, ImageDecoder


def info_for(path: Path | None, *, readable: bool = True, problem: str | None = None) -> ImageInfo:
    w = h = None
    if path is not None and readable and path.exists():
        try:
            with Image.open(path) as im:
                w, h = im.size
        except OSError:
            pass
    return ImageInfo(1, 1, 0, "x" * 64, w, h, None, readable, problem, str(path) if path else None)


def in_worker(decoder: ImageDecoder, info: ImageInfo, box: tuple[int, int]) -> Decoded:
    """Decode on a plain worker thread (what the window's image pool does)."""
    out: list[Decoded] = []
    t = threading.Thread(target=lambda: out.append(decoder.decode(info, box)))
    t.start()
    t.join()
    return out[0]


def test_a_large_jpeg_is_decoded_at_the_shown_size(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (120, 30, 200)).save(path, "JPEG", quality=85)
    d = in_worker(ImageDecoder(), info_for(path), (800, 600))
    assert d.ok and d.native == (4000, 3000)
    assert d.image is not None and d.image.width() <= 800 and d.image.height() <= 600
    assert d.image.width() >= 700  # fits the box, not a tiny thumbnail
    assert d.image.pixelColor(100, 100).red() in range(110, 131)
    assert not d.full_resolution and d.covers((800, 600)) and not d.covers((1600, 1200))


def test_transparent_png_keeps_its_alpha(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "alpha.png"
    Image.new("RGBA", (300, 200), (0, 200, 0, 0)).save(path)
    d = in_worker(ImageDecoder(), info_for(path), (1024, 1024))
    assert d.image is not None and d.full_resolution
    assert d.image.format() == QImage.Format.Format_ARGB32_Premultiplied
    assert d.image.pixelColor(10, 10).alpha() == 0


def test_an_image_marked_unreadable_is_never_opened(qapp: object, tmp_path: Path) -> None:
    decoder = ImageDecoder()
    d = in_worker(
        decoder, info_for(tmp_path / "bomb.png", readable=False, problem="refused: too large"), (500, 500)
    )
    assert not d.ok and d.problem == "refused: too large"
    assert sum(decoder.decodes_by_thread.values()) == 0


def truncated_jpeg(tmp_path: Path) -> bytes:
    good = tmp_path / "good.jpg"
    Image.effect_noise((600, 400), 60).convert("RGB").save(good, "JPEG", quality=90)
    data = good.read_bytes()
    return data[: len(data) // 3]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("truncated", "corrupt or truncated"),
        (b"this is not an image", "not an image"),
    ],
)
def test_bad_bytes_behind_a_readable_mark_become_a_reason(
    qapp: object, tmp_path: Path, content: bytes | str, reason: str
) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(truncated_jpeg(tmp_path) if content == "truncated" else content)  # type: ignore[arg-type]
    d = in_worker(ImageDecoder(), info_for(path, readable=True), (500, 500))
    assert not d.ok and d.problem is not None and reason in d.problem


def test_a_missing_file_and_a_missing_path_become_a_reason(qapp: object, tmp_path: Path) -> None:
    assert "missing" in (in_worker(ImageDecoder(), info_for(tmp_path / "gone.jpg"), (10, 10)).problem or "")
    assert "no file" in (in_worker(ImageDecoder(), info_for(None), (10, 10)).problem or "")


def test_too_many_pixels_are_refused_before_decoding(qapp: object, tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("1", (8000, 6000)).save(path)  # 48 megapixels, small on disk
    d = in_worker(ImageDecoder(), info_for(path), (500, 500))
    assert not d.ok and d.problem is not None and "too many pixels" in d.problem


def test_the_window_honours_the_importers_pixel_limit() -> None:
    assert MAX_DECODE_PIXELS == MAX_IMAGE_PIXELS
