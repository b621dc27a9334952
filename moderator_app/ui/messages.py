"""A calm message line above the listing: what just happened, or what went wrong and what to do.

The line always keeps its place (nothing below it jumps when a message comes or goes); without a
message it shows where the reviewer is, in muted text. Errors stay until the person moves on (the next
decision, Esc); other messages give way to the quiet line after a few seconds.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from moderator_app.ui.widgets import PlainLabel

LINGER_MS = {"info": 6000, "success": 6000, "warning": 12000}


class MessageBar(QFrame):
    """Shows one message at a time. No signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.text = PlainLabel("", self)
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 2, 10, 2)
        layout.addWidget(self.text, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.level = ""
        self._idle = ""
        self.setFixedHeight(self.text.fontMetrics().lineSpacing() * 2 + 8)  # room for a two-line error
        self._show_idle()

    def show_message(self, level: str, text: str) -> None:
        """Show ``text``; an error on screen is not pushed away by anything less than another error."""
        if self.level == "error" and level != "error":
            return
        self.level = level
        self._restyle(level)
        self.text.setText(text)
        linger = LINGER_MS.get(level)
        if linger:
            self._timer.start(linger)
        else:
            self._timer.stop()

    def dismiss(self) -> None:
        self._timer.stop()
        self.level = ""
        self._show_idle()

    def set_idle_text(self, text: str) -> None:
        """The quiet line shown when there is no message (where the reviewer is)."""
        self._idle = text
        if not self.level:
            self.text.setText(text)

    def _show_idle(self) -> None:
        self._restyle("")
        self.text.setText(self._idle)

    def _restyle(self, level: str) -> None:
        self.setProperty("level", level or "idle")
        for w in (self, self.text):
            w.style().unpolish(w)
            w.style().polish(w)

    def stop(self) -> None:
        self._timer.stop()

    def message(self) -> str:
        return self.text.text() if self.level else ""
