"""How predictions move an item up its queue, and how results are worded for people."""

from __future__ import annotations

import pytest

from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.predictions.model import (
    AdultResult,
    CategoryScore,
    ProductTypeResult,
    RiskCategory,
    TopLabel,
)
from moderator_app.domain.predictions.prediction_policy import MAX_BOOST, priority_boost
from moderator_app.domain.predictions.text_rules import (
    RuleKind,
    Severity,
    TextFinding,
    TextLocation,
    TextSource,
)


def product(category: RiskCategory, score: float) -> ProductTypeResult:
    rest = (1 - score) / 6
    cats = tuple(CategoryScore(c, score if c is category else rest) for c in RiskCategory)
    return ProductTypeResult(cats, (TopLabel("pill bottle", score), TopLabel("lotion", 0.05)), 0.3, 0.6)


def finding(kind: RuleKind, severity: Severity) -> TextFinding:
    where = TextLocation(TextSource.TITLE)
    return TextFinding("r", "Rule", kind, PolicyCategory.OTHER, severity, "x", 0, 1, where)


def test_nothing_strong_gives_no_boost() -> None:
    result = priority_boost([product(RiskCategory.MEDICINE_HEALTH, 0.5)], [AdultResult(0.5, 0.4, 0.8)], [])
    assert (result.boost, result.reasons) == (0, ())


def test_a_strong_high_harm_category_and_strong_adult_content_each_add_fifteen() -> None:
    result = priority_boost([product(RiskCategory.WEAPONS, 0.7)], [AdultResult(0.9, 0.4, 0.8)], [])
    assert result.boost == 30
    assert result.reasons == (
        "+15: a photo appears to show weapons or military gear",
        "+15: a photo may show adult content (90%)",
    )


def test_fashion_is_not_a_high_harm_category_however_sure_the_model_is() -> None:
    assert priority_boost([product(RiskCategory.FASHION_ACCESSORIES, 0.99)], [], []).boost == 0


def test_findings_count_once_per_kind_strong_ten_notes_three_and_the_total_is_capped() -> None:
    findings = [
        finding(RuleKind.HIDDEN_LINK, Severity.STRONG),
        finding(RuleKind.HIDDEN_LINK, Severity.STRONG),
        finding(RuleKind.SAFETY_MARK, Severity.NOTE),
    ]
    assert priority_boost([], [], findings).boost == 13
    many = [finding(k, Severity.STRONG) for k in RuleKind]
    capped = priority_boost([product(RiskCategory.CHILDREN_TOYS, 0.8)], [], many)
    assert capped.boost == MAX_BOOST and capped.reasons[-1] == f"capped at +{MAX_BOOST}"


@pytest.mark.parametrize("category", list(RiskCategory))
def test_the_wording_says_appears_to_show_and_never_unsafe_or_counterfeit(category: RiskCategory) -> None:
    sentence = product(category, 0.8).appears_to_show()
    assert "unsafe" not in sentence.lower() and "counterfeit" not in sentence.lower()
    if category is RiskCategory.OTHER:
        assert sentence.startswith("The photo does not clearly show one of the watched product types")
    else:
        assert sentence.startswith("The photo appears to show ") and "(80%)" in sentence
    assert "closest labels: pill bottle, lotion" in sentence


def test_the_adult_phrase_says_it_is_blurred_only_above_the_threshold() -> None:
    assert AdultResult(0.41, 0.4, 0.8).blur
    assert "blurred until you show it" in AdultResult(0.41, 0.4, 0.8).phrase
    assert not AdultResult(0.39, 0.4, 0.8).blur
    assert AdultResult(0.39, 0.4, 0.8).phrase == "No sign of adult content (39%)."
