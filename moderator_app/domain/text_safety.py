"""Look-alike identifiers and direction tricks in untrusted text.

``"L-1"`` and ``"L-\u200b1"`` look the same on screen, as do a composed "é" and "e" + combining accent; a
right-to-left override makes "txt.exe" read "exe.txt". Ids, queue names and trader ids are normalised to
NFC and refused when they hold a format character (Unicode category Cf: zero-width characters, bidi
controls, ...). Titles and names keep theirs (they may be legitimate), but the window flags bidi controls.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
"""Explicit embeddings, overrides and isolates, and the direction marks."""


class IdentifierError(ValueError):
    """An identifier holds a format character; the message names it."""


def normalise_identifier(value: str) -> str:
    """``value`` in NFC; raises :class:`IdentifierError` for a format character (category Cf)."""
    if value.isascii():  # the usual case: nothing to normalise, no format characters
        return value
    value = unicodedata.normalize("NFC", value)
    for ch in value:
        if unicodedata.category(ch) == "Cf":
            name = unicodedata.name(ch, "format character")
            raise IdentifierError(f"contains an invisible format character (U+{ord(ch):04X} {name})")
    return value


def has_bidi_controls(text: str | None) -> bool:
    """Whether ``text`` holds a bidi embedding, override, isolate or direction mark."""
    if not text or text.isascii():
        return False
    return not BIDI_CONTROLS.isdisjoint(text)
