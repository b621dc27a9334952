"""The Transparency Database's rules, the templates and the statements they make, without a database."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import MeasureStep, StatementAmendment
from moderator_app.domain.dsa.sor import DecisionContext, NoticeSignal, build_statement
from moderator_app.domain.dsa.templates import parse_templates
from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory, TraderKind
from moderator_app.domain.errors import InvalidInput
from moderator_app.paths import resources_dir

TEMPLATES_TEXT = (resources_dir() / "sor_templates.json").read_text(encoding="utf-8")
TEMPLATES = parse_templates(TEMPLATES_TEXT)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def good() -> dict[str, Any]:
    return {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "illegal_content_legal_ground": "Directive 2009/48/EC",
        "illegal_content_explanation": "Loose magnets.",
        "content_type": ["CONTENT_TYPE_PRODUCT"],
        "category": "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
        "category_specification": ["KEYWORD_UNSAFE_PRODUCTS"],
        "territorial_scope": ["DE", "AT"],
        "content_date": "2026-10-02",
        "application_date": "2026-11-02",
        "decision_facts": "A toy without CE marking.",
        "source_type": "SOURCE_ARTICLE_16",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": "mw-0123abc",
    }


def test_a_complete_statement_passes() -> None:
    assert tdb.validate(good()) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s.pop("decision_visibility"), "at least one of decision_visibility"),
        (
            lambda s: s.update(decision_visibility=["DECISION_VISIBILITY_OTHER"]),
            "decision_visibility_other: required",
        ),
        (
            lambda s: s.update(source_type="SOURCE_VOLUNTARY", source_identity="Jane"),
            "source_identity: must be absent",
        ),
        (
            lambda s: s.update(incompatible_content_ground="ToS 4"),
            "incompatible_content_ground: must be absent",
        ),
        (lambda s: s.pop("illegal_content_legal_ground"), "illegal_content_legal_ground: required"),
        (lambda s: s.update(illegal_content_explanation="x" * 2001), "at most 2000 characters"),
        (lambda s: s.update(decision_facts="x" * 5001), "at most 5000 characters"),
        (lambda s: s.update(category_specification=["KEYWORD_DANGEROUS_TOYS"]), "KEYWORD_DANGEROUS_TOYS"),
        (lambda s: s.update(category_addition=[s["category"]]), "must not repeat the main category"),
        (lambda s: s.update(territorial_scope=["DE", "UK"]), "not keys of the API: UK"),
        (lambda s: s.update(content_date="1999-12-31"), "content_date: must be between"),
        (lambda s: s.update(application_date="2026-13-01"), "application_date: must be a date"),
        (
            lambda s: s.update(end_date_visibility_restriction="2026-11-01"),
            "must not be before application_date",
        ),
        (lambda s: s.update(automated_detection="yes"), "automated_detection"),
        (lambda s: s.update(puid="mw 01"), "puid"),
        (lambda s: s.update(content_id={"EAN-13": "123"}), "content_id"),
        (lambda s: s.update(content_language="de"), "content_language"),
        (lambda s: s.update(trader_email="x@example.org"), "trader_email: not a field of the API"),
        (
            lambda s: s.update(decision_ground="DECISION_GROUND_INCOMPATIBLE_CONTENT"),
            "incompatible_content_ground: required",
        ),
    ],
)
def test_each_rule_of_the_api_is_enforced(change: Any, problem: str) -> None:
    s = good()
    change(s)
    problems = tdb.validate(s)
    assert any(problem in p for p in problems), problems


def ctx(action: Action, category: PolicyCategory, ground: Ground, **kw: Any) -> DecisionContext:
    base: dict[str, Any] = {
        "puid": "mw-test-1",
        "action": action,
        "category": category,
        "ground": ground,
        "explanation": "Found so by the moderator.",
        "reviewer": "ana",
        "decided_at": NOW,
        "content_date": date(2026, 10, 2),
        "trader_kind": TraderKind.BUSINESS,
        "flags": (NoticeSignal(FlagSource.USER_NOTICE, NOW),),
    }
    base.update(kw)
    return DecisionContext(**base)


@pytest.mark.parametrize("action", [Action.REMOVE, Action.RESTRICT, Action.WARN])
@pytest.mark.parametrize("category", list(PolicyCategory))
def test_every_template_makes_valid_statements_for_every_restricting_action(
    action: Action, category: PolicyCategory
) -> None:
    template = TEMPLATES.categories[category]
    for ground in (Ground.ILLEGAL_CONTENT, Ground.TERMS_OF_SERVICE):
        preview = build_statement(ctx(action, category, ground), TEMPLATES)
        if ground is Ground.ILLEGAL_CONTENT and not template.legal_ground:
            assert any("the law the listing breaks" in m for m in preview.missing)
            continue
        assert preview.missing == [], (category, ground, preview.missing)
        assert tdb.validate(preview.payload) == []


def test_measures_and_sources_map_to_the_api_keys() -> None:
    remove = build_statement(
        ctx(Action.REMOVE, PolicyCategory.COUNTERFEIT, Ground.ILLEGAL_CONTENT), TEMPLATES
    )
    assert remove.payload["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert remove.payload["category"] == "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
    assert remove.payload["category_specification"] == ["KEYWORD_TRADEMARK_INFRINGEMENT"]
    adult = build_statement(
        ctx(Action.RESTRICT, PolicyCategory.ADULT_CONTENT, Ground.TERMS_OF_SERVICE), TEMPLATES
    )
    assert adult.payload["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"]
    assert adult.payload["decision_ground_reference_url"].startswith("https://")
    voluntary = build_statement(
        ctx(
            Action.REMOVE,
            PolicyCategory.UNSAFE_TOY,
            Ground.ILLEGAL_CONTENT,
            flags=(NoticeSignal(FlagSource.AUTOMATED, NOW),),
        ),
        TEMPLATES,
    )
    assert voluntary.payload["source_type"] == "SOURCE_VOLUNTARY"
    assert voluntary.payload["automated_detection"] == "Yes"
    assert "source_identity" not in voluntary.payload
    trusted = (NoticeSignal(FlagSource.TRUSTED_FLAGGER, NOW, trusted_in_area=True),)
    outside = (NoticeSignal(FlagSource.TRUSTED_FLAGGER, NOW, trusted_in_area=False),)
    order = (NoticeSignal(FlagSource.AUTHORITY_ORDER, NOW),)
    for flags, expected in (
        (trusted, "SOURCE_TRUSTED_FLAGGER"),
        (outside, "SOURCE_ARTICLE_16"),
        (order, "SOURCE_TYPE_OTHER_NOTIFICATION"),
    ):
        p = build_statement(
            ctx(Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, flags=flags), TEMPLATES
        )
        assert p.payload["source_type"] == expected


def test_an_amended_statement_states_scope_and_end_date() -> None:
    a = StatementAmendment(territorial_scope=("FR", "DE"), restriction_end=date(2026, 12, 1))
    p = build_statement(ctx(Action.RESTRICT, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT), TEMPLATES, a)
    assert p.missing == []
    assert p.payload["territorial_scope"] == ["DE", "FR"]
    assert p.payload["end_date_visibility_restriction"] == "2026-12-01"
    early = StatementAmendment(restriction_end=date(2026, 11, 1))
    p = build_statement(
        ctx(Action.RESTRICT, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT), TEMPLATES, early
    )
    assert p.missing == ["an end of the restriction on or after the decision day 2026-11-02"]


def test_personal_data_makes_a_statement_incomplete() -> None:
    c = ctx(
        Action.REMOVE,
        PolicyCategory.HIDDEN_LINK,
        Ground.TERMS_OF_SERVICE,
        explanation="Seller Hubert asks buyers to write to shop@hubert.example",
        personal_data=("Hubert Kowalczyk",),
    )
    missing = build_statement(c, TEMPLATES).missing
    assert len(missing) == 1 and "an e-mail address" in missing[0]
    named = ctx(
        Action.REMOVE,
        PolicyCategory.UNSAFE_TOY,
        Ground.ILLEGAL_CONTENT,
        explanation="Hubert Kowalczyk knew.",
        personal_data=("Hubert Kowalczyk",),
    )
    assert "the name or contact of a trader or notifier" in build_statement(named, TEMPLATES).missing[0]


def test_no_statement_for_decisions_that_restrict_nothing() -> None:
    p = build_statement(
        ctx(Action.NO_VIOLATION, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT), TEMPLATES
    )
    assert p.payload == {} and p.missing == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("categories", "unsafe_toy", "category"),
            "STATEMENT_CATEGORY_TOYS",
            "categories.unsafe_toy.category",
        ),
        (
            ("categories", "counterfeit", "keywords"),
            ["KEYWORD_DANGEROUS_TOYS"],
            "categories.counterfeit.keywords",
        ),
        (("actions", "remove", "decision_visibility"), ["REMOVED"], "actions.remove.decision_visibility"),
        (("territorial_scope",), ["EU"], "territorial_scope"),
        (("account_measures", "suspension"), {"export": True}, "names no measure"),
    ],
)
def test_a_template_edit_with_a_wrong_key_is_refused_with_its_place(
    path: tuple[str, ...], value: Any, message: str
) -> None:
    raw = json.loads(TEMPLATES_TEXT)
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = copy.deepcopy(value)
    with pytest.raises(InvalidInput, match=message):
        parse_templates(json.dumps(raw))


def test_every_account_step_has_a_measure() -> None:
    assert set(TEMPLATES.account_measures) == set(MeasureStep)
