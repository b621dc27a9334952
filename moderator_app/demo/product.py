"""The scenarios of the demo and the shape of a product template.

A *kind* is what a listing is really about (what a moderator should find); a product template gives its
text in the languages sellers write in, what its photos show, and its price range.
"""

from __future__ import annotations

from dataclasses import dataclass

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
