"""The text rules as supervisors ship them: each kind is found with where it was found; ordinary listing
text is left alone; a broken rule is named and the others keep working."""

from __future__ import annotations

import json

import pytest

from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.predictions.ocr import OcrLine, sub_box
from moderator_app.domain.predictions.text_rules import (
    RuleKind,
    RulesError,
    RuleSet,
    Severity,
    TextSource,
    parse_rules,
)
from moderator_app.paths import resources_dir

RULES_FILE = resources_dir() / "text_rules.json"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return parse_rules(RULES_FILE.read_text(encoding="utf-8"))


def test_the_shipped_rules_load_without_problems(rules: RuleSet) -> None:
    assert rules.problems == ()
    assert {r.kind for r in rules.rules} == set(RuleKind)
    assert rules.version.startswith("2026.11-1 ")


@pytest.mark.parametrize(
    ("text", "kind", "matched", "category"),
    [
        (
            "Herbal drops cure cancer naturally",
            RuleKind.HEALTH_CLAIM,
            "cure cancer",
            PolicyCategory.ILLEGAL_MEDICINE,
        ),
        (
            "Lose 10 kg in 14 days!",
            RuleKind.HEALTH_CLAIM,
            "Lose 10 kg in 14 days",
            PolicyCategory.ILLEGAL_MEDICINE,
        ),
        (
            "Tadalafil 20mg x 30",
            RuleKind.PRESCRIPTION_SUBSTANCE,
            "Tadalafil",
            PolicyCategory.ILLEGAL_MEDICINE,
        ),
        (
            "ohne Rezept lieferbar",
            RuleKind.PRESCRIPTION_SUBSTANCE,
            "ohne Rezept",
            PolicyCategory.ILLEGAL_MEDICINE,
        ),
        ("Pure DMAA pre-workout", RuleKind.PRESCRIPTION_SUBSTANCE, "DMAA", PolicyCategory.ILLEGAL_MEDICINE),
        (
            "Natural fat-burner tea",
            RuleKind.SUPPLEMENT_CLAIM,
            "fat-burner",
            PolicyCategory.UNAPPROVED_SUPPLEMENT,
        ),
        ("Designer belt AAA quality", RuleKind.COUNTERFEIT_BRAND, "AAA quality", PolicyCategory.COUNTERFEIT),
        ("Louis Vuitton Neverfull", RuleKind.COUNTERFEIT_BRAND, "Louis Vuitton", PolicyCategory.COUNTERFEIT),
        ("Charger, CE marked", RuleKind.SAFETY_MARK, "CE marked", PolicyCategory.UNSAFE_ELECTRICAL),
        ("Puzzle tested to EN 71-3", RuleKind.SAFETY_MARK, "EN 71-3", PolicyCategory.UNSAFE_ELECTRICAL),
        ("Adapter UKCA", RuleKind.SAFETY_MARK, "UKCA", PolicyCategory.UNSAFE_ELECTRICAL),
        (
            "Ask on WhatsApp: +86 138 0013 8000",
            RuleKind.HIDDEN_LINK,
            "WhatsApp: +86 138 0013 8000",
            PolicyCategory.HIDDEN_LINK,
        ),
        (
            "cheaper at www.best-deals.shop",
            RuleKind.HIDDEN_LINK,
            "www.best-deals.shop",
            PolicyCategory.HIDDEN_LINK,
        ),
        (
            "orders (at) toyshop dot de",
            RuleKind.HIDDEN_LINK,
            "orders (at) toyshop dot de",
            PolicyCategory.HIDDEN_LINK,
        ),
    ],
)
def test_each_kind_is_found_in_the_title_with_the_matched_text(
    rules: RuleSet, text: str, kind: RuleKind, matched: str, category: PolicyCategory
) -> None:
    found = [f for f in rules.scan_listing(text, "") if f.kind is kind]
    assert [f.matched_text for f in found] == [matched]
    (f,) = found
    assert f.category is category
    assert text[f.start : f.end] == matched
    assert f.location.source is TextSource.TITLE and f.location.describe() == "title"
    assert f.summary == f'{f.rule_title}: "{matched}" (title)'


@pytest.mark.parametrize(
    "text",
    [
        "Organic cotton T-shirt, size M",
        "Signal light with 3 modes, line of 20 LEDs",
        "Children's book: a copy signed by the author",
        "Our CEO recommends this desk lamp",
        "Faux fur coat, fake fur, warm",
        "Price 24.90 EUR, EAN 4006381333931, 120 pcs",
        "Ceramic vase, 30 x 20 cm, made 2024-10-03",
    ],
)
def test_ordinary_listing_text_is_left_alone(rules: RuleSet, text: str) -> None:
    assert rules.scan_listing(text, text) == []


def test_findings_say_where_they_are_description_and_image_with_the_box_of_the_match(rules: RuleSet) -> None:
    box = ((100.0, 50.0), (500.0, 50.0), (500.0, 90.0), (100.0, 90.0))
    found = rules.scan_listing(
        "Slimming tea",
        "Gentle herbs.\nA miracle cure for all!",
        {2: [OcrLine("nothing here", 0.9, box), OcrLine("Call +49 30 1234567", 0.95, box)]},
    )
    where = [(f.kind, f.location.source, f.location.image_position, f.location.line) for f in found]
    assert where == [
        (RuleKind.HEALTH_CLAIM, TextSource.DESCRIPTION, None, None),
        (RuleKind.HIDDEN_LINK, TextSource.IMAGE, 2, 1),
    ]
    image_finding = found[1]
    assert image_finding.location.describe() == "text in image 3"
    assert image_finding.matched_text == "+49 30 1234567"
    # the box covers the number, not the word "Call": it starts 5/19 of the way along the line
    (x0, _), (x1, _), _, _ = image_finding.location.box or box
    assert x0 == pytest.approx(100 + 400 * 5 / 19) and x1 == pytest.approx(500)
    assert image_finding.severity is Severity.STRONG


def test_longer_terms_win_over_shorter_ones_at_the_same_place(rules: RuleSet) -> None:
    found = rules.scan_listing("CE certified toy", "")
    assert [f.matched_text for f in found] == ["CE certified"]


def _rules(*entries: dict[str, object]) -> str:
    return json.dumps({"version": "test", "rules": list(entries)})


GOOD = {"id": "ok", "kind": "health_claim", "category": "illegal_medicine", "terms": ["cures"]}


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (
            {**GOOD, "id": "re", "patterns": ["(unclosed"]},
            "rule 're': the pattern '(unclosed' is not a valid regular expression",
        ),
        ({**GOOD, "id": "cat", "category": "dangerous"}, "rule 'cat': unknown policy category 'dangerous'"),
        ({**GOOD, "id": "kind", "kind": "vibes"}, "rule 'kind': unknown kind 'vibes'"),
        ({**GOOD, "id": "empty", "terms": []}, "rule 'empty': has no terms, patterns or contact kinds"),
        (
            {**GOOD, "id": "words", "terms": "cures"},
            "rule 'words': 'terms', 'patterns' and 'contact' must be lists",
        ),
        ({**GOOD, "id": "ok"}, "rule 'ok': the id is used twice"),
        ({**GOOD, "id": ""}, "rule 2: has no id"),
    ],
)
def test_a_broken_rule_is_named_and_left_out_while_the_others_work(
    bad: dict[str, object], problem: str
) -> None:
    rules = parse_rules(_rules(GOOD, bad))
    assert len(rules.problems) == 1 and rules.problems[0].startswith(problem)
    assert [r.id for r in rules.rules] == ["ok"]
    assert [f.matched_text for f in rules.scan_listing("It cures", "")] == ["cures"]


def test_a_file_that_is_not_a_rule_set_is_refused_in_one_sentence() -> None:
    with pytest.raises(RulesError, match=r"not valid JSON \(line 1"):
        parse_rules("{ rules: ")
    with pytest.raises(RulesError, match="must be an object with a list 'rules'"):
        parse_rules('{"rules": {}}')


def test_the_version_changes_whenever_the_file_does() -> None:
    a = parse_rules(_rules(GOOD))
    b = parse_rules(_rules({**GOOD, "terms": ["cures", "heals"]}))
    assert a.version.startswith("test ") and a.version != b.version


def test_sub_box_of_the_whole_line_is_the_line() -> None:
    box = ((0.0, 0.0), (100.0, 0.0), (100.0, 10.0), (0.0, 10.0))
    assert sub_box(box, 0, 10, 10) == box
    assert sub_box(box, 5, 10, 10) == ((50.0, 0.0), (100.0, 0.0), (100.0, 10.0), (50.0, 10.0))
