"""What one demo image shows, decided by the catalog and drawn by :mod:`images`.

Kept apart from both so the catalog stays free of Pillow and the tests can read what an image was meant
to carry (brand, claims, contact handles) without any OCR.
"""

from __future__ import annotations

from dataclasses import dataclass

PRODUCT = "product"
"""A drawn product photo."""
PLACEHOLDER = "placeholder"
"""A neutral 'image withheld' card: adult listings never get real imagery."""
TRUNCATED = "truncated"
"""A JPEG cut off half way, as an interrupted upload leaves it."""
NOT_IMAGE = "not_image"
"""An HTML error page saved under an image name, as a careless scraper leaves it."""

KINDS = (PRODUCT, PLACEHOLDER, TRUNCATED, NOT_IMAGE)
VIEWS = ("product", "package", "card")
SHAPES = (
    "box",
    "bottle",
    "blister",
    "bear",
    "blocks",
    "balls",
    "jar",
    "charger",
    "strip",
    "battery",
    "bag",
    "shoe",
    "tshirt",
)


@dataclass(frozen=True, slots=True)
class ImageSpec:
    path: str  # relative to the folder of the JSONL file, e.g. "images/DL-000001-1.jpg"
    kind: str  # one of KINDS
    view: str  # one of VIEWS: the product itself, its packaging, or a printed card / back label
    shape: str  # one of SHAPES
    width: int
    height: int
    fmt: str  # "JPEG" or "PNG"
    variation: int  # picks the backdrop, tilt and layout details
    body: str  # "#rrggbb" of the product
    accent: str  # "#rrggbb" of its print
    label: tuple[str, ...] = ()  # printed on the product, brand first
    stickers: tuple[str, ...] = ()  # banners over the photo: claims, contacts, prices
    mark: str = ""  # "", "CE" or "CE_FAKE"
    ean: str = ""  # 13 digits, printed as a barcode on packages and cards
    small_print: tuple[str, ...] = ()  # the lines of a card or back label

    @property
    def text(self) -> str:
        """Every piece of text the image carries, one per line (what a person could read off it)."""
        parts = [*self.label, *self.stickers, *self.small_print]
        if self.mark:
            parts.append("CE")
        if self.ean:
            parts.append(self.ean)
        return "\n".join(parts)
