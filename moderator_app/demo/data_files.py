"""The demo's catalogue as data: the JSON files in ``moderator_app/demo/data/`` (product templates per
scenario kind, the countries traders come from), read with importlib.resources so they are found in a
wheel or a frozen bundle as well as in a checkout.

Each file is an object whose ``"//"`` key is its description; lists become tuples, so the records are
as immutable as the dataclasses they fill.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read(name: str) -> dict[str, Any]:
    """The object in ``data/<name>``, without its ``"//"`` description."""
    text = resources.files("moderator_app.demo").joinpath("data", name).read_text(encoding="utf-8")
    raw = json.loads(text)
    if not isinstance(raw, dict):
        raise ValueError(f"demo data {name}: expected an object")
    return {k: v for k, v in raw.items() if k != "//"}


def frozen(value: Any) -> Any:
    """Lists (at any depth) as tuples; objects stay dicts."""
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: frozen(v) for k, v in value.items()}
    return value
