"""Limits on untrusted image files, shared by everything that opens one.

The same values as :mod:`moderator_app.storage.media` (a test keeps them equal), here so that the
inference layer, which may not import storage, refuses exactly what the media store refuses.
"""

from __future__ import annotations

MAX_IMAGE_PIXELS = 40_000_000
"""Larger images are refused as possible decompression bombs (Pillow's own limit is ~89 MP)."""

MAX_IMAGE_BYTES = 50 * 1024 * 1024
"""Larger files are not read at all."""

DECODABLE_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "GIF", "WEBP")
"""The only formats Pillow is allowed to decode (``Image.open(..., formats=DECODABLE_FORMATS)``), in the
media probe, the window's decoder and the model input loader alike. Marketplace feeds carry photos in
these; every other Pillow plugin (EPS hands the file to Ghostscript; PSD, PCX, TGA, ...) is attack
surface that a feed does not need. Anything else is :data:`UNSUPPORTED_FORMAT`, the listing kept."""

UNSUPPORTED_FORMAT = "not an image of a supported format (JPEG, PNG, GIF or WebP)"
