"""Text rules: what in a listing's title, description or the text read from its images deserves a look.

The rules are data (``moderator_app/resources/text_rules.json``, editable by supervisors): each has an id, a title,
a kind, the policy category it points to, a severity, and whole-word terms and/or regular expressions.
Off-platform contact ("hidden links") reuses :mod:`moderator_app.domain.review.contact_patterns`, so the review
window's highlights and the rules find exactly the same things. A rule that cannot be used (a bad
regular expression, an unknown category) is left out with one clear problem line; the others still work.

A finding says which rule matched, the matched text and where: the title, the description, or the OCR
of image N with the box of the match.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.predictions.ocr import Box, OcrLine, sub_box
from moderator_app.domain.review.contact_patterns import ContactKind, find_contacts

MAX_MATCH_TEXT = 300


class RuleKind(StrEnum):
    HEALTH_CLAIM = "health_claim"
    PRESCRIPTION_SUBSTANCE = "prescription_substance"
    SUPPLEMENT_CLAIM = "supplement_claim"
    COUNTERFEIT_BRAND = "counterfeit_brand"
    SAFETY_MARK = "safety_mark"
    HIDDEN_LINK = "hidden_link"


class Severity(StrEnum):
    NOTE = "note"  # worth a glance (a brand name, a CE claim)
    STRONG = "strong"  # usually decisive once confirmed (a prescription drug, "replica", a phone number)


class TextSource(StrEnum):
    TITLE = "title"
    DESCRIPTION = "description"
    IMAGE = "image"


@dataclass(frozen=True, slots=True)
class TextLocation:
    source: TextSource
    image_position: int | None = None  # 0-based position of the image in the listing
    line: int | None = None  # OCR line index within the image
    box: Box | None = None  # where the match is on the image

    def describe(self) -> str:
        if self.source is TextSource.IMAGE:
            return f"text in image {(self.image_position or 0) + 1}"
        return self.source.value


@dataclass(frozen=True, slots=True)
class TextFinding:
    rule_id: str
    rule_title: str
    kind: RuleKind
    category: PolicyCategory
    severity: Severity
    matched_text: str
    start: int  # character offsets within the title, the description or the OCR line
    end: int
    location: TextLocation
    id: int | None = None  # set once stored

    @property
    def summary(self) -> str:
        return f'{self.rule_title}: "{self.matched_text}" ({self.location.describe()})'


@dataclass(frozen=True, slots=True)
class TextRule:
    id: str
    title: str
    kind: RuleKind
    category: PolicyCategory
    severity: Severity
    pattern: re.Pattern[str] | None
    contact_kinds: frozenset[ContactKind] = frozenset()

    def find(self, text: str) -> Iterable[tuple[int, int, str]]:
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                if m.end() > m.start():
                    yield m.start(), m.end(), m.group(0)
        if self.contact_kinds:
            for c in find_contacts(text):
                if c.kind in self.contact_kinds:
                    yield c.start, c.end, c.text


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str  # "<the file's version> <first 12 hex of its SHA-256>": changes whenever the file does
    rules: tuple[TextRule, ...]
    problems: tuple[str, ...] = ()

    def find(self, text: str, location: TextLocation) -> list[TextFinding]:
        found: list[TextFinding] = []
        if not text:
            return found
        for rule in self.rules:
            for start, end, matched in rule.find(text):
                found.append(
                    TextFinding(
                        rule.id,
                        rule.title,
                        rule.kind,
                        rule.category,
                        rule.severity,
                        matched[:MAX_MATCH_TEXT],
                        start,
                        end,
                        location,
                    )
                )
        found.sort(key=lambda f: (f.start, f.rule_id))
        return found

    def find_in_ocr(self, lines: Sequence[OcrLine], image_position: int) -> list[TextFinding]:
        found: list[TextFinding] = []
        for index, line in enumerate(lines):
            where = TextLocation(TextSource.IMAGE, image_position, index, line.box)
            for f in self.find(line.text, where):
                box = sub_box(line.box, f.start, f.end, len(line.text))
                found.append(replace(f, location=replace(where, box=box)))
        return found

    def scan_listing(
        self, title: str, description: str, ocr: Mapping[int, Sequence[OcrLine]] | None = None
    ) -> list[TextFinding]:
        """Every finding in a listing: title, description, then the OCR of each image by position."""
        found = self.find(title, TextLocation(TextSource.TITLE))
        found += self.find(description, TextLocation(TextSource.DESCRIPTION))
        for position in sorted(ocr or {}):
            found += self.find_in_ocr((ocr or {})[position], position)
        return found


class RulesError(ValueError):
    """The rules file as a whole is unusable (not JSON, no list of rules)."""


_FLEXIBLE_SPACE = re.compile(r"\\ ")


def _term_regex(term: str) -> str:
    r"""A whole word or phrase: ``"no prescription"`` also matches ``"no-prescription"``, ``"NO  PRESCRIPTION"``."""
    escaped = _FLEXIBLE_SPACE.sub(r"[\\s\\-]+", re.escape(term.strip()))
    return rf"(?<!\w){escaped}(?!\w)"


@dataclass
class _Parsed:
    rules: list[TextRule] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _rule(raw: Any, index: int, out: _Parsed, seen: set[str]) -> None:
    if not isinstance(raw, dict):
        out.problems.append(f"rule {index + 1}: not an object; left out")
        return
    rid = str(raw.get("id") or "").strip()
    name = f"rule '{rid}'" if rid else f"rule {index + 1}"
    if not rid:
        out.problems.append(f"{name}: has no id; left out")
        return
    if rid in seen:
        out.problems.append(f"{name}: the id is used twice; the second one is left out")
        return
    try:
        kind = RuleKind(str(raw.get("kind")))
    except ValueError:
        out.problems.append(
            f"{name}: unknown kind {raw.get('kind')!r} (one of {', '.join(k.value for k in RuleKind)}); left out"
        )
        return
    try:
        category = PolicyCategory(str(raw.get("category")))
    except ValueError:
        out.problems.append(f"{name}: unknown policy category {raw.get('category')!r}; left out")
        return
    try:
        severity = Severity(str(raw.get("severity", "note")))
    except ValueError:
        out.problems.append(f"{name}: severity must be 'note' or 'strong'; left out")
        return
    terms = raw.get("terms", [])
    patterns = raw.get("patterns", [])
    contact = raw.get("contact", [])
    if not all(
        isinstance(x, list) and all(isinstance(t, str) and t.strip() for t in x)
        for x in (terms, patterns, contact)
    ):
        out.problems.append(
            f"{name}: 'terms', 'patterns' and 'contact' must be lists of non-empty strings; left out"
        )
        return
    try:
        contact_kinds = frozenset(ContactKind(c) for c in contact)
    except ValueError:
        out.problems.append(f"{name}: 'contact' takes {', '.join(k.value for k in ContactKind)}; left out")
        return
    # longest terms first, so "CE certified" wins over "CE" where both would match
    parts = [_term_regex(t) for t in sorted(terms, key=len, reverse=True)] + [f"(?:{p})" for p in patterns]
    pattern = None
    if parts:
        flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
        try:
            pattern = re.compile("|".join(parts), flags)
        except re.error as exc:
            bad = next((p for p in patterns if not _compiles(p)), "?")
            out.problems.append(
                f"{name}: the pattern {bad!r} is not a valid regular expression ({exc}); left out"
            )
            return
    if pattern is None and not contact_kinds:
        out.problems.append(f"{name}: has no terms, patterns or contact kinds; left out")
        return
    title = str(raw.get("title") or rid)
    out.rules.append(TextRule(rid, title, kind, category, severity, pattern, contact_kinds))
    seen.add(rid)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def parse_rules(text: str) -> RuleSet:
    """Rules from the JSON text of a rules file. Raises :class:`RulesError` when nothing is usable."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RulesError(f"the text rules are not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError("the text rules file must be an object with a list 'rules'")
    out = _Parsed()
    seen: set[str] = set()
    for index, raw in enumerate(data["rules"]):
        _rule(raw, index, out, seen)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    version = f"{str(data.get('version') or 'unversioned')[:40]} {digest}"
    return RuleSet(version, tuple(out.rules), tuple(out.problems))


EMPTY_RULES = RuleSet("none", ())
