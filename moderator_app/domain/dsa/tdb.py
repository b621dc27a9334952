"""The DSA Transparency Database API v1: its vocabulary and its validation rules, in plain Python.

Field names and enum keys are those of the API (schema of 1 July 2025, StatementStoreRequest.php); the
rules are checked here exactly as the API checks them, so a statement that passes :func:`validate` is
one the API accepts. Enum KEYS are sent, never labels.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

BULK_LIMIT = 100
"""POST /api/v1/statements takes 1 to 100 statements."""

DECISION_VISIBILITY = frozenset(
    {
        "DECISION_VISIBILITY_CONTENT_REMOVED",
        "DECISION_VISIBILITY_CONTENT_DISABLED",
        "DECISION_VISIBILITY_CONTENT_DEMOTED",
        "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
        "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
        "DECISION_VISIBILITY_CONTENT_LABELLED",
        "DECISION_VISIBILITY_OTHER",
    }
)
DECISION_MONETARY = frozenset(
    {"DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION", "DECISION_MONETARY_OTHER"}
)
DECISION_PROVISION = frozenset(
    {
        "DECISION_PROVISION_PARTIAL_SUSPENSION",
        "DECISION_PROVISION_TOTAL_SUSPENSION",
        "DECISION_PROVISION_PARTIAL_TERMINATION",
        "DECISION_PROVISION_TOTAL_TERMINATION",
    }
)
DECISION_ACCOUNT = frozenset({"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"})
ACCOUNT_TYPE = frozenset({"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"})
GROUND_ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"
GROUND_INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
DECISION_GROUND = frozenset({GROUND_ILLEGAL, GROUND_INCOMPATIBLE})
CONTENT_TYPE = frozenset(
    {
        "CONTENT_TYPE_APP",
        "CONTENT_TYPE_AUDIO",
        "CONTENT_TYPE_IMAGE",
        "CONTENT_TYPE_PRODUCT",
        "CONTENT_TYPE_SYNTHETIC_MEDIA",
        "CONTENT_TYPE_TEXT",
        "CONTENT_TYPE_VIDEO",
        "CONTENT_TYPE_OTHER",
    }
)
CATEGORY = frozenset(
    {
        "STATEMENT_CATEGORY_ANIMAL_WELFARE",
        "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
        "STATEMENT_CATEGORY_CYBER_VIOLENCE",
        "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
        "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
        "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
        "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
        "STATEMENT_CATEGORY_SELF_HARM",
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
        "STATEMENT_CATEGORY_VIOLENCE",
    }
)
KEYWORD = frozenset(
    {
        "KEYWORD_UNSAFE_PRODUCTS",
        "KEYWORD_PROHIBITED_PRODUCTS",
        "KEYWORD_TRADEMARK_INFRINGEMENT",
        "KEYWORD_COPYRIGHT_INFRINGEMENT",
        "KEYWORD_DESIGN_INFRINGEMENT",
        "KEYWORD_INAUTHENTIC_LISTINGS",
        "KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS",
        "KEYWORD_MISLEADING_INFO_GOODS_SERVICES",
        "KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS",
        "KEYWORD_RISK_PUBLIC_HEALTH",
        "KEYWORD_GOODS_SERVICES_NOT_PERMITTED",
        "KEYWORD_ADULT_SEXUAL_MATERIAL",
        "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
        "KEYWORD_NUDITY",
        "KEYWORD_PHISHING",
        "KEYWORD_UNLAWFUL_SALE_ANIMALS",
        "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS",
        "KEYWORD_OTHER",
    }
)
TERRITORIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
SOURCE_ARTICLE_16 = "SOURCE_ARTICLE_16"
SOURCE_TRUSTED_FLAGGER = "SOURCE_TRUSTED_FLAGGER"
SOURCE_OTHER_NOTIFICATION = "SOURCE_TYPE_OTHER_NOTIFICATION"
SOURCE_VOLUNTARY = "SOURCE_VOLUNTARY"
SOURCE_TYPE = frozenset(
    {SOURCE_ARTICLE_16, SOURCE_TRUSTED_FLAGGER, SOURCE_OTHER_NOTIFICATION, SOURCE_VOLUNTARY}
)
AUTOMATED_DECISION = frozenset(
    {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"}
)
YES_NO = frozenset({"Yes", "No"})

CONTENT_DATE_RANGE = (date(2000, 1, 1), date(2038, 1, 1))
APPLICATION_DATE_RANGE = (date(2020, 1, 1), date(2038, 1, 1))
END_DATE_FIELDS = (
    "end_date_visibility_restriction",
    "end_date_monetary_restriction",
    "end_date_service_restriction",
    "end_date_account_restriction",
)

_PUID = re.compile(r"[a-zA-Z0-9_-]{1,500}")
_LANGUAGE = re.compile(r"[A-Z]{2}")
_URL = re.compile(r"https?://[^\s]+\.[^\s]+", re.IGNORECASE)
_EAN13 = re.compile(r"\d{13}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

FREE_TEXT_FIELDS = (
    "decision_facts",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "decision_visibility_other",
    "decision_monetary_other",
    "content_type_other",
    "category_specification_other",
    "source_identity",
)
"""The fields that carry words (where personal data could hide); the others are keys, dates and ids."""

KNOWN_FIELDS = frozenset(
    {
        "decision_visibility",
        "decision_visibility_other",
        "decision_monetary",
        "decision_monetary_other",
        "decision_provision",
        "decision_account",
        "account_type",
        "decision_ground",
        "decision_ground_reference_url",
        "illegal_content_legal_ground",
        "illegal_content_explanation",
        "incompatible_content_ground",
        "incompatible_content_explanation",
        "incompatible_content_illegal",
        "content_type",
        "content_type_other",
        "category",
        "category_addition",
        "category_specification",
        "category_specification_other",
        "territorial_scope",
        "content_language",
        "content_date",
        "application_date",
        *END_DATE_FIELDS,
        "decision_facts",
        "source_type",
        "source_identity",
        "automated_detection",
        "automated_decision",
        "puid",
        "content_id",
    }
)


def validate(s: Mapping[str, Any]) -> list[str]:
    """Every reason the API would refuse statement ``s`` (empty when it would accept it)."""
    v = _Checker(s)
    v.unknown_fields()
    v.decisions()
    v.one_of("account_type", ACCOUNT_TYPE, required=False)
    v.ground()
    v.url("decision_ground_reference_url", 500)
    v.enum_list("content_type", CONTENT_TYPE, required=True)
    v.other_text("content_type", "CONTENT_TYPE_OTHER", "content_type_other", 500)
    v.one_of("category", CATEGORY, required=True)
    v.enum_list("category_addition", CATEGORY, required=False)
    if s.get("category") in (s.get("category_addition") or []):
        v.fail("category_addition: must not repeat the main category")
    v.enum_list("category_specification", KEYWORD, required=False)
    v.other_text("category_specification", "KEYWORD_OTHER", "category_specification_other", 500)
    v.enum_list("territorial_scope", TERRITORIES, required=False)
    if "content_language" in s and not (
        isinstance(s["content_language"], str) and _LANGUAGE.fullmatch(s["content_language"])
    ):
        v.fail("content_language: must be an upper-case ISO 639-1 code")
    v.day("content_date", CONTENT_DATE_RANGE, required=True)
    applied = v.day("application_date", APPLICATION_DATE_RANGE, required=True)
    for name in END_DATE_FIELDS:
        end = v.day(name, (date.min, date.max), required=False)
        if end is not None and applied is not None and end < applied:
            v.fail(f"{name}: must not be before application_date")
    v.text("decision_facts", 5000, required=True)
    v.one_of("source_type", SOURCE_TYPE, required=True)
    if s.get("source_type") == SOURCE_VOLUNTARY and "source_identity" in s:
        v.fail("source_identity: must be absent when source_type is SOURCE_VOLUNTARY")
    v.text("source_identity", 500, required=False)
    v.one_of("automated_detection", YES_NO, required=True)
    v.one_of("automated_decision", AUTOMATED_DECISION, required=True)
    puid = s.get("puid")
    if not (isinstance(puid, str) and _PUID.fullmatch(puid)):
        v.fail("puid: required, at most 500 characters of letters, digits, '-' and '_'")
    v.content_id()
    return v.problems


class _Checker:
    def __init__(self, s: Mapping[str, Any]) -> None:
        self.s = s
        self.problems: list[str] = []

    def fail(self, problem: str) -> None:
        self.problems.append(problem)

    def unknown_fields(self) -> None:
        for name in sorted(set(self.s) - KNOWN_FIELDS):
            self.fail(f"{name}: not a field of the API")

    def text(self, name: str, max_len: int, *, required: bool) -> None:
        if name not in self.s:
            if required:
                self.fail(f"{name}: required")
            return
        value = self.s[name]
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{name}: must be a non-empty text")
        elif len(value) > max_len:
            self.fail(f"{name}: at most {max_len} characters (has {len(value)})")

    def url(self, name: str, max_len: int) -> None:
        if name not in self.s:
            return
        value = self.s[name]
        if not isinstance(value, str) or not _URL.fullmatch(value) or len(value) > max_len:
            self.fail(f"{name}: must be a URL of at most {max_len} characters")

    def one_of(self, name: str, allowed: frozenset[str], *, required: bool) -> None:
        if name not in self.s:
            if required:
                self.fail(f"{name}: required")
            return
        if self.s[name] not in allowed:
            self.fail(f"{name}: {self.s[name]!r} is not one of the API's keys")

    def enum_list(self, name: str, allowed: frozenset[str], *, required: bool) -> None:
        if name not in self.s:
            if required:
                self.fail(f"{name}: required")
            return
        value = self.s[name]
        if not isinstance(value, list) or not value:
            self.fail(f"{name}: must be a non-empty list")
            return
        bad = [x for x in value if x not in allowed]
        if bad:
            self.fail(f"{name}: not keys of the API: {', '.join(map(str, bad))}")
        if len(set(map(str, value))) != len(value):
            self.fail(f"{name}: repeats a key")

    def other_text(self, list_name: str, other_key: str, text_name: str, max_len: int) -> None:
        chosen = self.s.get(list_name) or []
        if isinstance(chosen, list) and other_key in chosen:
            self.text(text_name, max_len, required=True)
        elif text_name in self.s:
            self.fail(f"{text_name}: only with {other_key} in {list_name}")

    def decisions(self) -> None:
        s = self.s
        if not any(
            k in s
            for k in ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")
        ):
            self.fail(
                "decision: at least one of decision_visibility, decision_monetary, decision_provision, "
                "decision_account is required"
            )
        self.enum_list("decision_visibility", DECISION_VISIBILITY, required=False)
        self.other_text("decision_visibility", "DECISION_VISIBILITY_OTHER", "decision_visibility_other", 500)
        self.one_of("decision_monetary", DECISION_MONETARY, required=False)
        if s.get("decision_monetary") == "DECISION_MONETARY_OTHER":
            self.text("decision_monetary_other", 500, required=True)
        elif "decision_monetary_other" in s:
            self.fail("decision_monetary_other: only with DECISION_MONETARY_OTHER")
        self.one_of("decision_provision", DECISION_PROVISION, required=False)
        self.one_of("decision_account", DECISION_ACCOUNT, required=False)

    def ground(self) -> None:
        s = self.s
        self.one_of("decision_ground", DECISION_GROUND, required=True)
        illegal = ("illegal_content_legal_ground", "illegal_content_explanation")
        incompatible = ("incompatible_content_ground", "incompatible_content_explanation")
        if s.get("decision_ground") == GROUND_ILLEGAL:
            self.text(illegal[0], 500, required=True)
            self.text(illegal[1], 2000, required=True)
            absent: tuple[str, ...] = (*incompatible, "incompatible_content_illegal")
        elif s.get("decision_ground") == GROUND_INCOMPATIBLE:
            self.text(incompatible[0], 500, required=True)
            self.text(incompatible[1], 2000, required=True)
            self.one_of("incompatible_content_illegal", YES_NO, required=False)
            absent = illegal
        else:
            return
        for name in absent:
            if name in s:
                self.fail(f"{name}: must be absent with {s['decision_ground']}")

    def day(self, name: str, bounds: tuple[date, date], *, required: bool) -> date | None:
        if name not in self.s:
            if required:
                self.fail(f"{name}: required")
            return None
        value = self.s[name]
        try:
            if not (isinstance(value, str) and _DATE.fullmatch(value)):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(f"{name}: must be a date YYYY-MM-DD")
            return None
        if not bounds[0] <= day <= bounds[1]:
            self.fail(f"{name}: must be between {bounds[0]} and {bounds[1]}")
        return day

    def content_id(self) -> None:
        if "content_id" not in self.s:
            return
        value = self.s["content_id"]
        if (
            not isinstance(value, dict)
            or set(value) != {"EAN-13"}
            or not (isinstance(value["EAN-13"], str) and _EAN13.fullmatch(value["EAN-13"]))
        ):
            self.fail('content_id: must be {"EAN-13": "<13 digits>"}')
