"""A calm message line above the listing: what just happened, or what went wrong and what to do.

Errors stay until the person moves on (the next decision, Esc); other messages fade after a few seconds.
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
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.level = ""
        self.hide()

    def show_message(self, level: str, text: str) -> None:
        """Show ``text``; an error on screen is not pushed away by anything less than another error."""
        if self.level == "error" and level != "error" and self.isVisibleTo(self.parentWidget() or self):
            return
        self.level = level
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        for child in self.findChildren(PlainLabel):
            child.style().unpolish(child)
            child.style().polish(child)
        self.text.setText(text)
        self.show()
        linger = LINGER_MS.get(level)
        if linger:
            self._timer.start(linger)
        else:
            self._timer.stop()

    def dismiss(self) -> None:
        self._timer.stop()
        self.level = ""
        self.text.setText("")
        self.hide()

    def stop(self) -> None:
        self._timer.stop()

    def message(self) -> str:
        return self.text.text() if self.isVisibleTo(self.parentWidget() or self) else ""
