"""The statement-of-reasons templates (moderator_app/resources/sor_templates.json): parsed and checked.

A template file with a key the Transparency Database does not know is refused when it is loaded, with
the place of the mistake, so a supervisor's edit can never produce statements the API refuses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import MeasureStep
from moderator_app.domain.enums import Action, PolicyCategory
from moderator_app.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Measure:
    """Which Transparency Database measure a decision is (at least one of the four decision fields)."""

    visibility: tuple[str, ...] = ()
    visibility_other: str | None = None
    monetary: str | None = None
    provision: str | None = None
    account: str | None = None
    export: bool = True

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.visibility:
            out["decision_visibility"] = list(self.visibility)
        if self.visibility_other:
            out["decision_visibility_other"] = self.visibility_other
        if self.monetary:
            out["decision_monetary"] = self.monetary
        if self.provision:
            out["decision_provision"] = self.provision
        if self.account:
            out["decision_account"] = self.account
        return out


@dataclass(frozen=True, slots=True)
class CategoryTemplate:
    category: str
    keywords: tuple[str, ...]
    keyword_other: str | None
    legal_ground: str
    terms_ground: str
    facts: str
    actions: dict[Action, Measure] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SorTemplates:
    territorial_scope: tuple[str, ...]
    content_type: tuple[str, ...]
    terms_url: str | None
    redress: str
    actions: dict[Action, Measure]
    account_measures: dict[MeasureStep, Measure]
    account_legal_ground: str
    account_terms_ground: str
    categories: dict[PolicyCategory, CategoryTemplate]

    def measure_for(self, action: Action, category: PolicyCategory | None) -> Measure | None:
        if category is not None and category in self.categories:
            special = self.categories[category].actions.get(action)
            if special is not None:
                return special
        return self.actions.get(action)


def parse_templates(text: str) -> SorTemplates:
    """Parse the JSON text of a template file; InvalidInput names the first mistake."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"sor_templates: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    return templates_from(raw)


def templates_from(raw: Any) -> SorTemplates:
    r = _Reader("sor_templates", raw)
    scope = tuple(r.keys("territorial_scope", tdb.TERRITORIES))
    content_type = tuple(r.keys("content_type", tdb.CONTENT_TYPE, allow_empty=False))
    actions = {
        _enum(Action, name, "sor_templates.actions"): _measure(r.sub("actions").sub(name))
        for name in r.sub("actions").names()
    }
    accounts = {
        _enum(MeasureStep, name, "sor_templates.account_measures"): _measure(
            r.sub("account_measures").sub(name)
        )
        for name in r.sub("account_measures").names()
    }
    ground = r.sub("account_measure_ground")
    categories: dict[PolicyCategory, CategoryTemplate] = {}
    for name in r.sub("categories").names():
        c = r.sub("categories").sub(name)
        cat = _enum(PolicyCategory, name, "sor_templates.categories")
        keywords = tuple(c.keys("keywords", tdb.KEYWORD))
        keyword_other = c.text("keyword_other", 500, required="KEYWORD_OTHER" in keywords) or None
        categories[cat] = CategoryTemplate(
            category=c.choice("category", tdb.CATEGORY),
            keywords=keywords,
            keyword_other=keyword_other,
            legal_ground=c.text("legal_ground", 500),
            terms_ground=c.text("terms_ground", 500),
            facts=c.text("facts", 2000, required=True),
            actions={
                _enum(Action, a, f"{c.where}.actions"): _measure(c.sub("actions").sub(a))
                for a in c.sub("actions", optional=True).names()
            },
        )
    return SorTemplates(
        territorial_scope=scope,
        content_type=content_type,
        terms_url=r.text("terms_url", 500) or None,
        redress=r.text("redress", 2000, required=True),
        actions=actions,
        account_measures=accounts,
        account_legal_ground=ground.text("legal_ground", 500, required=True),
        account_terms_ground=ground.text("terms_ground", 500, required=True),
        categories=categories,
    )


def _measure(r: _Reader) -> Measure:
    visibility = tuple(r.keys("decision_visibility", tdb.DECISION_VISIBILITY, optional=True))
    m = Measure(
        visibility=visibility,
        visibility_other=r.text(
            "decision_visibility_other", 500, required="DECISION_VISIBILITY_OTHER" in visibility
        )
        or None,
        monetary=r.choice("decision_monetary", tdb.DECISION_MONETARY, optional=True),
        provision=r.choice("decision_provision", tdb.DECISION_PROVISION, optional=True),
        account=r.choice("decision_account", tdb.DECISION_ACCOUNT, optional=True),
        export=r.flag("export", default=True),
    )
    if not m.fields():
        raise InvalidInput(
            f"{r.where}: names no measure (decision_visibility, _monetary, _provision or _account)"
        )
    return m


def _enum(enum: Any, name: str, where: str) -> Any:
    try:
        return enum(name)
    except ValueError:
        raise InvalidInput(f"{where}: unknown name {name!r}") from None


class _Reader:
    """Typed access to one JSON object, naming the place of a mistake in every error."""

    def __init__(self, where: str, raw: Any) -> None:
        if not isinstance(raw, Mapping):
            raise InvalidInput(f"{where}: must be an object")
        self.where = where
        self.raw = raw

    def names(self) -> list[str]:
        return [k for k in self.raw if isinstance(k, str)]

    def sub(self, key: str, *, optional: bool = False) -> _Reader:
        if key not in self.raw and optional:
            return _Reader(f"{self.where}.{key}", {})
        if key not in self.raw:
            raise InvalidInput(f"{self.where}: missing {key!r}")
        return _Reader(f"{self.where}.{key}", self.raw[key])

    def text(self, key: str, max_len: int, *, required: bool = False) -> str:
        value = self.raw.get(key, "")
        if not isinstance(value, str):
            raise InvalidInput(f"{self.where}.{key}: must be a text")
        if required and not value.strip():
            raise InvalidInput(f"{self.where}.{key}: must not be empty")
        if len(value) > max_len:
            raise InvalidInput(f"{self.where}.{key}: at most {max_len} characters")
        return value.strip()

    def choice(self, key: str, allowed: frozenset[str], *, optional: bool = False) -> Any:
        if key not in self.raw and optional:
            return None
        value = self.raw.get(key)
        if value not in allowed:
            raise InvalidInput(f"{self.where}.{key}: {value!r} is not a key of the Transparency Database")
        return value

    def keys(
        self, key: str, allowed: frozenset[str], *, optional: bool = False, allow_empty: bool = True
    ) -> list[str]:
        if key not in self.raw and optional:
            return []
        value = self.raw.get(key)
        if not isinstance(value, list) or (not value and not allow_empty):
            raise InvalidInput(f"{self.where}.{key}: must be a list of keys")
        bad = [v for v in value if v not in allowed]
        if bad:
            raise InvalidInput(f"{self.where}.{key}: not keys of the Transparency Database: {bad}")
        return list(value)

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise InvalidInput(f"{self.where}.{key}: must be true or false")
        return value
