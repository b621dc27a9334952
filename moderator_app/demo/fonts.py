"""Fonts for the demo images: DejaVu when the system has it, Pillow's own scalable font otherwise.

The basic layout engine is used on purpose: it is faster than raqm and gives the same pixels on every
machine with the same font files, which keeps the demo images byte-for-byte reproducible.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FACES = {
    "sans": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "cond": "DejaVuSansCondensed-Bold.ttf",
    "serif": "DejaVuSerif-Bold.ttf",
    "mono": "DejaVuSansMono.ttf",
}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=512)
def font(face: str, size: int) -> Font:
    size = max(6, int(size))
    path = DEJAVU / FACES.get(face, FACES["sans"])
    if path.is_file():
        try:
            return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def text_width(text: str, f: Font) -> float:
    return float(f.getlength(text))


def fitted_size(text: str, face: str, size: int, max_width: float) -> int:
    """``size`` or smaller, so that ``text`` in ``face`` fits in ``max_width``."""
    size = max(6, int(size))
    width = text_width(text, font(face, size))
    if width <= max_width or width <= 0:
        return size
    return max(6, int(size * max_width / width))


def fitted(text: str, face: str, size: int, max_width: float) -> Font:
    return font(face, fitted_size(text, face, size, max_width))


def centered(
    draw: ImageDraw.ImageDraw,
    center: tuple[float, float],
    text: str,
    face: str,
    size: int,
    max_width: float,
    fill: str,
) -> None:
    """Draw one line centred on ``center``, shrunk to fit ``max_width``."""
    draw.text(center, text, font=fitted(text, face, size, max_width), fill=fill, anchor="mm")


def lines_in_box(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    lines: tuple[str, ...] | list[str],
    fill: str,
    *,
    first_face: str = "bold",
    face: str = "cond",
    first_scale: float = 1.6,
) -> None:
    """Stack lines centred in ``box``: the first (the brand) larger, the others at one common size,
    all shrunk to fit the width."""
    lines = [line for line in lines if line]
    if not lines:
        return
    x0, y0, x1, y1 = box
    width, height = (x1 - x0) * 0.92, y1 - y0
    unit = height / ((first_scale + len(lines) - 1) * 1.3)
    head = fitted_size(lines[0], first_face, int(unit * first_scale), width)
    rest = int(min([unit, head * 0.8] + [fitted_size(t, face, int(unit), width) for t in lines[1:]]))
    sizes = [head] + [rest] * (len(lines) - 1)
    total = sum(s * 1.3 for s in sizes)
    y = y0 + (height - total) / 2
    for i, (line, size) in enumerate(zip(lines, sizes, strict=True)):
        f = font(first_face if i == 0 else face, size)
        draw.text(((x0 + x1) / 2, y + size * 0.65), line, font=f, fill=fill, anchor="mm")
        y += size * 1.3
