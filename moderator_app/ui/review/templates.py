"""Explanation templates for decisions, kept as data in ``moderator_app/resources/decision_templates.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from moderator_app.domain.enums import Action, PolicyCategory
from moderator_app.paths import resources_dir

TEMPLATES_FILE = "decision_templates.json"


@dataclass(frozen=True)
class DecisionTemplates:
    categories: dict[PolicyCategory, str]
    actions: dict[Action, str]

    def explanation(self, action: Action, category: PolicyCategory | None, category_label: str) -> str:
        """The prefilled explanation for ``action`` on ``category`` (empty when there is none)."""
        if action in self.actions:
            return self.actions[action].replace("{category}", category_label)
        if category is None:
            return ""
        return self.categories.get(category, "").replace("{category}", category_label)

    @classmethod
    def load(cls, path: Path | None = None) -> DecisionTemplates:
        """Read the templates; a missing or damaged file gives empty templates (the moderator types)."""
        path = path or resources_dir() / TEMPLATES_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls({}, {})
        cats = {
            PolicyCategory(k): str(v)
            for k, v in raw.get("categories", {}).items()
            if k in _values(PolicyCategory)
        }
        acts = {Action(k): str(v) for k, v in raw.get("actions", {}).items() if k in _values(Action)}
        return cls(cats, acts)


def _values(enum: type[PolicyCategory] | type[Action]) -> set[str]:
    return {m.value for m in enum}
