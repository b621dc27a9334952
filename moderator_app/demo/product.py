"""The scenarios of the demo and the shape of a product template.

A *kind* is what a listing is really about (what a moderator should find); a product template gives its
text in the languages sellers write in, what its photos show, and its price range. The templates
themselves are data: ``data/products_*.json``, one list of templates per kind (:func:`load_products`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from moderator_app.demo.data_files import frozen, read
from moderator_app.domain.enums import PolicyCategory

COUNTERFEIT_CLOTHING = "counterfeit_clothing"
COUNTERFEIT_BAG = "counterfeit_bag"
COUNTERFEIT_SHOE = "counterfeit_shoe"
UNSAFE_TOY = "unsafe_toy"
ILLEGAL_MEDICINE = "illegal_medicine"
UNAPPROVED_SUPPLEMENT = "unapproved_supplement"
UNSAFE_ELECTRICAL = "unsafe_electrical"
ADULT = "adult_content"
HIDDEN_LINK = "hidden_link"
HARMLESS = "no_violation"
PROHIBITED = "prohibited_item"
MISLEADING = "misleading_info"
TRACEABILITY = "trader_traceability"
OTHER = "other"

KINDS: dict[str, tuple[PolicyCategory, int]] = {
    # kind: (what flags on it allege, how many listings of it per 100)
    COUNTERFEIT_CLOTHING: (PolicyCategory.COUNTERFEIT, 8),
    COUNTERFEIT_BAG: (PolicyCategory.COUNTERFEIT, 8),
    COUNTERFEIT_SHOE: (PolicyCategory.COUNTERFEIT, 9),
    UNSAFE_TOY: (PolicyCategory.UNSAFE_TOY, 11),
    ILLEGAL_MEDICINE: (PolicyCategory.ILLEGAL_MEDICINE, 8),
    UNAPPROVED_SUPPLEMENT: (PolicyCategory.UNAPPROVED_SUPPLEMENT, 9),
    UNSAFE_ELECTRICAL: (PolicyCategory.UNSAFE_ELECTRICAL, 11),
    ADULT: (PolicyCategory.ADULT_CONTENT, 5),
    HIDDEN_LINK: (PolicyCategory.HIDDEN_LINK, 10),
    HARMLESS: (PolicyCategory.OTHER, 10),  # flagged wrongly: the category comes from the product
    PROHIBITED: (PolicyCategory.PROHIBITED_ITEM, 4),
    MISLEADING: (PolicyCategory.MISLEADING_INFO, 4),
    TRACEABILITY: (PolicyCategory.TRADER_TRACEABILITY, 2),
    OTHER: (PolicyCategory.OTHER, 2),
}

LANGS = ("en", "de", "fr", "pl", "it", "es")


@dataclass(frozen=True, slots=True)
class Product:
    shape: str  # what the first photo draws (see spec.SHAPES)
    category: str  # the marketplace's product category
    price: tuple[int, int]  # EUR range
    titles: dict[str, str]  # language -> title template; "en" always present
    texts: dict[str, str]  # language -> description template
    brands: tuple[str, ...] = ("",)
    models: tuple[str, ...] = ("",)
    sizes: tuple[str, ...] = ("",)
    label: tuple[str, ...] = ("{brand}",)  # printed on the product
    claims: tuple[str, ...] = ()  # stickers a seller lays over the photos
    small_print: tuple[str, ...] = ()  # the back label / leaflet
    mark: str = ""  # "", "CE", "CE_FAKE"
    colours: tuple[tuple[str, str], ...] = (("#f5f5f5", "#1565c0"),)
    views: tuple[str, ...] = ("product", "package", "card")
    ean_rate: float = 0.4
    alleged: PolicyCategory | None = None  # for harmless products: what the wrong flag alleges
    substance: str = ""  # for medicines and supplements: what automated checks match

    def fill(self, template: str, values: dict[str, str]) -> str:
        text = template
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return " ".join(text.split()) if "\n" not in text else text


PRODUCT_FILES = ("products_goods.json", "products_health.json", "products_misc.json")


def product_from(record: dict[str, Any], where: str) -> Product:
    known = {f.name for f in fields(Product)}
    unknown = sorted(set(record) - known)
    if unknown:
        raise ValueError(f"demo data {where}: unknown product field(s) {', '.join(unknown)}")
    values = {k: frozen(v) for k, v in record.items()}
    if values.get("alleged") is not None:
        values["alleged"] = PolicyCategory(values["alleged"])
    return Product(**values)


def load_products() -> dict[str, tuple[Product, ...]]:
    """Kind -> its product templates, from every products file, in file order."""
    pools: dict[str, tuple[Product, ...]] = {}
    for name in PRODUCT_FILES:
        for kind, records in read(name)["kinds"].items():
            if kind not in KINDS or kind in pools:
                raise ValueError(f"demo data {name}: {kind!r} is not a kind of product.KINDS or is repeated")
            pools[kind] = tuple(product_from(r, f"{name} {kind}[{i}]") for i, r in enumerate(records))
    return pools
