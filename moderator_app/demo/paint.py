"""Colour helpers shared by the drawings."""

from __future__ import annotations

from moderator_app.demo.spec import ImageSpec

Box = tuple[float, float, float, float]


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def shade(hex_colour: str, factor: float) -> str:
    """Darker (factor < 1) or lighter (factor > 1, towards white) version of a colour."""
    r, g, b = rgb(hex_colour)
    if factor <= 1:
        r, g, b = (int(c * factor) for c in (r, g, b))
    else:
        t = min(factor - 1, 1)
        r, g, b = (int(c + (255 - c) * t) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def ink_on(hex_colour: str) -> str:
    """Dark or white print, whichever reads on the colour."""
    r, g, b = rgb(hex_colour)
    return "#141414" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fafafa"


def label_of(spec: ImageSpec, count: int) -> tuple[str, ...]:
    return spec.label[:count]
