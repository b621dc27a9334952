"""How predictions and text findings move an item up its queue: one small, documented rule.

A prediction never decides; it only changes the order in which people look. The boost is added to the
item's priority (see :func:`moderator_app.domain.review.policy.priority_for`, whose values run from about 10
to 110) and is at most :data:`MAX_BOOST`, so a flag from an authority or a trusted flagger still
outweighs anything a model says:

- +15 when the product-type model is strong (>= its "strong" threshold) on a high-harm category:
  medicine or health products, weapons, children's products or toys;
- +15 when the adult-content model is strong (>= its "strong" threshold);
- for each kind of text finding (health claim, prescription substance, hidden link, ...):
  +10 if any finding of that kind is "strong", else +3;
- at most +40 in all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from moderator_app.domain.predictions.model import (
    CATEGORY_PHRASE,
    AdultResult,
    ProductTypeResult,
    RiskCategory,
)
from moderator_app.domain.predictions.text_rules import RuleKind, Severity, TextFinding

HIGH_HARM = frozenset({RiskCategory.MEDICINE_HEALTH, RiskCategory.WEAPONS, RiskCategory.CHILDREN_TOYS})
PRODUCT_BOOST = 15
ADULT_BOOST = 15
STRONG_FINDING_BOOST = 10
NOTE_FINDING_BOOST = 3
MAX_BOOST = 40


@dataclass(frozen=True, slots=True)
class PriorityBoost:
    boost: int
    reasons: tuple[str, ...]


def priority_boost(
    products: Iterable[ProductTypeResult],
    adults: Iterable[AdultResult],
    findings: Iterable[TextFinding],
) -> PriorityBoost:
    """The boost for a listing from all its images' results and all its text findings."""
    boost = 0
    reasons: list[str] = []
    strong_categories = sorted(
        {
            c.category
            for p in products
            for c in p.categories
            if c.category in HIGH_HARM and c.score >= p.strong_threshold
        },
        key=lambda c: c.value,
    )
    if strong_categories:
        boost += PRODUCT_BOOST
        names = ", ".join(CATEGORY_PHRASE[c] for c in strong_categories)
        reasons.append(f"+{PRODUCT_BOOST}: a photo appears to show {names}")
    top_adult = max((a.score for a in adults if a.score >= a.strong_threshold), default=None)
    if top_adult is not None:
        boost += ADULT_BOOST
        reasons.append(f"+{ADULT_BOOST}: a photo may show adult content ({top_adult:.0%})")
    by_kind: dict[RuleKind, bool] = {}
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, False) or f.severity is Severity.STRONG
    for kind in sorted(by_kind, key=lambda k: k.value):
        add = STRONG_FINDING_BOOST if by_kind[kind] else NOTE_FINDING_BOOST
        boost += add
        reasons.append(f"+{add}: text rule finding ({kind.value.replace('_', ' ')})")
    if boost > MAX_BOOST:
        reasons.append(f"capped at +{MAX_BOOST}")
        boost = MAX_BOOST
    return PriorityBoost(boost, tuple(reasons))
