"""Highlighting of off-platform contact details in plain text (QSyntaxHighlighter over a QPlainTextEdit).

The text stays plain: the highlighter only colours ranges that :mod:`moderator_app.domain.review.contact_patterns`
finds, it never interprets markup.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from moderator_app.domain.review.contact_patterns import ContactKind, ContactMatch, find_contacts

BlockContacts = dict[str, list[ContactMatch]]
"""The contacts of each line (block) of a text, by the line's text: found on a worker."""


def contacts_by_block(text: str) -> BlockContacts:
    """Worker side of deferred highlighting: find the contacts of every line once, off the GUI thread."""
    lines = set(text.replace("\r\n", "\n").replace("\u2029", "\n").replace("\r", "\n").split("\n"))
    return {line: found for line in lines if (found := find_contacts(line))}


def contact_format(kind: ContactKind, dark: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    light_bg = {
        ContactKind.URL: "#ffe3b3",
        ContactKind.EMAIL: "#ffe3b3",
        ContactKind.PHONE: "#ffd6d1",
        ContactKind.MESSENGER: "#e9dcff",
    }
    dark_bg = {
        ContactKind.URL: "#6b4a12",
        ContactKind.EMAIL: "#6b4a12",
        ContactKind.PHONE: "#6e2a24",
        ContactKind.MESSENGER: "#4b3575",
    }
    fmt.setBackground(QColor((dark_bg if dark else light_bg)[kind]))
    fmt.setFontWeight(QFont.Weight.DemiBold)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(QColor("#c0392b"))
    return fmt


class ContactHighlighter(QSyntaxHighlighter):
    """Marks URLs, e-mail addresses, phone numbers and messenger handles, block by block (line by line)."""

    def __init__(self, document: QTextDocument, *, dark: bool = False, deferred: bool = False) -> None:
        """``deferred``: never search on the GUI thread; only what :meth:`set_contacts` handed over
        (found by :func:`contacts_by_block` on a worker) is marked."""
        super().__init__(document)
        self._deferred = deferred
        self._known: BlockContacts = {}
        self._dark = dark
        self._formats = {k: contact_format(k, dark) for k in ContactKind}

    def set_dark(self, dark: bool) -> None:
        if dark != self._dark:
            self._dark = dark
            self._formats = {k: contact_format(k, dark) for k in ContactKind}
            self.rehighlight()

    def set_contacts(self, known: BlockContacts) -> None:
        """The worker's finds for the document's current text (empty: nothing marked yet)."""
        self._known = known
        if known:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if self._deferred:
            found = self._known.get(text, [])
            if not found:
                return
        else:
            found = find_contacts(text)
        wide = any(ord(ch) > 0xFFFF for ch in text)
        for m in found:
            start, end = (utf16_index(text, m.start), utf16_index(text, m.end)) if wide else (m.start, m.end)
            self.setFormat(start, end - start, self._formats[m.kind])


def utf16_index(text: str, index: int) -> int:
    """Qt counts UTF-16 code units; Python counts code points (an emoji is one, Qt sees two)."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def is_dark(color: QColor) -> bool:
    return color.lightnessF() < 0.5
