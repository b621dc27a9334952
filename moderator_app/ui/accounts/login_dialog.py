"""The login dialog shown at start once the database has accounts.

The password check (argon2, a fraction of a second on purpose) runs on the database worker, so the
dialog keeps painting; a refusal (wrong password, or a wait after repeated failures) is shown in the
dialog in plain text. The password field is cleared after every attempt and never logged.

Signals: loggedIn(): someone logged in (``principal`` says who).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.accounts.roles import Principal
from moderator_app.services.accounts.service import AccountService
from moderator_app.ui.tasks import TaskManager
from moderator_app.ui.widgets import PlainLabel, heading


class LoginDialog(QDialog):
    loggedIn = Signal()

    def __init__(
        self, accounts: AccountService, tasks: TaskManager, name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Moderator Workstation — Log in"))
        self.accounts = accounts
        self.tasks = tasks
        self.principal: Principal | None = None
        self.name = QLineEdit(name)
        self.name.setObjectName("loginName")
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = PlainLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log in"))
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Log in with your account")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if name else self.name).setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(380)

    def attempt(self) -> None:
        name, password = self.name.text().strip(), self.password.text()
        self.password.clear()
        if not name or not password:
            self.message.setText(self.tr("Enter your name and password."))
            return
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        self.tasks.db(
            lambda: self.accounts.login(name, password), self._done, on_error=self._refused, essential=True
        )

    def _done(self, principal: object) -> None:
        self.buttons.setEnabled(True)
        assert isinstance(principal, Principal)
        self.principal = principal
        self.message.setText("")
        self.loggedIn.emit()
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(str(exc))
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
