"""Limits on untrusted image files, shared by everything that opens one.

The same values as :mod:`moderator_app.storage.media` (a test keeps them equal), here so that the
inference layer, which may not import storage, refuses exactly what the media store refuses.
"""

from __future__ import annotations

MAX_IMAGE_PIXELS = 40_000_000
"""Larger images are refused as possible decompression bombs (Pillow's own limit is ~89 MP)."""

MAX_IMAGE_BYTES = 50 * 1024 * 1024
"""Larger files are not read at all."""
