"""Decoding listing images at the size they are shown, off the GUI thread.

Images are untrusted. The importer probed each one (``ImageInfo.readable``/``problem``); an image marked
unreadable is never opened here. Readable ones are still decoded defensively: the pixel limit is checked
from the header before any pixel is decoded, JPEGs are decoded with ``draft`` straight at a reduced
scale, and every decode error becomes a reason the person can read.

:class:`ImageDecoder` counts decodes per thread and refuses to decode on the GUI thread, so the tests can
prove the window never decodes where it would freeze.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections import Counter
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from PySide6.QtGui import QImage

from moderator_app.domain.image_limits import DECODABLE_FORMATS, UNSUPPORTED_FORMAT
from moderator_app.domain.review.model import ImageInfo

MAX_DECODE_PIXELS = 40_000_000
"""Same limit as the importer's probe (moderator_app.storage.media.MAX_IMAGE_PIXELS; a test keeps them equal)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded image (or why there is none). ``box`` is the size it was decoded to fit in."""

    image_id: int
    box: tuple[int, int]
    image: QImage | None
    native: tuple[int, int] | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.image is not None

    @property
    def full_resolution(self) -> bool:
        return (
            self.image is not None
            and self.native is not None
            and (self.image.width(), self.image.height()) == self.native
        )

    def covers(self, box: tuple[int, int]) -> bool:
        """Whether this decode is sharp enough for ``box`` (or is as sharp as the image gets)."""
        if self.image is None or self.full_resolution:
            return True
        return self.box[0] >= box[0] and self.box[1] >= box[1]


class GuiThreadDecode(RuntimeError):
    """A decode was attempted on the GUI thread: a bug, it would freeze the window."""


class ImageDecoder:
    """Decodes :class:`ImageInfo` files into QImages that fit a box; thread-safe."""

    def __init__(self) -> None:
        """Build it on the GUI thread (the composition root does): that thread is then never allowed to decode."""
        self._lock = threading.Lock()
        self._gui_thread = threading.get_ident()
        self.decodes_by_thread: Counter[int] = Counter()

    def decode(self, info: ImageInfo, box: tuple[int, int]) -> Decoded:
        if threading.get_ident() == self._gui_thread:
            raise GuiThreadDecode("image decode on the GUI thread")
        if not info.readable:
            return Decoded(info.id, box, None, _native(info), info.problem or "the image could not be read")
        if not info.path:
            return Decoded(info.id, box, None, _native(info), "no file was stored for this image")
        with self._lock:
            self.decodes_by_thread[threading.get_ident()] += 1
        try:
            image, native = _decode_file(info.path, box)
        except FileNotFoundError:
            return Decoded(
                info.id, box, None, _native(info), "the image file is missing from the media folder"
            )
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return Decoded(
                info.id, box, None, _native(info), "refused: too many pixels (possible decompression bomb)"
            )
        except UnidentifiedImageError:
            return Decoded(info.id, box, None, _native(info), UNSUPPORTED_FORMAT)
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
            return Decoded(info.id, box, None, _native(info), f"corrupt or truncated image: {exc}")
        return Decoded(info.id, box, image, native, None)

    def decodes_on(self, thread_ident: int) -> int:
        with self._lock:
            return self.decodes_by_thread.get(thread_ident, 0)


def _native(info: ImageInfo) -> tuple[int, int] | None:
    return (info.width, info.height) if info.width and info.height else None


def _decode_file(path: str, box: tuple[int, int]) -> tuple[QImage, tuple[int, int]]:
    bw, bh = max(1, box[0]), max(1, box[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path, formats=DECODABLE_FORMATS) as im:
            if im.width * im.height > MAX_DECODE_PIXELS:
                raise Image.DecompressionBombError(f"{im.width}x{im.height}")
            orientation = im.getexif().get(0x0112, 1) if hasattr(im, "getexif") else 1
            turned = orientation in (5, 6, 7, 8)
            native = (im.height, im.width) if turned else (im.width, im.height)
            # Decode straight at a reduced scale where the format can (JPEG: DCT scaling).
            im.draft("RGB", (bh, bw) if turned else (bw, bh))
            im.load()
            if getattr(im, "n_frames", 1) > 1:
                im.seek(0)
            pic = ImageOps.exif_transpose(im) if orientation != 1 else im
            if pic.width > bw or pic.height > bh:
                pic.thumbnail((bw, bh), Image.Resampling.BILINEAR, reducing_gap=2.0)
            return _to_qimage(pic), native


def _to_qimage(pic: Image.Image) -> QImage:
    has_alpha = pic.mode in ("RGBA", "LA", "PA") or (pic.mode == "P" and "transparency" in pic.info)
    if has_alpha:
        rgba = pic.convert("RGBA")
        data = rgba.tobytes("raw", "BGRA")
        fmt = QImage.Format.Format_ARGB32  # BGRA bytes are ARGB32 on little-endian machines
        if not _little_endian():
            data, fmt = rgba.tobytes("raw", "RGBA"), QImage.Format.Format_RGBA8888
    else:
        rgb = pic.convert("RGB")
        data = rgb.tobytes("raw", "BGRX")
        fmt = QImage.Format.Format_RGB32
        if not _little_endian():
            data, fmt = rgb.tobytes("raw", "RGBX"), QImage.Format.Format_RGBX8888
    image = QImage(data, pic.width, pic.height, pic.width * 4, fmt)
    # Detach from the Python buffer; premultiply here, not on the GUI thread.
    if fmt == QImage.Format.Format_ARGB32:
        return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()


def _little_endian() -> bool:
    return sys.byteorder == "little"
