"""Contact highlighting lines up with Qt's text positions; every category has an explanation template."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument

from moderator_app.domain.enums import Action, PolicyCategory
from moderator_app.ui.review.highlight import ContactHighlighter, utf16_index
from moderator_app.ui.review.templates import DecisionTemplates


def highlighted(text: str) -> list[str]:
    doc = QTextDocument()
    doc.setPlainText(text)
    ContactHighlighter(doc).rehighlight()
    block = doc.firstBlock()
    return [_utf16_slice(block.text(), r.start, r.length) for r in block.layout().formats()]


def _utf16_slice(text: str, start: int, length: int) -> str:
    raw = text.encode("utf-16-le")
    return raw[2 * start : 2 * (start + length)].decode("utf-16-le")


def test_highlights_land_on_the_contact_even_after_emoji(qapp: object) -> None:
    assert highlighted("🔥🔥 Deal! write wechat: shop_88 now") == ["wechat: shop_88"]
    assert highlighted("plain www.shop.example.com") == ["www.shop.example.com"]
    assert utf16_index("🔥a", 1) == 2


def test_every_category_and_the_special_actions_have_a_template() -> None:
    t = DecisionTemplates.load()
    assert set(t.categories) == set(PolicyCategory)
    assert (
        t.explanation(Action.REMOVE, PolicyCategory.COUNTERFEIT, "Counterfeit")
        == t.categories[PolicyCategory.COUNTERFEIT]
    )
    no_violation = t.explanation(Action.NO_VIOLATION, PolicyCategory.UNSAFE_TOY, "Unsafe toy")
    assert "Unsafe toy" in no_violation and "{category}" not in no_violation
    assert t.explanation(Action.ESCALATE, PolicyCategory.OTHER, "Other").strip()


def test_damaged_templates_leave_an_empty_field_not_a_crash(tmp_path: object) -> None:
    from pathlib import Path

    broken = Path(str(tmp_path)) / "t.json"
    broken.write_text("{not json", encoding="utf-8")
    t = DecisionTemplates.load(broken)
    assert t.explanation(Action.REMOVE, PolicyCategory.OTHER, "Other") == ""
