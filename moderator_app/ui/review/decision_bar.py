"""The decision bar: six actions with their keys, the policy category, the ground and the explanation.

An action key arms the action (its button lights up) and prefills the explanation from the template of
the chosen category; Enter confirms. Skip needs no confirmation: it records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory
from moderator_app.domain.review.model import ReviewCase
from moderator_app.domain.review.policy import (
    GRAVITY,
    RESTRICTING_ACTIONS,
    default_ground,
    missing_for_decision,
)
from moderator_app.ui import labels
from moderator_app.ui.review.templates import DecisionTemplates
from moderator_app.ui.widgets import PlainLabel

SKIP = "skip"

ACTION_KEYS: dict[Action | str, str] = {
    Action.NO_VIOLATION: "N",
    Action.REMOVE: "R",
    Action.RESTRICT: "V",
    Action.WARN: "W",
    Action.ESCALATE: "E",
    SKIP: "S",
}


@dataclass(frozen=True)
class PendingDecision:
    action: Action
    category: PolicyCategory | None
    ground: Ground | None
    explanation: str

    def missing(self) -> list[str]:
        return missing_for_decision(self.action, self.category, self.ground, self.explanation)


def suggested_category(case: ReviewCase) -> PolicyCategory:
    """The category the flags point to: the gravest, trusted sources first."""
    if not case.flags:
        return PolicyCategory.OTHER
    weight = {FlagSource.AUTHORITY_ORDER: 2, FlagSource.TRUSTED_FLAGGER: 1}
    best = max(case.flags, key=lambda f: (GRAVITY[f.category], weight.get(f.source, 0)))
    return best.category


class ActionButton(QPushButton):
    """A decision button with its key shown on it."""

    def __init__(self, text: str, key: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionButton")
        self.setProperty("kind", kind)
        self.setCheckable(kind != SKIP)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.label = PlainLabel(text, self)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setObjectName("actionLabel")
        self.keycap = PlainLabel(key, self)
        self.keycap.setObjectName("keycap")
        self.keycap.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keycap.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 8, 6)
        lay.setSpacing(10)
        lay.addWidget(self.label)
        lay.addStretch(1)
        lay.addWidget(self.keycap)
        self.setMinimumHeight(lay.sizeHint().height() + 4)
        self.setMinimumWidth(lay.sizeHint().width() + 4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class ExplanationEdit(QPlainTextEdit):
    """The explanation: Enter confirms, Shift+Enter starts a new line, Esc leaves the field.

    Signals: submitted(), left(), edited() — the person typed (templates no longer overwrite the text).
    """

    submitted = Signal()
    left = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explanationEdit")
        self.setTabChangesFocus(True)
        self._programmatic = False
        self.textChanged.connect(self._changed)

    def set_template(self, text: str) -> None:
        self._programmatic = True
        self.setPlainText(text)
        self._programmatic = False

    def _changed(self) -> None:
        if not self._programmatic:
            self.edited.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.submitted.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.left.emit()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.moveCursor(self.textCursor().MoveOperation.End)


class DecisionBar(QFrame):
    """Signals:
    armed(object): the armed action (an Action) or None.
    confirmed(PendingDecision): Enter (or the Confirm button) on a complete decision.
    skipRequested(): the Skip button.
    incomplete(list): Enter on a decision that still misses something (the list says what).
    """

    armed = Signal(object)
    confirmed = Signal(object)
    skipRequested = Signal()
    incomplete = Signal(list)

    def __init__(self, templates: DecisionTemplates, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionBar")
        self._templates = templates
        self._action: Action | None = None
        self._dirty = False
        self._suggested = PolicyCategory.OTHER

        self.buttons: dict[Action | str, ActionButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        row = QHBoxLayout()
        row.setSpacing(8)
        for key_, text, kind in (
            (Action.NO_VIOLATION, labels.action_label(Action.NO_VIOLATION), "ok"),
            (Action.REMOVE, labels.action_label(Action.REMOVE), "bad"),
            (Action.RESTRICT, labels.action_label(Action.RESTRICT), "bad"),
            (Action.WARN, labels.action_label(Action.WARN), "warn"),
            (Action.ESCALATE, labels.action_label(Action.ESCALATE), "neutral"),
            (SKIP, self.tr("Skip"), SKIP),
        ):
            button = ActionButton(text, ACTION_KEYS[key_], kind, self)
            self.buttons[key_] = button
            row.addWidget(button)
            if isinstance(key_, Action):
                self.group.addButton(button)
                button.clicked.connect(lambda _=False, a=key_: self.arm(a))
            else:
                button.clicked.connect(self.skipRequested)

        self.category = QComboBox(self)
        self.category.setObjectName("categoryChooser")
        for c in PolicyCategory:
            self.category.addItem(labels.category_label(c), c.value)
        self.category.currentIndexChanged.connect(self._category_changed)
        self.category.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.ground = QComboBox(self)
        self.ground.setObjectName("groundChooser")
        for g in Ground:
            self.ground.addItem(labels.ground_label(g), g.value)
        self.explanation = ExplanationEdit(self)
        self.explanation.setPlaceholderText(self.tr("Explanation for the trader (statement of reasons)"))
        self.explanation.submitted.connect(self.confirm)
        self.explanation.edited.connect(self._edited)
        fm = self.explanation.fontMetrics()
        self.explanation.setFixedHeight(fm.lineSpacing() * 3 + 14)
        self.confirm_button = QPushButton(self.tr("Confirm  ⏎"), self)
        self.confirm_button.setObjectName("confirmButton")
        self.confirm_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_button.clicked.connect(self.confirm)
        self.hint = PlainLabel("", self)
        self.hint.setObjectName("decisionHint")

        choosers = QVBoxLayout()
        choosers.setSpacing(4)
        for caption, key, widget in (
            (self.tr("Category"), "C", self.category),
            (self.tr("Ground"), "G", self.ground),
        ):
            cap_row = QHBoxLayout()
            cap_row.setSpacing(6)
            cap = PlainLabel(caption, self)
            cap.setObjectName("fieldCaption")
            cap_row.addWidget(cap)
            cap_row.addStretch(1)
            keycap = PlainLabel(key, self)
            keycap.setObjectName("smallKeycap")
            cap_row.addWidget(keycap)
            choosers.addLayout(cap_row)
            choosers.addWidget(widget)
        self.category.setMinimumWidth(230)

        side = QVBoxLayout()
        side.addStretch(1)
        side.addWidget(self.confirm_button)
        second = QHBoxLayout()
        second.setSpacing(10)
        second.addLayout(choosers, 0)
        second.addWidget(self.explanation, 1)
        second.addLayout(side, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(row)
        layout.addLayout(second)
        layout.addWidget(self.hint)
        self._set_enabled_fields(False)
        self._update_hint()

    # -- state --------------------------------------------------------------------------------------

    def reset_for(self, case: ReviewCase | None) -> None:
        """A new case: nothing armed, category suggested from its flags."""
        self._suggested = suggested_category(case) if case is not None else PolicyCategory.OTHER
        self._action = None
        self._dirty = False
        for b in self.group.buttons():
            b.setChecked(False)
        self._select_category(self._suggested)
        self.explanation.set_template("")
        self._set_enabled_fields(False)
        self._update_hint()
        self.setEnabled(case is not None)

    def arm(self, action: Action) -> None:
        self._action = action
        for key_, b in self.buttons.items():
            if isinstance(key_, Action):
                b.setChecked(key_ is action)
        category = self.current_category()
        if action in RESTRICTING_ACTIONS:
            self.ground.setCurrentIndex(self.ground.findData(default_ground(category).value))
        if not self._dirty:
            self._fill_template()
        self._set_enabled_fields(True)
        self._update_hint()
        self.armed.emit(action)

    def disarm(self) -> None:
        self._action = None
        for b in self.group.buttons():
            b.setChecked(False)
        if not self._dirty:
            self.explanation.set_template("")
        self._set_enabled_fields(False)
        self._update_hint()
        self.armed.emit(None)

    def armed_action(self) -> Action | None:
        return self._action

    def current_category(self) -> PolicyCategory:
        data = self.category.currentData()  # Qt hands enum values back as plain str
        return PolicyCategory(data) if data else PolicyCategory.OTHER

    def current_ground(self) -> Ground:
        return Ground(self.ground.currentData())

    def pending(self) -> PendingDecision | None:
        if self._action is None:
            return None
        restricting = self._action in RESTRICTING_ACTIONS
        ground = self.current_ground() if restricting else None
        return PendingDecision(
            self._action, self.current_category(), ground, self.explanation.toPlainText().strip()
        )

    def restore(self, pending: PendingDecision) -> None:
        """Put a decision that could not be recorded back in the bar, as the person left it."""
        if pending.category is not None:
            self._select_category(pending.category)
        self.arm(pending.action)
        if pending.ground is not None:
            self.ground.setCurrentIndex(self.ground.findData(pending.ground.value))
        self.explanation.set_template(pending.explanation)
        self._dirty = True

    def confirm(self) -> None:
        pending = self.pending()
        if pending is None:
            self.incomplete.emit([self.tr("an action (N, R, V, W or E)")])
            return
        missing = pending.missing()
        if missing:
            self.incomplete.emit(missing)
            return
        self.confirmed.emit(pending)

    def toggle_ground(self) -> None:
        if self._action in RESTRICTING_ACTIONS:
            self.ground.setCurrentIndex((self.ground.currentIndex() + 1) % self.ground.count())

    def choose_category(self) -> None:
        self.category.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.category.showPopup()

    def edit_explanation(self) -> None:
        self.explanation.setEnabled(True)
        self.explanation.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- internals ----------------------------------------------------------------------------------

    def _select_category(self, category: PolicyCategory) -> None:
        self.category.blockSignals(True)
        self.category.setCurrentIndex(self.category.findData(category.value))
        self.category.blockSignals(False)

    def _category_changed(self, _index: int) -> None:
        if self._action in RESTRICTING_ACTIONS:
            self.ground.setCurrentIndex(self.ground.findData(default_ground(self.current_category()).value))
        if self._action is not None and not self._dirty:
            self._fill_template()
        self._update_hint()

    def _fill_template(self) -> None:
        if self._action is None:
            return
        cat = self.current_category()
        self.explanation.set_template(
            self._templates.explanation(self._action, cat, labels.category_label(cat))
        )

    def _edited(self) -> None:
        self._dirty = True
        self._update_hint()

    def _set_enabled_fields(self, armed: bool) -> None:
        self.ground.setEnabled(armed and self._action in RESTRICTING_ACTIONS)
        self.confirm_button.setEnabled(armed)

    def _update_hint(self) -> None:
        if self._action is None:
            self.hint.setText(
                self.tr(
                    "Choose an action: N no violation · R remove · V restrict · W warn · E escalate · S skip"
                )
            )
            return
        pending = self.pending()
        missing = pending.missing() if pending else []
        if missing:
            self.hint.setText(self.tr("Still needed: %1").replace("%1", ", ".join(missing)))
        else:
            self.hint.setText(
                self.tr(
                    "%1 — Enter to confirm · C category · G ground · X edit explanation · Esc cancel"
                ).replace("%1", labels.action_label(self._action))
            )
