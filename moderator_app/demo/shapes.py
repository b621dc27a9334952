"""Flat, photo-like drawings of the products moderators see: boxes, bottles, blisters, toys, chargers,
bags, shoes and shirts, each with its printed text. Simple shapes, fast to draw at any size."""

from __future__ import annotations

from collections.abc import Callable

from PIL import ImageDraw

from moderator_app.demo.fonts import lines_in_box
from moderator_app.demo.paint import Box, ink_on, label_of, shade
from moderator_app.demo.shapes_soft import (
    draw_bag,
    draw_balls,
    draw_bear,
    draw_blocks,
    draw_shoe,
    draw_tshirt,
)
from moderator_app.demo.spec import ImageSpec


def draw_box(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    depth = (x1 - x0) * 0.16
    front = (x0, y0 + depth, x1 - depth, y1)
    d.polygon(
        [(x0, y0 + depth), (x0 + depth, y0), (x1, y0), (x1 - depth, y0 + depth)], fill=shade(spec.body, 1.25)
    )
    d.polygon(
        [(x1 - depth, y0 + depth), (x1, y0), (x1, y1 - depth), (x1 - depth, y1)], fill=shade(spec.body, 0.7)
    )
    d.rectangle(front, fill=spec.body)
    fx0, fy0, fx1, fy1 = front
    band = fy0 + (fy1 - fy0) * 0.62
    d.rectangle((fx0, band, fx1, band + (fy1 - fy0) * 0.05), fill=spec.accent)
    pad = (fx1 - fx0) * 0.06
    lines_in_box(d, (fx0 + pad, fy0 + pad, fx1 - pad, band - pad * 0.4), label_of(spec, 3), ink_on(spec.body))
    return (fx0, band + (fy1 - fy0) * 0.08, fx1, fy1)


def draw_bottle(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec, *, jar: bool = False) -> Box:
    x0, y0, x1, y1 = b
    w = x1 - x0
    cx = (x0 + x1) / 2
    bw = w * (0.78 if jar else 0.5)
    body = (cx - bw / 2, y0 + (y1 - y0) * (0.2 if jar else 0.28), cx + bw / 2, y1)
    neck_w = bw * (0.9 if jar else 0.42)
    d.rounded_rectangle(body, radius=bw * 0.14, fill=spec.body)
    d.rectangle(
        (cx - bw / 2 + bw * 0.06, body[1] + 6, cx - bw / 2 + bw * 0.13, body[3] - 10),
        fill=shade(spec.body, 1.35),
    )
    cap_top = y0 + (y1 - y0) * (0.08 if jar else 0.04)
    if not jar:
        d.rectangle(
            (cx - neck_w / 2, y0 + (y1 - y0) * 0.16, cx + neck_w / 2, body[1] + 4),
            fill=shade(spec.body, 0.85),
        )
    d.rounded_rectangle(
        (cx - neck_w / 2 - 4, cap_top, cx + neck_w / 2 + 4, body[1] if jar else y0 + (y1 - y0) * 0.17),
        radius=6,
        fill=spec.accent,
    )
    lab = (body[0], body[1] + (body[3] - body[1]) * 0.18, body[2], body[1] + (body[3] - body[1]) * 0.8)
    d.rectangle(lab, fill="#f7f4ec")
    d.rectangle((lab[0], lab[1], lab[2], lab[1] + (lab[3] - lab[1]) * 0.07), fill=spec.accent)
    pad = bw * 0.07
    lines_in_box(
        d, (lab[0] + pad, lab[1] + pad * 1.4, lab[2] - pad, lab[3] - pad), label_of(spec, 4), "#1d1d1d"
    )
    return (lab[0], lab[3] + pad, lab[2], body[3])


def draw_jar(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    return draw_bottle(d, b, spec, jar=True)


def draw_blister(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    top = y0 + (y1 - y0) * 0.12
    d.rounded_rectangle(
        (x0, top, x1, y1 - (y1 - y0) * 0.02), radius=14, fill="#c9ced6", outline="#9aa1ab", width=2
    )
    strip = (x0, top, x1, top + (y1 - top) * 0.24)
    d.rounded_rectangle(strip, radius=14, fill=spec.accent)
    lines_in_box(
        d,
        (x0 + 12, strip[1] + 4, x1 - 12, strip[3] - 4),
        label_of(spec, 2),
        ink_on(spec.accent),
        first_scale=1.3,
    )
    cols, rows = 5, 2
    gx0, gy0, gx1, gy1 = x0 + 20, strip[3] + 16, x1 - 20, y1 - (y1 - y0) * 0.02 - 16
    cw, ch = (gx1 - gx0) / cols, (gy1 - gy0) / rows
    for r in range(rows):
        for c in range(cols):
            px, py = gx0 + c * cw, gy0 + r * ch
            d.ellipse(
                (px + cw * 0.12, py + ch * 0.2, px + cw * 0.88, py + ch * 0.8),
                fill="#e9edf2",
                outline="#8c939d",
                width=2,
            )
            d.ellipse((px + cw * 0.24, py + ch * 0.3, px + cw * 0.76, py + ch * 0.7), fill=spec.body)
            d.ellipse((px + cw * 0.32, py + ch * 0.34, px + cw * 0.44, py + ch * 0.44), fill="#ffffff")
    return (x0, y0, x1, top - 6)


def draw_charger(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    top = y0 + (y1 - y0) * 0.2
    w = min((x1 - x0) * 0.95, (y1 - top) / 1.05)
    cx = (x0 + x1) / 2
    body = (cx - w / 2, y1 - w * 1.05, cx + w / 2, y1)
    for ex in (-1, 1):
        px = cx + ex * w * 0.2
        d.rounded_rectangle(
            (px - w * 0.045, body[1] - w * 0.3, px + w * 0.045, body[1] + 4), radius=w * 0.04, fill="#b9bcc2"
        )
    d.rounded_rectangle(body, radius=w * 0.12, fill=spec.body, outline=shade(spec.body, 0.75), width=3)
    d.rectangle(
        (body[0] + w * 0.06, body[1] + w * 0.08, body[0] + w * 0.1, body[3] - w * 0.12),
        fill=shade(spec.body, 1.2),
    )
    for i in range(3):
        px = body[0] + w * (0.22 + i * 0.22)
        d.rounded_rectangle(
            (px, body[3] - w * 0.17, px + w * 0.14, body[3] - w * 0.09), radius=4 if i else 10, fill="#1b1b1b"
        )
    lines_in_box(
        d,
        (body[0] + w * 0.12, body[1] + w * 0.06, body[2] - w * 0.06, body[1] + w * 0.62),
        label_of(spec, 3),
        ink_on(spec.body),
        first_scale=2.0,
    )
    return (body[0] + w * 0.5, body[1] + w * 0.64, body[2] - w * 0.08, body[3] - w * 0.2)


def draw_strip(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    """A power strip in its cardboard sleeve, the way it is photographed for sale."""
    x0, y0, x1, y1 = b
    h = (y1 - y0) * 0.36
    body = (x0 + (x1 - x0) * 0.06, y1 - h, x1, y1)
    d.line(
        [(x0 - 20, y1 - h * 0.1), (x0 + (x1 - x0) * 0.03, y1 - h * 0.35), (body[0] + 4, y1 - h / 2)],
        fill="#333",
        width=max(4, int(h * 0.08)),
    )
    d.rounded_rectangle(body, radius=h * 0.25, fill=spec.body, outline=shade(spec.body, 0.7), width=3)
    sockets = 5
    left = body[0] + h * 1.0
    step = (body[2] - left - h * 0.2) / sockets
    for i in range(sockets):
        sx, sy, rr = left + i * step + step / 2, body[1] + h / 2, min(h * 0.34, step * 0.42)
        d.ellipse(
            (sx - rr, sy - rr, sx + rr, sy + rr),
            fill=shade(spec.body, 0.85),
            outline=shade(spec.body, 0.6),
            width=2,
        )
        for ex in (-1, 1):
            d.ellipse((sx + ex * rr * 0.38 - 4, sy - 4, sx + ex * rr * 0.38 + 4, sy + 4), fill="#222")
    d.rounded_rectangle(
        (body[0] + h * 0.3, body[1] + h * 0.25, body[0] + h * 0.75, body[3] - h * 0.25),
        radius=5,
        fill="#d62b2b",
    )
    sleeve = (left + step * 1.2, body[1] - h * 0.35, left + step * 3.8, body[3] + h * 0.05)
    d.rectangle(sleeve, fill=spec.accent, outline=shade(spec.accent, 0.7), width=2)
    pad = (sleeve[2] - sleeve[0]) * 0.06
    lines_in_box(
        d,
        (sleeve[0] + pad, sleeve[1] + pad, sleeve[2] - pad, sleeve[3] - h * 0.45),
        label_of(spec, 3),
        ink_on(spec.accent),
        first_scale=1.4,
    )
    return (sleeve[0], sleeve[3] - h * 0.45, sleeve[2], sleeve[3] - 4)


def draw_battery(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    h = (y1 - y0) * 0.42
    cy = y1 - h / 2 - 2
    body = (x0, cy - h / 2, x1 - h * 0.18, cy + h / 2)
    d.rounded_rectangle((body[2] - 6, cy - h * 0.18, x1, cy + h * 0.18), radius=6, fill="#c0c4ca")
    d.rounded_rectangle(body, radius=h * 0.18, fill=spec.body)
    d.rectangle(
        (body[0] + 10, body[1] + h * 0.12, body[2] - 10, body[1] + h * 0.22), fill=shade(spec.body, 1.4)
    )
    d.rectangle((body[2] - h * 0.5, body[1], body[2] - h * 0.38, body[3]), fill=spec.accent)
    lines_in_box(
        d,
        (body[0] + h * 0.3, body[1] + h * 0.1, body[2] - h * 0.6, body[3] - h * 0.1),
        label_of(spec, 2),
        ink_on(spec.body),
        first_scale=1.4,
    )
    return (x0, y0, x1, body[1] - 10)


DRAWERS: dict[str, Callable[[ImageDraw.ImageDraw, Box, ImageSpec], Box]] = {
    "box": draw_box,
    "bottle": draw_bottle,
    "jar": draw_jar,
    "blister": draw_blister,
    "bear": draw_bear,
    "blocks": draw_blocks,
    "balls": draw_balls,
    "charger": draw_charger,
    "strip": draw_strip,
    "battery": draw_battery,
    "bag": draw_bag,
    "shoe": draw_shoe,
    "tshirt": draw_tshirt,
}
"""Each draws the product in the box and returns a free area where a CE mark fits."""
