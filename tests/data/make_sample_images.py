"""Make the images of tests/data/sample-import.jsonl (run from anywhere; rewrites tests/data/images/).

Good product photos are small drawings made with Pillow; the bad ones are the failures an import meets
in real feeds: an empty file, a corrupt PNG, a truncated JPEG, a text file named .jpg, and a
decompression bomb (a PNG whose header claims 20000x20000 pixels while the file is under 100 bytes).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"


def product(size: tuple[int, int], colour: tuple[int, int, int], label: str) -> Image.Image:
    im = Image.new("RGB", size, (245, 245, 240))
    draw = ImageDraw.Draw(im)
    w, h = size
    draw.rounded_rectangle(
        (w // 6, h // 5, 5 * w // 6, 4 * h // 5), radius=8, fill=colour, outline=(40, 40, 40)
    )
    draw.text((w // 6 + 6, h // 5 + 6), label, fill=(255, 255, 255))
    return im


def encoded(im: Image.Image, fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG header claiming width x height (1-bit grey) with a token of pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")
    )


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    files = {
        "magnet-set-front.jpg": encoded(
            product((160, 120), (200, 60, 60), "MAGNETS 120"), "JPEG", quality=70
        ),
        "magnet-set-box.png": encoded(product((96, 96), (60, 90, 200), "BOX"), "PNG", optimize=True),
        "charger.jpg": encoded(product((140, 140), (30, 30, 30), "65W USB-C"), "JPEG", quality=70),
        "slimming-tea.webp": encoded(product((120, 160), (60, 150, 70), "SLIM TEA"), "WEBP", quality=60),
        "sneaker.jpg": encoded(product((180, 120), (230, 230, 230), "SNKR"), "JPEG", quality=70),
        "empty.jpg": b"",
        "not-an-image.jpg": b"This is the seller's price list, not a photo.\nItem 1: 9.99\n",
        "bomb.png": bomb_png(20000, 20000),  # over Pillow's own limit
        "poster-64mp.png": bomb_png(8000, 8000),  # under Pillow's limit, over the workstation's 40 MP
    }
    # A PNG whose compressed pixel data is damaged (the signature and header are fine).
    good = bytearray(encoded(product((64, 64), (120, 120, 0), "X"), "PNG"))
    start = good.index(b"IDAT") + 4
    good[start + 8 : start + 40] = bytes(32)
    files["corrupt.png"] = bytes(good)
    # A JPEG cut off after 40% of its bytes (an interrupted download).
    jpeg = encoded(product((200, 150), (250, 180, 0), "CUT"), "JPEG", quality=80)
    files["truncated.jpg"] = jpeg[: len(jpeg) * 2 // 5]
    for name, data in files.items():
        (IMAGES / name).write_bytes(data)
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(files)} files ({total} bytes) to {IMAGES}")


if __name__ == "__main__":
    main()
