"""Drawings of soft goods and toys: teddy bears, blocks, magnet balls, bags, shoes and shirts."""

from __future__ import annotations

from PIL import ImageDraw

from moderator_app.demo.fonts import centered, font, lines_in_box
from moderator_app.demo.paint import Box, ink_on, label_of, shade
from moderator_app.demo.spec import ImageSpec


def draw_bear(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    cx = x0 + w * 0.42
    fur, dark = spec.body, shade(spec.body, 0.65)
    head_r, body_r = h * 0.22, h * 0.3
    hy, by = y0 + head_r + h * 0.05, y1 - body_r
    for ex in (-1, 1):
        d.ellipse(
            (
                cx + ex * head_r * 0.8 - head_r * 0.38,
                hy - head_r * 1.15,
                cx + ex * head_r * 0.8 + head_r * 0.38,
                hy - head_r * 0.4,
            ),
            fill=dark,
        )
        d.ellipse(
            (
                cx + ex * body_r * 0.95 - h * 0.09,
                by - body_r * 0.6,
                cx + ex * body_r * 0.95 + h * 0.09,
                by + body_r * 0.1,
            ),
            fill=dark,
        )
    d.ellipse((cx - body_r, by - body_r, cx + body_r, by + body_r), fill=fur)
    d.ellipse(
        (cx - body_r * 0.55, by - body_r * 0.45, cx + body_r * 0.55, by + body_r * 0.7), fill=shade(fur, 1.3)
    )
    d.ellipse((cx - head_r, hy - head_r, cx + head_r, hy + head_r), fill=fur)
    d.ellipse((cx - head_r * 0.45, hy, cx + head_r * 0.45, hy + head_r * 0.7), fill=shade(fur, 1.35))
    d.ellipse((cx - head_r * 0.12, hy + head_r * 0.1, cx + head_r * 0.12, hy + head_r * 0.3), fill="#222")
    for ex in (-1, 1):
        ex_c = cx + ex * head_r * 0.4
        d.ellipse(
            (ex_c - head_r * 0.09, hy - head_r * 0.3, ex_c + head_r * 0.09, hy - head_r * 0.12), fill="#111"
        )
    tag = (x0 + w * 0.7, y0 + h * 0.4, x1 + w * 0.04, y0 + h * 0.7)
    d.line((cx + body_r * 0.5, by - body_r * 0.7, tag[0], tag[1] + 10), fill="#555", width=2)
    d.rectangle(tag, fill="#ffffff", outline=spec.accent, width=3)
    lines_in_box(
        d, (tag[0] + 6, tag[1] + 6, tag[2] - 6, tag[3] - 6), label_of(spec, 2), "#202020", first_scale=1.2
    )
    return (x0 + w * 0.7, tag[3] + 8, x1, y1)


def draw_blocks(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    size = min((x1 - x0) / 3.4, (y1 - y0) / 2.3)
    colours = [spec.body, spec.accent, "#f2c230", "#3b8ad9", "#45b36b", "#e2574c"]
    letters = "ABCDEF"
    positions = [(0, 1), (1, 1), (2, 1), (0.5, 0), (1.5, 0)]
    for i, (col, row) in enumerate(positions):
        bx, by = x0 + col * size * 1.08, y0 + (y1 - y0) - (2 - row) * size * 1.04
        d.rectangle(
            (bx, by, bx + size, by + size), fill=colours[i % 6], outline=shade(colours[i % 6], 0.6), width=3
        )
        centered(d, (bx + size / 2, by + size / 2), letters[i], "bold", int(size * 0.6), size, "#ffffff")
    # the hang tag beside the top row: brand and (for the CE mark) a free lower half
    tag = (x0 + 2.6 * size * 1.08, y1 - 2 * size * 1.04, x0 + 3.2 * size * 1.08 + size * 0.1, y1 - size * 1.1)
    d.rectangle(tag, fill="#ffffff", outline=spec.accent, width=2)
    mid = (tag[1] + tag[3]) / 2
    lines_in_box(d, (tag[0] + 3, tag[1] + 3, tag[2] - 3, mid), label_of(spec, 1), "#202020", first_scale=1.0)
    return (tag[0] + 2, mid, tag[2] - 2, tag[3] - 2)


def draw_balls(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    r = (x1 - x0) / 26
    for row in range(9):
        for col in range(12 - row % 2):
            cx = x0 + (x1 - x0) * 0.08 + col * r * 1.95 + (row % 2) * r
            cy = y1 - r - row * r * 1.7
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=spec.body, outline=shade(spec.body, 0.5))
            d.ellipse((cx - r * 0.55, cy - r * 0.6, cx - r * 0.1, cy - r * 0.15), fill=shade(spec.body, 1.7))
    return (x0, y0, x1, y1 - 9 * r * 1.7 - r)


def draw_bag(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    top = y0 + h * 0.3
    lw = max(6, int(w * 0.035))
    d.arc(
        (x0 + w * 0.2, y0 + h * 0.02, x1 - w * 0.2, top + h * 0.3),
        180,
        360,
        fill=shade(spec.body, 0.6),
        width=lw,
    )
    d.polygon([(x0 + w * 0.08, top), (x1 - w * 0.08, top), (x1, y1), (x0, y1)], fill=spec.body)
    brand = spec.label[0] if spec.label else ""
    mono = brand[:2]
    f = font("serif", int(h * 0.06))
    mono_w = f.getlength(mono)
    light = shade(spec.body, 1.28)
    # A monogram canvas for designer-style brands (upper case); a plain leather bag stays plain.
    for row in range(8 if brand.isupper() else 0):
        py = top + h * 0.03 + row * h * 0.085
        if py > y1 - h * 0.08:
            break
        inset = w * 0.08 * (1 - (py - top) / (y1 - top)) + w * 0.03
        for col in range(10):
            px = x0 + inset + col * w * 0.115 + (row % 2) * w * 0.055
            if px + mono_w < x1 - inset:
                d.text((px, py), mono, font=f, fill=light)
    d.polygon(
        [
            (x0 + w * 0.08, top),
            (x1 - w * 0.08, top),
            (x1 - w * 0.12, top + h * 0.28),
            (x0 + w * 0.12, top + h * 0.28),
        ],
        fill=shade(spec.body, 0.8),
    )
    plate = ((x0 + x1) / 2 - w * 0.22, top + h * 0.2, (x0 + x1) / 2 + w * 0.22, top + h * 0.33)
    d.rounded_rectangle(plate, radius=6, fill="#d4af37", outline="#8f7420", width=2)
    centered(
        d,
        ((plate[0] + plate[2]) / 2, (plate[1] + plate[3]) / 2),
        spec.label[0] if spec.label else "",
        "serif",
        int((plate[3] - plate[1]) * 0.6),
        plate[2] - plate[0] - 10,
        "#3a2c05",
    )
    return (x0 + w * 0.1, y1 - h * 0.3, x1 - w * 0.1, y1 - h * 0.06)


def draw_shoe(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    sole_top = y0 + h * 0.72
    upper = [
        (x0 + w * 0.02, sole_top),
        (x0 + w * 0.04, y0 + h * 0.3),
        (x0 + w * 0.2, y0 + h * 0.22),
        (x0 + w * 0.3, y0 + h * 0.3),
        (x0 + w * 0.52, y0 + h * 0.42),
        (x0 + w * 0.8, y0 + h * 0.5),
        (x1 - w * 0.02, y0 + h * 0.62),
        (x1, sole_top),
    ]
    d.polygon(upper, fill=spec.body, outline=shade(spec.body, 0.6))
    d.rounded_rectangle(
        (x0, sole_top, x1 + w * 0.01, y1), radius=h * 0.08, fill="#f4f4f2", outline="#b5b5b5", width=2
    )
    d.line(
        (x0 + w * 0.01, sole_top + (y1 - sole_top) * 0.45, x1, sole_top + (y1 - sole_top) * 0.45),
        fill="#c9c9c9",
        width=3,
    )
    for i in range(5):
        lx = x0 + w * (0.32 + i * 0.055)
        ly = y0 + h * (0.33 + i * 0.035)
        d.line((lx, ly, lx + w * 0.05, ly - h * 0.06), fill="#fafafa", width=max(3, int(h * 0.025)))
    stripe = [
        (x0 + w * 0.2, y0 + h * 0.62),
        (x0 + w * 0.7, y0 + h * 0.48),
        (x0 + w * 0.78, y0 + h * 0.53),
        (x0 + w * 0.28, y0 + h * 0.68),
    ]
    d.polygon(stripe, fill=spec.accent)
    if spec.label:
        centered(
            d,
            (x0 + w * 0.6, y0 + h * 0.64),
            spec.label[0],
            "bold",
            int(h * 0.08),
            w * 0.36,
            ink_on(spec.body),
        )
    d.rectangle((x0 + w * 0.03, y0 + h * 0.3, x0 + w * 0.1, y0 + h * 0.5), fill=spec.accent)
    return (x0 + w * 0.05, y0, x0 + w * 0.45, y0 + h * 0.2)


def draw_tshirt(d: ImageDraw.ImageDraw, b: Box, spec: ImageSpec) -> Box:
    x0, y0, x1, y1 = b
    w, h = x1 - x0, y1 - y0
    pts = [
        (x0 + w * 0.32, y0),
        (x0 + w * 0.42, y0 + h * 0.06),
        (x0 + w * 0.58, y0 + h * 0.06),
        (x0 + w * 0.68, y0),
        (x1, y0 + h * 0.18),
        (x1 - w * 0.1, y0 + h * 0.36),
        (x0 + w * 0.8, y0 + h * 0.3),
        (x0 + w * 0.8, y1),
        (x0 + w * 0.2, y1),
        (x0 + w * 0.2, y0 + h * 0.3),
        (x0 + w * 0.1, y0 + h * 0.36),
        (x0, y0 + h * 0.18),
    ]
    d.polygon(pts, fill=spec.body, outline=shade(spec.body, 0.7))
    d.arc(
        (x0 + w * 0.4, y0 - h * 0.06, x0 + w * 0.6, y0 + h * 0.08),
        0,
        180,
        fill=shade(spec.body, 0.7),
        width=4,
    )
    lines_in_box(
        d,
        (x0 + w * 0.26, y0 + h * 0.22, x0 + w * 0.74, y0 + h * 0.58),
        label_of(spec, 2),
        spec.accent if ink_on(spec.body) != ink_on(spec.accent) else ink_on(spec.body),
        first_scale=1.8,
    )
    return (x0 + w * 0.26, y0 + h * 0.62, x0 + w * 0.74, y1 - h * 0.05)
