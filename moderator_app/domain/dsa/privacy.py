"""No personal data in what is published (Art 24(5)): the check run on every statement of reasons.

Two nets: the known personal data of the people concerned (trader names, e-mail, phone; notifier names
and e-mail), matched as whole words without regard to case, and any e-mail address or phone number at
all (the contact patterns of the review window).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from moderator_app.domain.review.contact_patterns import ContactKind, find_contacts

MIN_KNOWN_LENGTH = 4
"""Shorter known values ("Bo", "A1") would match ordinary words; the patterns still catch contacts."""


def texts_of(value: Any) -> Iterable[str]:
    """Every string inside a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from texts_of(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from texts_of(v)


def personal_data_in(value: Any, known: Iterable[str | None] = ()) -> list[str]:
    """What kinds of personal data ``value`` contains, in words ("an e-mail address"); empty when none."""
    patterns = [
        re.compile(r"(?<!\w)" + re.escape(k.strip()) + r"(?!\w)", re.IGNORECASE)
        for k in known
        if k and len(k.strip()) >= MIN_KNOWN_LENGTH
    ]
    found: list[str] = []
    for text in texts_of(value):
        kinds = {c.kind for c in find_contacts(text)}
        if ContactKind.EMAIL in kinds and "an e-mail address" not in found:
            found.append("an e-mail address")
        if ContactKind.PHONE in kinds and "a phone number" not in found:
            found.append("a phone number")
        if (
            any(p.search(text) for p in patterns)
            and "the name or contact of a trader or notifier" not in found
        ):
            found.append("the name or contact of a trader or notifier")
    return found
