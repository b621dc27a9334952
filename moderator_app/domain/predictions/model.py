"""What the models say about an image, as plain data for the services, the window and the CLI.

A prediction helps a moderator look; it never decides. Every result carries its provenance (model id,
version, file SHA-256, threshold) so a decision can record which automated means were on screen.

Wording matters: product-type results are phrased "the photo appears to show ..." and never call a
product unsafe or counterfeit (the model cannot know either); :func:`appears_to_show` is the one place
that phrase is made, so the window and the CLI just display it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from moderator_app.domain.predictions.ocr import OcrLine
from moderator_app.domain.predictions.text_rules import TextFinding


class RiskCategory(StrEnum):
    """The product-risk categories of the product-type model (the order of its output)."""

    MEDICINE_HEALTH = "medicine_health"
    WEAPONS = "weapons"
    CHILDREN_TOYS = "children_toys"
    COSMETICS = "cosmetics"
    ELECTRICAL = "electrical"
    FASHION_ACCESSORIES = "fashion_accessories"
    OTHER = "other"


CATEGORY_PHRASE: dict[RiskCategory, str] = {
    RiskCategory.MEDICINE_HEALTH: "medicine or health products",
    RiskCategory.WEAPONS: "weapons or military gear",
    RiskCategory.CHILDREN_TOYS: "children's products or toys",
    RiskCategory.COSMETICS: "cosmetics or personal care products",
    RiskCategory.ELECTRICAL: "electrical appliances or electronics",
    RiskCategory.FASHION_ACCESSORIES: "fashion or accessories",
    RiskCategory.OTHER: "other products",
}
"""How a category is named to a person (never "unsafe", never "counterfeit")."""


class ModelKind(StrEnum):
    PRODUCT_TYPE = "product-type"
    ADULT_CONTENT = "adult-content"
    OCR = "ocr"


@dataclass(frozen=True, slots=True)
class ModelRef:
    """Which model made a prediction: enough to tell later whether automated means were involved."""

    id: str
    version: str
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version} ({self.sha256[:12]})"


@dataclass(frozen=True, slots=True)
class TopLabel:
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class CategoryScore:
    category: RiskCategory
    score: float

    @property
    def phrase(self) -> str:
        return CATEGORY_PHRASE[self.category]


@dataclass(frozen=True, slots=True)
class ProductTypeResult:
    """Risk-category probabilities (adding up to 1) and the top ImageNet labels of one image."""

    categories: tuple[CategoryScore, ...]
    top_labels: tuple[TopLabel, ...]
    show_threshold: float
    strong_threshold: float

    def score_of(self, category: RiskCategory) -> float:
        return next((c.score for c in self.categories if c.category is category), 0.0)

    @property
    def best(self) -> CategoryScore:
        return max(self.categories, key=lambda c: c.score)

    def shown(self) -> list[CategoryScore]:
        """Categories other than "other" at or above the show threshold, strongest first."""
        return sorted(
            (
                c
                for c in self.categories
                if c.category is not RiskCategory.OTHER and c.score >= self.show_threshold
            ),
            key=lambda c: -c.score,
        )

    def appears_to_show(self) -> str:
        return appears_to_show(self)


def appears_to_show(result: ProductTypeResult) -> str:
    """The one sentence the window and the CLI show for a product-type result."""
    shown = result.shown()
    labels = ", ".join(t.label for t in result.top_labels[:3])
    if not shown:
        return f"The photo does not clearly show one of the watched product types (closest labels: {labels})."
    parts = " or ".join(f"{c.phrase} ({c.score:.0%})" for c in shown)
    return f"The photo appears to show {parts}; closest labels: {labels}."


@dataclass(frozen=True, slots=True)
class AdultResult:
    score: float
    blur_threshold: float
    strong_threshold: float

    @property
    def blur(self) -> bool:
        """Blur the image in the review window until the reviewer shows it."""
        return self.score >= self.blur_threshold

    @property
    def phrase(self) -> str:
        if self.blur:
            return f"The photo may show adult content ({self.score:.0%}); it is blurred until you show it."
        return f"No sign of adult content ({self.score:.0%})."


@dataclass(frozen=True, slots=True)
class ImageScores:
    """What the models said about one image (no database ids: fresh from inference)."""

    product: ProductTypeResult | None = None
    adult: AdultResult | None = None
    ocr: tuple[OcrLine, ...] | None = None
    width: int | None = None
    height: int | None = None


# -- what the window shows ----------------------------------------------------------------------------


class ImageState(StrEnum):
    SCORED = "scored"  # every available model has a result
    PARTLY = "partly"  # some model has not run yet (OCR waits for background scoring)
    PENDING = "pending"  # nothing yet
    UNREADABLE = "unreadable"  # the image could not be read: nothing to score
    FAILED = "failed"  # a model could not read the stored bytes


@dataclass(frozen=True, slots=True)
class ProductTypeView:
    prediction_id: int
    model: ModelRef
    result: ProductTypeResult

    @property
    def sentence(self) -> str:
        return self.result.appears_to_show()


@dataclass(frozen=True, slots=True)
class AdultView:
    prediction_id: int
    model: ModelRef
    result: AdultResult


@dataclass(frozen=True, slots=True)
class OcrView:
    prediction_id: int
    model: ModelRef
    lines: tuple[OcrLine, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class ImagePredictions:
    image_id: int
    position: int
    sha256: str | None
    state: ImageState
    product: ProductTypeView | None = None
    adult: AdultView | None = None
    ocr: OcrView | None = None
    findings: tuple[TextFinding, ...] = ()  # found in this image's OCR text, with boxes
    problem: str | None = None

    @property
    def blur(self) -> bool:
        return self.adult is not None and self.adult.result.blur

    @property
    def prediction_ids(self) -> tuple[int, ...]:
        return tuple(v.prediction_id for v in (self.product, self.adult, self.ocr) if v is not None)


@dataclass(frozen=True, slots=True)
class ListingPredictions:
    """Everything the review window shows of the models and text rules for one listing."""

    listing_id: int
    images: tuple[ImagePredictions, ...]
    text_findings: tuple[TextFinding, ...]  # in the title and description
    models: tuple[ModelRef, ...]  # every model behind what is shown (for the "model versions" line)
    rules_version: str | None  # the text rules behind the findings, None when not scanned yet
    complete: bool  # background scoring has finished this listing with the current models and rules
    priority_boost: int = 0
    boost_reasons: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # e.g. a model file missing: said once, the rest still shown

    @property
    def blur_by_default(self) -> bool:
        return any(i.blur for i in self.images)

    @property
    def findings(self) -> tuple[TextFinding, ...]:
        """All findings: title and description first, then each image's OCR."""
        return self.text_findings + tuple(f for i in self.images for f in i.findings)

    @property
    def prediction_ids(self) -> tuple[int, ...]:
        """Pass to ``ReviewService.decide(shown_predictions=...)``: what was on screen."""
        return tuple(pid for i in self.images for pid in i.prediction_ids)

    @property
    def finding_ids(self) -> tuple[int, ...]:
        """Pass to ``ReviewService.decide(shown_findings=...)``."""
        return tuple(f.id for f in self.findings if f.id is not None)

    @property
    def model_versions(self) -> str:
        return ", ".join(m.label for m in self.models) + (
            f", text rules {self.rules_version}" if self.rules_version else ""
        )


@dataclass(frozen=True, slots=True)
class StoredPrediction:
    """One cached prediction row, with its provenance (for audits and the decision record)."""

    id: int
    image_sha256: str
    model: ModelRef
    score: float | None
    threshold: float | None
    scores: dict[str, float]
    labels: list[TopLabel]
    ocr: list[OcrLine] | None
    error: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DecisionEvidence:
    """The predictions and findings that were on screen when a decision was made."""

    decision_id: int
    predictions: list[StoredPrediction] = field(default_factory=list)
    findings: list[TextFinding] = field(default_factory=list)

    @property
    def automated_means_involved(self) -> bool:
        return bool(self.predictions or self.findings)


# -- scoring runs --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreProgress:
    listings_done: int
    listings_total: int
    images_scored: int

    @property
    def fraction(self) -> float | None:
        return None if not self.listings_total else min(1.0, self.listings_done / self.listings_total)


@dataclass(slots=True)
class ScoreReport:
    """What a scoring run did. Counts cover committed work only."""

    listings_scanned: int = 0
    items_reprioritised: int = 0
    images_scored: int = 0  # model runs on images not seen before (per image, any model)
    images_cached: int = 0  # images whose predictions were already stored
    images_failed: int = 0
    model_runs: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def exit_status(self) -> int:
        return 130 if self.interrupted else 0


@dataclass(frozen=True, slots=True)
class FilePrediction:
    """``moderator-app predict``: the result for one file, or why it could not be read."""

    path: str
    ok: bool
    problem: str | None = None
    width: int | None = None
    height: int | None = None
    product: ProductTypeResult | None = None
    adult: AdultResult | None = None
    ocr: tuple[OcrLine, ...] | None = None
    findings: tuple[TextFinding, ...] = ()
    models: tuple[ModelRef, ...] = ()

    @property
    def sentence(self) -> str | None:
        return self.product.appears_to_show() if self.product else None
