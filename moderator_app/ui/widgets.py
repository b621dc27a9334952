"""Small building blocks shared by the panels. Untrusted text only ever goes into plain-text widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QScrollArea, QSizePolicy, QVBoxLayout, QWidget


class PlainLabel(QLabel):
    """A QLabel that never interprets its text as HTML (Qt's AutoText would, for a string like ``<b>``)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, selectable: bool = False) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)
        if selectable:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        super().setTextFormat(Qt.TextFormat.PlainText)  # fixed: this label is for untrusted text


def heading(text: str, parent: QWidget | None = None, *, size_delta: int = 0) -> QLabel:
    """A section caption: small caps style, dimmed."""
    label = PlainLabel(text.upper(), parent)
    label.setObjectName("sectionHeading")
    font = label.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() - 1 + size_delta))
    font.setWeight(QFont.Weight.DemiBold)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
    label.setFont(font)
    return label


def badge(text: str, object_name: str, parent: QWidget | None = None) -> QLabel:
    """A rounded coloured tag (colours come from the theme's style sheet, by object name)."""
    label = PlainLabel(text, parent)
    label.setObjectName(object_name)
    label.setProperty("badge", True)
    label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return label


def separator(parent: QWidget | None = None) -> QFrame:
    line = QFrame(parent)
    line.setObjectName("separator")
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    return line


class ReadOnlyText(QPlainTextEdit):
    """Read-only plain text for untrusted content: scrollable, selectable, never rich text.

    Being read-only, it does not take single letters as its own keys, so the window's one-key
    shortcuts keep working while it has the focus.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setTabChangesFocus(True)

    def set_text(self, text: str) -> None:
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.Start)


def fit_lines(edit: QPlainTextEdit, min_lines: int, max_lines: int) -> None:
    """Size a plain-text box to its wrapped text, between ``min_lines`` and ``max_lines`` lines."""
    fm = QFontMetrics(edit.font())
    doc = edit.document()
    lines = 0
    width = max(50, edit.viewport().width() - 2 * int(doc.documentMargin()))
    block = doc.begin()
    while block.isValid():
        text = block.text()
        lines += max(1, -(-fm.horizontalAdvance(text) // width))
        block = block.next()
    lines = max(min_lines, min(max_lines, lines))
    frame = 2 * edit.frameWidth() + 2 * int(doc.documentMargin())
    edit.setFixedHeight(lines * fm.lineSpacing() + frame + 2)


def card(*widgets: QWidget, margins: int = 14, spacing: int = 10) -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(margins, margins, margins, margins)
    lay.setSpacing(spacing)
    for w in widgets:
        lay.addWidget(w)
    return frame


def scrolling(widget: QWidget) -> QScrollArea:
    """A panel that scrolls vertically when the window is short, never sideways."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(widget)
    return area


def page(title: str, text: str) -> QWidget:
    page = QWidget()
    lay = QVBoxLayout(page)
    lay.addStretch(2)
    t = PlainLabel(title, page)
    t.setObjectName("emptyTitle")
    t.setAlignment(Qt.AlignmentFlag.AlignCenter)
    x = PlainLabel(text, page)
    x.setObjectName("emptyText")
    x.setAlignment(Qt.AlignmentFlag.AlignCenter)
    x.setWordWrap(True)
    lay.addWidget(t)
    lay.addWidget(x)
    lay.addStretch(3)
    return page
