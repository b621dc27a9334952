"""Render the demo's listing photos from their specs with Pillow.

A photo is a backdrop (wall and table), a soft shadow, the drawn product with its print, the stickers
a seller lays over it (claims, prices, WhatsApp numbers) and sometimes a CE mark or a barcode. Adult
listings get a neutral "image withheld" card; a few files are deliberately broken. Same spec, same bytes.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFilter

from moderator_app.demo.fonts import Font, centered, fitted, font, lines_in_box
from moderator_app.demo.paint import Box, ink_on, rgb, shade
from moderator_app.demo.shapes import DRAWERS
from moderator_app.demo.spec import NOT_IMAGE, PLACEHOLDER, TRUNCATED, ImageSpec

BACKDROPS = (
    ("#eeeae4", "#cdbfae", "#b59b7e"),  # cream wall, oak table
    ("#f4f5f7", "#dfe2e6", "#c4c8ce"),  # white studio sweep
    ("#e3e7ec", "#a7b1bb", "#7b858f"),  # grey wall, dark desk
    ("#f1ece6", "#e2d6c8", "#8a6d55"),  # beige wall, walnut
    ("#dde6e0", "#c0cec4", "#9aa89f"),  # pale green room
)

STICKER_COLOURS = (
    (("whatsapp", "wa:", "wa "), "#25d366", "#ffffff"),
    (("telegram", "tg:", "t.me"), "#229ed9", "#ffffff"),
    (("wechat", "weixin"), "#09b83e", "#ffffff"),
    (("www.", "http", ".example", "@"), "#1f3a68", "#ffffff"),
    (("%", "€", "zł", "only", "nur", "price", "prix"), "#d92b2b", "#ffffff"),
)

L_CODES = (
    "0001101",
    "0011001",
    "0010011",
    "0111101",
    "0100011",
    "0110001",
    "0101111",
    "0111011",
    "0110111",
    "0001011",
)
R_CODES = tuple("".join("1" if c == "0" else "0" for c in code) for code in L_CODES)
G_CODES = tuple(code[::-1] for code in R_CODES)
PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def render(spec: ImageSpec) -> bytes:
    """The file bytes of one demo image (broken on purpose for the broken kinds)."""
    if spec.kind == NOT_IMAGE:
        return (
            "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
            f"<body><h1>Not Found</h1><p>The requested URL /{spec.path} was not found on this server.</p>"
            "</body></html>\n"
        ).encode()
    image = placeholder(spec) if spec.kind == PLACEHOLDER else photo(spec)
    data = encode(image, spec.fmt)
    if spec.kind == TRUNCATED:
        return data[: max(1024, int(len(data) * 0.45))]
    return data


def encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", compress_level=3)
    else:
        image.save(out, "JPEG", quality=86)
    return out.getvalue()


def photo(spec: ImageSpec) -> Image.Image:
    w, h = spec.width, spec.height
    wall, wall_low, table = BACKDROPS[spec.variation % len(BACKDROPS)]
    image = backdrop(w, h, wall, wall_low, table, horizon=0.64 + (spec.variation % 3) * 0.04)
    d = ImageDraw.Draw(image)
    if spec.view == "card":
        free = draw_card(image, d, spec)
    else:
        area = product_area(w, h, spec)
        drop_shadow(image, area)
        drawer = DRAWERS["box" if spec.view == "package" else spec.shape]
        free = drawer(d, area, spec)
        if spec.view == "package" and spec.ean:
            fx0, fy0, fx1, fy1 = free
            barcode(d, (fx0 + (fx1 - fx0) * 0.05, fy0, fx0 + (fx1 - fx0) * 0.62, fy1 - 6), spec.ean)
            free = (fx0 + (fx1 - fx0) * 0.64, fy0, fx1, fy1)
    if spec.mark:
        x0, y0, x1, y1 = free
        ground = image.getpixel((int((x0 + x1) / 2), int((y0 + y1) / 2)))
        ink = ink_on("#{:02x}{:02x}{:02x}".format(*ground[:3])) if isinstance(ground, tuple) else "#111111"
        ce_mark(d, free, fake=spec.mark == "CE_FAKE", ink=ink)
    stickers(image, spec)
    return image


def backdrop(w: int, h: int, wall: str, wall_low: str, table: str, horizon: float) -> Image.Image:
    """Wall fading down to a table top: one coloured column, stretched sideways (cheap at any size)."""
    y = int(h * horizon)
    top, low, desk, desk_low = rgb(wall), rgb(wall_low), rgb(table), rgb(shade(table, 0.8))
    rows = bytearray()
    for i in range(h):
        a, b, t = (top, low, i / max(1, y)) if i < y else (desk, desk_low, (i - y) / max(1, h - y))
        rows += bytes(int(a[c] + (b[c] - a[c]) * t) for c in range(3))
    return Image.frombytes("RGB", (1, h), bytes(rows)).resize((w, h), Image.Resampling.NEAREST)


def product_area(w: int, h: int, spec: ImageSpec) -> Box:
    wide = spec.shape in ("shoe", "battery", "strip", "blister", "balls") and spec.view == "product"
    aspect = (
        1.7 if wide else (0.7 if spec.shape in ("bottle", "charger") and spec.view == "product" else 1.05)
    )
    bh = h * (0.5 if wide else 0.72)
    bw = min(w * 0.8, bh * aspect)
    bh = min(bh, bw / aspect) if wide else bh
    shift = ((spec.variation % 5) - 2) * w * 0.03
    cx, bottom = w / 2 + shift, h * (0.8 if wide else 0.86)
    return (cx - bw / 2, bottom - bh, cx + bw / 2, bottom)


def drop_shadow(image: Image.Image, area: Box) -> None:
    """A soft contact shadow under the product, blurred at an eighth of the size and only where it falls."""
    x0, y0, x1, y1 = area
    depth = (y1 - y0) * 0.06
    left, top = max(0, int(x0 - 40)), max(0, int(y1 - depth - 30))
    right, bottom = min(image.width, int(x1 + 60)), min(image.height, int(y1 + depth + 30))
    if right - left < 16 or bottom - top < 16:
        return
    scale = 8
    mask = Image.new("L", ((right - left) // scale + 1, (bottom - top) // scale + 1), 0)
    ImageDraw.Draw(mask).ellipse(
        (
            (x0 - 10 - left) / scale,
            (y1 - depth - top) / scale,
            (x1 + 30 - left) / scale,
            (y1 + depth - top) / scale,
        ),
        fill=120,
    )
    mask = mask.filter(ImageFilter.GaussianBlur(2)).resize(
        (right - left, bottom - top), Image.Resampling.BILINEAR
    )
    image.paste((40, 34, 30), (left, top, right, bottom), mask)


def draw_card(image: Image.Image, d: ImageDraw.ImageDraw, spec: ImageSpec) -> Box:
    w, h = image.size
    card = (w * 0.14, h * 0.08, w * 0.86, h * 0.92)
    drop_shadow(image, (card[0], card[3] - 40, card[2], card[3]))
    d.rectangle((card[0] + 6, card[1] + 8, card[2] + 6, card[3] + 8), fill=shade("#000000", 1.7))
    d.rectangle(card, fill="#fbfaf6", outline="#d6d2c8")
    cw = card[2] - card[0]
    head = card[1] + (card[3] - card[1]) * 0.16
    d.rectangle((card[0], card[1], card[2], head), fill=spec.accent)
    title = spec.label[0] if spec.label else ""
    centered(
        d,
        ((card[0] + card[2]) / 2, (card[1] + head) / 2),
        title,
        "bold",
        int((head - card[1]) * 0.55),
        cw * 0.9,
        ink_on(spec.accent),
    )
    raw = [*spec.label[1:3], *spec.small_print]
    bottom = card[3] - (card[3] - card[1]) * (0.28 if spec.ean else 0.08)
    top = head + (card[3] - card[1]) * 0.03
    size = int((card[3] - card[1]) * 0.05)
    lines = wrapped(raw, font("sans", size), cw * 0.88)
    while size > 8 and len(lines) * size * 1.35 > bottom - top:
        size -= 1
        lines = wrapped(raw, font("sans", size), cw * 0.88)
    for i, line in enumerate(lines):
        d.text((card[0] + cw * 0.06, top + i * size * 1.35), line, font=font("sans", size), fill="#262626")
    if spec.ean:
        barcode(d, (card[0] + cw * 0.08, bottom + 6, card[0] + cw * 0.58, card[3] - 14), spec.ean)
    return (card[0] + cw * 0.66, bottom + 6, card[2] - cw * 0.05, card[3] - 14)


def wrapped(lines: list[str], f: Font, width: float) -> list[str]:
    """Lines broken at spaces so that each fits ``width`` (a single over-long word stays whole)."""
    out: list[str] = []
    for text in lines:
        line = ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and f.getlength(candidate) > width:
                out.append(line)
                line = word
            else:
                line = candidate
        out.append(line)
    return out


def barcode(d: ImageDraw.ImageDraw, area: Box, ean: str) -> None:
    """A scannable-looking EAN-13 with its digits, in a white quiet zone."""
    x0, y0, x1, y1 = area
    width = min(x1 - x0, (y1 - y0) * 2.2)
    if width < 60:
        return
    module = width / 113
    bars = "101"
    for digit, parity in zip(ean[1:7], PARITY[int(ean[0])], strict=True):
        bars += (L_CODES if parity == "L" else G_CODES)[int(digit)]
    bars += "01010" + "".join(R_CODES[int(c)] for c in ean[7:]) + "101"
    height = min(y1 - y0, width * 0.45)
    left = x0 + (x1 - x0 - width) / 2
    d.rectangle((left, y0, left + width, y0 + height), fill="#ffffff")
    bar_bottom = y0 + height * 0.78
    for i, bit in enumerate(bars):
        if bit == "1":
            bx = left + (9 + i) * module
            d.rectangle((bx, y0 + height * 0.08, bx + module - 0.01, bar_bottom), fill="#111111")
    f = font("mono", max(6, int(height * 0.17)))
    d.text(
        (left + width / 2, bar_bottom + 2),
        f"{ean[0]} {ean[1:7]} {ean[7:]}",
        font=f,
        fill="#111111",
        anchor="mt",
    )


def ce_mark(d: ImageDraw.ImageDraw, area: Box, *, fake: bool, ink: str = "#111111") -> None:
    """The CE marking drawn from its two semicircles; the fake one has the letters crammed together."""
    x0, y0, x1, y1 = area
    r = min((x1 - x0) / 4.6, (y1 - y0) / 2.4, 60)
    if r < 6:
        return
    cx, cy = x0 + (x1 - x0) / 2 - r * 1.1, (y0 + y1) / 2
    line = max(2, int(r * 0.32))
    d.arc((cx - r, cy - r, cx + r, cy + r), 90, 270, fill=ink, width=line)
    ex = cx + r * (1.25 if fake else 2.05)
    d.arc((ex - r, cy - r, ex + r, cy + r), 90, 270, fill=ink, width=line)
    d.line((ex - r * (0.9 if fake else 1.0), cy, ex - r * 0.15, cy), fill=ink, width=line)


def stickers(image: Image.Image, spec: ImageSpec) -> None:
    w, h = image.size
    if spec.view == "card":
        spots: tuple[tuple[float, float, int], ...] = ((0.5, 0.86, -6), (0.56, 0.01, 5))
    else:
        spots = ((0.05, 0.05, -5), (0.52, 0.06, 4), (0.18, 0.86, -2), (0.55, 0.5, 6))
    for i, text in enumerate(spec.stickers[:4]):
        fill, ink = sticker_colours(text)
        size = int(min(w, h) * 0.05)
        f = fitted(text, "bold", size, w * 0.44)
        tw = int(f.getlength(text)) + size
        tile = Image.new("RGBA", (tw, int(size * 1.9)), (0, 0, 0, 0))
        td = ImageDraw.Draw(tile)
        td.rounded_rectangle(
            (0, 0, tw - 1, tile.height - 1), radius=size // 3, fill=fill, outline="#ffffff", width=2
        )
        td.text((tw / 2, tile.height / 2), text, font=f, fill=ink, anchor="mm")
        fx, fy, angle = spots[(i + spec.variation) % len(spots)]
        tile = tile.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        x = min(int(w * fx), w - tile.width - 4)
        y = min(int(h * fy), h - tile.height - 4)
        image.paste(tile, (max(4, x), max(4, y)), tile)


def sticker_colours(text: str) -> tuple[str, str]:
    low = text.lower()
    for needles, fill, ink in STICKER_COLOURS:
        if any(n in low for n in needles):
            return fill, ink
    return "#ffd23f", "#b3141b"


def placeholder(spec: ImageSpec) -> Image.Image:
    """Neutral stand-in for adult content: the demo never carries explicit imagery."""
    w, h = spec.width, spec.height
    image = Image.new("RGB", (w, h), "#e6e8ec")
    d = ImageDraw.Draw(image)
    step = max(24, w // 20)
    for x in range(-h, w, step):
        d.line((x, 0, x + h, h), fill="#dde0e5", width=max(2, step // 3))
    r = min(w, h) * 0.12
    cx, cy = w / 2, h * 0.36
    d.ellipse((cx - r * 1.6, cy - r, cx + r * 1.6, cy + r), outline="#6b7280", width=max(3, int(r * 0.12)))
    d.ellipse((cx - r * 0.5, cy - r * 0.5, cx + r * 0.5, cy + r * 0.5), fill="#6b7280")
    k = r * 1.5 / math.sqrt(2)
    d.line((cx - k, cy + k, cx + k, cy - k), fill="#e6e8ec", width=max(8, int(r * 0.36)))
    d.line((cx - k, cy + k, cx + k, cy - k), fill="#6b7280", width=max(3, int(r * 0.14)))
    lines_in_box(
        d,
        (w * 0.1, h * 0.58, w * 0.9, h * 0.9),
        ("Image withheld", *spec.label[:2]),
        "#374151",
        first_face="bold",
        face="sans",
        first_scale=1.5,
    )
    return image
