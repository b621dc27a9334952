"""Content-addressed media files, and the one careful way of looking into untrusted image bytes.

Files are stored once under their SHA-256 (``ab/abcdef...``) in a folder beside the database, written
to a temporary name and renamed, so a crash never leaves a half file under a real name.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from moderator_app.domain.image_limits import DECODABLE_FORMATS, UNSUPPORTED_FORMAT

MAX_IMAGE_PIXELS = 40_000_000
"""Larger images are refused as possible decompression bombs (Pillow's own limit is ~89 MP)."""

MAX_IMAGE_BYTES = 50 * 1024 * 1024
"""Larger files are not stored at all."""


@dataclass(frozen=True, slots=True)
class ImageProbe:
    width: int | None
    height: int | None
    format: str | None
    readable: bool
    problem: str | None


def probe_image(data: bytes) -> ImageProbe:
    """Find out what an untrusted image is without ever fully decoding a huge one.

    Corrupt, truncated, non-image and decompression-bomb inputs come back as ``readable=False`` with
    the reason; nothing here raises for bad bytes.
    """
    if not data:
        return ImageProbe(None, None, None, False, "empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=DECODABLE_FORMATS) as im:
                width, height, fmt = im.width, im.height, im.format
                if width * height > MAX_IMAGE_PIXELS:
                    return ImageProbe(
                        width,
                        height,
                        fmt,
                        False,
                        f"refused: {width}x{height} pixels is too large (possible decompression bomb)",
                    )
                # Decode at a reduced size (JPEG draft) to catch truncated and corrupt data cheaply.
                im.draft("RGB", (256, 256))
                im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return ImageProbe(None, None, None, False, f"refused: possible decompression bomb ({exc})")
    except UnidentifiedImageError:
        return ImageProbe(None, None, None, False, UNSUPPORTED_FORMAT)
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        return ImageProbe(None, None, None, False, f"corrupt or truncated image: {exc}")
    return ImageProbe(width, height, fmt, True, None)


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store bytes under their SHA-256 and return it; storing the same bytes twice is free."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()
