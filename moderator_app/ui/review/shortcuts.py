"""The keyboard map: one table that creates the window's actions and fills the cheat sheet.

Single-letter keys are window shortcuts; editable text fields swallow letters they type, so typing an
explanation never triggers a decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QGridLayout, QPushButton, QVBoxLayout, QWidget

from moderator_app.domain.review.policy import UNDO_WINDOW
from moderator_app.ui.widgets import PlainLabel, heading


@dataclass(frozen=True)
class Key:
    name: str  # what the window connects to
    keys: tuple[str, ...]  # QKeySequence strings; the first is shown
    group: str
    text: str


def keymap() -> list[Key]:
    """Every shortcut of the review window, in cheat-sheet order."""
    decide, images, nav = (
        QCoreApplication.translate("Shortcuts", "Decide"),
        QCoreApplication.translate("Shortcuts", "Images"),
        QCoreApplication.translate("Shortcuts", "Queues and help"),
    )
    return [
        Key("no_violation", ("N",), decide, QCoreApplication.translate("Shortcuts", "No violation")),
        Key("remove", ("R",), decide, QCoreApplication.translate("Shortcuts", "Remove listing")),
        Key("restrict", ("V",), decide, QCoreApplication.translate("Shortcuts", "Restrict visibility")),
        Key("warn", ("W",), decide, QCoreApplication.translate("Shortcuts", "Warn trader")),
        Key("escalate", ("E",), decide, QCoreApplication.translate("Shortcuts", "Escalate to supervisor")),
        Key(
            "skip",
            ("S",),
            decide,
            QCoreApplication.translate("Shortcuts", "Skip (back to the queue, nothing recorded)"),
        ),
        Key(
            "confirm",
            ("Return", "Enter"),
            decide,
            QCoreApplication.translate("Shortcuts", "Confirm the chosen action"),
        ),
        Key(
            "cancel",
            ("Esc",),
            decide,
            QCoreApplication.translate("Shortcuts", "Cancel the chosen action / leave a field"),
        ),
        Key(
            "category", ("C",), decide, QCoreApplication.translate("Shortcuts", "Choose the policy category")
        ),
        Key(
            "ground",
            ("G",),
            decide,
            QCoreApplication.translate("Shortcuts", "Switch the ground (illegal content / terms)"),
        ),
        Key(
            "explain",
            ("X",),
            decide,
            QCoreApplication.translate(
                "Shortcuts", "Edit the explanation (Enter confirms, Shift+Enter new line)"
            ),
        ),
        Key(
            "undo",
            ("Ctrl+Z",),
            decide,
            QCoreApplication.translate("Shortcuts", "Undo the last decision (for %1 minutes)").replace(
                "%1", str(int(UNDO_WINDOW.total_seconds() // 60))
            ),
        ),
        Key("next_image", ("Right", "."), images, QCoreApplication.translate("Shortcuts", "Next image")),
        Key(
            "previous_image", ("Left", ","), images, QCoreApplication.translate("Shortcuts", "Previous image")
        ),
        Key(
            "zoom_in", ("+", "="), images, QCoreApplication.translate("Shortcuts", "Zoom in (or mouse wheel)")
        ),
        Key("zoom_out", ("-",), images, QCoreApplication.translate("Shortcuts", "Zoom out")),
        Key("fit", ("0",), images, QCoreApplication.translate("Shortcuts", "Fit the image to the view")),
        Key(
            "pan_left",
            ("Shift+Left",),
            images,
            QCoreApplication.translate("Shortcuts", "Pan (Shift+arrows, or drag)"),
        ),
        Key("pan_right", ("Shift+Right",), images, ""),
        Key("pan_up", ("Shift+Up",), images, ""),
        Key("pan_down", ("Shift+Down",), images, ""),
        Key("blur", ("B",), images, QCoreApplication.translate("Shortcuts", "Blur / unblur the image")),
        Key(
            "description",
            ("D",),
            images,
            QCoreApplication.translate("Shortcuts", "Focus the description (arrows scroll it)"),
        ),
        Key(
            "queue_n",
            ("Ctrl+1",),
            nav,
            QCoreApplication.translate("Shortcuts", "Open queue 1 … 9 (Ctrl+1 … Ctrl+9)"),
        ),
        Key("refresh", ("F5",), nav, QCoreApplication.translate("Shortcuts", "Refresh the queue counts")),
        # "?" arrives as Shift+? on most layouts; both are bound.
        Key("help", ("F1", "?", "Shift+?"), nav, QCoreApplication.translate("Shortcuts", "This cheat sheet")),
        Key(
            "quit",
            ("Ctrl+Q",),
            nav,
            QCoreApplication.translate("Shortcuts", "Close the window (claimed items go back)"),
        ),
    ]


def make_actions(parent: QWidget, handlers: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """One QAction per key with a handler, added to ``parent`` (window-wide shortcuts)."""
    actions: dict[str, QAction] = {}
    for key in keymap():
        handler = handlers.get(key.name)
        if handler is None:
            continue
        action = QAction(key.text or key.name, parent)
        action.setShortcuts([QKeySequence(k) for k in key.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setAutoRepeat(key.group == QCoreApplication.translate("Shortcuts", "Images"))
        action.triggered.connect(handler)
        parent.addAction(action)
        actions[key.name] = action
    return actions


class CheatSheet(QDialog):
    """The shortcuts at a glance (F1 or ?). Esc or any of F1/? closes it. No signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(5)
        groups: dict[str, list[Key]] = {}
        for key in keymap():
            if key.text:
                groups.setdefault(key.group, []).append(key)
        col = 0
        for group, keys in groups.items():
            grid.addWidget(heading(group, self), 0, col, 1, 2)
            for row, key in enumerate(keys, start=1):
                cap = PlainLabel(
                    " / ".join(_display(k) for k in key.keys if not k.startswith("Shift+?")), self
                )
                cap.setObjectName("keycap")
                cap.setAlignment(Qt.AlignmentFlag.AlignCenter)
                grid.addWidget(cap, row, col, Qt.AlignmentFlag.AlignLeft)
                grid.addWidget(PlainLabel(key.text, self), row, col + 1)
            grid.setRowStretch(max(len(k) for k in groups.values()) + 1, 1)
            col += 2
        layout.addLayout(grid)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        row = QVBoxLayout()
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(row)
        for seq in ("F1", "?", "Shift+?"):
            a = QAction(self)
            a.setShortcut(QKeySequence(seq))
            a.triggered.connect(self.accept)
            self.addAction(a)


def _display(seq: str) -> str:
    return {"Return": "Enter", "Left": "←", "Right": "→", "Shift+Left": "Shift+←"}.get(seq, seq)
