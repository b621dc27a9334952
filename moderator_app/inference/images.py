"""Untrusted image bytes to model inputs, with Pillow and numpy, never decoding more than needed.

- The file size and the pixel count (read from the header) are checked before any pixel is decoded,
  with the media store's limits (:mod:`moderator_app.domain.image_limits`).
- JPEGs are decoded with ``draft`` straight at a reduced size: just large enough for the models (shorter
  side >= 256) or, for OCR, for a longer side of about 1600 pixels. A 24-megapixel photo is decoded at
  1/8 of its size for classification.
- EXIF orientation is applied (as the review window does), so OCR boxes land where the window draws.
- Transparent images are put on white (product photos are often cut out).
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from moderator_app.domain.image_limits import (
    DECODABLE_FORMATS,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    UNSUPPORTED_FORMAT,
)
from moderator_app.inference.manifest import InputSpec

OCR_MAX_SIDE = 1600
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}


class ImageUnreadable(Exception):
    """The image cannot be used; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class PreparedImage:
    width: int  # full size as displayed (EXIF orientation applied)
    height: int
    decoded_size: tuple[int, int]  # what was actually decoded (less than full size for large JPEGs)
    inputs: tuple[np.ndarray, ...]  # uint8 RGB [224, 224, 3], one per requested InputSpec
    ocr: np.ndarray | None = None  # uint8 BGR, longer side <= OCR_MAX_SIDE
    ocr_scale: float = 1.0  # full-size pixels per OCR pixel


def read_bytes(path: Path) -> bytes:
    """The bytes of an image file, refusing oversized files before reading them."""
    try:
        size = os.stat(path).st_size
        if size > MAX_IMAGE_BYTES:
            raise ImageUnreadable(_too_big(size))
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImageUnreadable("no such file") from None
    except IsADirectoryError:
        raise ImageUnreadable("it is a folder, not a file") from None
    except PermissionError:
        raise ImageUnreadable("permission denied") from None
    except OSError as exc:
        raise ImageUnreadable(f"cannot be read ({exc.strerror or exc})") from None


def _too_big(size: int) -> str:
    return f"refused: the file is {size / 2**20:.1f} MiB (the limit is {MAX_IMAGE_BYTES / 2**20:.0f} MiB)"


def prepare(data: bytes, specs: Sequence[InputSpec], *, ocr: bool = False) -> PreparedImage:
    """Decode once (reduced where possible) and make one input array per spec, plus the OCR picture.

    Raises :class:`ImageUnreadable` for empty, oversized, corrupt, truncated or non-image data.
    """
    if not data:
        raise ImageUnreadable("empty file")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageUnreadable(_too_big(len(data)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=DECODABLE_FORMATS) as im:
                return _prepare_open(im, specs, ocr)
    except ImageUnreadable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageUnreadable("refused: too many pixels (possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise ImageUnreadable(UNSUPPORTED_FORMAT) from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, IndexError) as exc:
        raise ImageUnreadable(f"corrupt or truncated image ({exc})") from None


def _prepare_open(im: Image.Image, specs: Sequence[InputSpec], ocr: bool) -> PreparedImage:
    w, h = im.size
    if w <= 0 or h <= 0:
        raise ImageUnreadable("the image has no pixels")
    if w * h > MAX_IMAGE_PIXELS:
        raise ImageUnreadable(f"refused: {w}x{h} pixels is too large (possible decompression bomb)")
    need_short = max((s.resize_size for s in specs), default=0)
    factor = min(w, h) / need_short if need_short else 1.0  # how far we may reduce
    if ocr:
        factor = min(factor, max(w, h) / OCR_MAX_SIDE)
    if factor > 1 and im.format == "JPEG":
        im.draft("RGB", (max(1, int(w / factor)), max(1, int(h / factor))))
    im.load()  # before anything else reads the file: a failed load must raise here, not be half-done
    decoded_size = im.size
    orientation = _orientation(im)
    turned = orientation in _SWAPPING_ORIENTATIONS
    pic = ImageOps.exif_transpose(im) if orientation != 1 else im
    pic = _rgb(pic)
    full_w, full_h = (h, w) if turned else (w, h)
    inputs = tuple(_model_input(pic, spec) for spec in specs)
    ocr_arr = None
    ocr_scale = 1.0
    if ocr:
        longer = max(pic.size)
        small = pic
        if longer > OCR_MAX_SIDE:
            k = OCR_MAX_SIDE / longer
            small = pic.resize(
                (max(1, round(pic.width * k)), max(1, round(pic.height * k))), Image.Resampling.BILINEAR
            )
        ocr_arr = np.ascontiguousarray(np.asarray(small)[:, :, ::-1])  # RGB to BGR (OpenCV order)
        ocr_scale = full_w / small.width
    return PreparedImage(full_w, full_h, decoded_size, inputs, ocr_arr, ocr_scale)


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block is no reason to refuse the picture
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _rgb(im: Image.Image) -> Image.Image:
    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return im.convert("RGB")


def _model_input(pic: Image.Image, spec: InputSpec) -> np.ndarray:
    """Resize as the model was trained (via a source box, so only the cropped part is resampled)."""
    w, h = pic.size
    if spec.resize_mode == "squash":
        sx, sy = w / spec.resize_size, h / spec.resize_size
    else:
        s = min(w, h) / spec.resize_size
        sx = sy = s
    crop_w, crop_h = spec.size * sx, spec.size * sy
    left, top = (w - crop_w) / 2, (h - crop_h) / 2
    box = (left, top, left + crop_w, top + crop_h)
    out = pic.resize((spec.size, spec.size), Image.Resampling.BILINEAR, box=box, reducing_gap=3.0)
    return np.asarray(out, dtype=np.uint8)
