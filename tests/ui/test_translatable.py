"""Every user-facing string of the window goes through tr() (so moderator_app/resources/i18n can translate it)."""

from __future__ import annotations

import ast
from pathlib import Path

import moderator_app.ui
from moderator_app.paths import resources_dir

UI = Path(moderator_app.ui.__file__).parent
TEXT_SINKS = {  # call name -> position of the text argument
    "PlainLabel": 0,
    "QLabel": 0,
    "QPushButton": 0,
    "setText": 0,
    "setPlaceholderText": 0,
    "setWindowTitle": 0,
    "heading": 0,
    "badge": 0,
    "addItem": 0,
    "page": 0,
    "ActionButton": 0,
    "show_message": 1,
    "emit": 1,  # the session's message(level, text)
}


def literal_texts_in_widgets(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = TEXT_SINKS.get(name)
        if position is None or len(node.args) <= position:
            continue
        first = node.args[position]
        if (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and any(ch.isalpha() for ch in first.value)
            and len(first.value) > 1
        ):
            found.append((node.lineno, first.value))
    return found


def test_no_widget_is_given_an_untranslated_literal() -> None:
    offenders = {
        f"{path.name}:{line}": text
        for path in sorted(UI.glob("*.py"))
        for line, text in literal_texts_in_widgets(path.read_text(encoding="utf-8"))
    }
    assert offenders == {}


def test_the_translation_source_holds_the_windows_strings() -> None:
    ts = (resources_dir() / "i18n" / "moderator_de.ts").read_text(encoding="utf-8")
    for text in ("Remove listing", "The queue is empty", "REPEAT OFFENDER", "Keyboard shortcuts"):
        assert f"<source>{text}</source>" in ts
