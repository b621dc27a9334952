"""Text read from an image (OCR): lines with their boxes. Plain data, standard library only."""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]
Box = tuple[Point, Point, Point, Point]
"""Four corners (top-left, top-right, bottom-right, bottom-left) in pixels of the full-size image as
displayed (EXIF orientation applied), so the window can draw them over the picture at any zoom."""


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    score: float
    box: Box


def sub_box(box: Box, start: int, end: int, length: int) -> Box:
    """The part of a line's box that holds characters ``start:end`` of its ``length`` characters.

    OCR gives one box per line; a match inside the line is placed proportionally along the top and
    bottom edges, which is close enough for a highlight (characters are about equally wide).
    """
    if length <= 0 or (start <= 0 and end >= length):
        return box
    a, b = max(0.0, start / length), min(1.0, end / length)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box

    def along(p: Point, q: Point, t: float) -> Point:
        return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)

    return (
        along((x0, y0), (x1, y1), a),
        along((x0, y0), (x1, y1), b),
        along((x3, y3), (x2, y2), b),
        along((x3, y3), (x2, y2), a),
    )
