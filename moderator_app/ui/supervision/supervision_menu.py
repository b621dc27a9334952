"""What issue 6 adds to the review window: the login at start once accounts exist, the "single-user
mode" notice while none do, and a Supervision menu (dashboard Ctrl+Shift+D, audit log Ctrl+Shift+A)
for the roles that may use them. The services check every call again; hiding is only convenience."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow

from moderator_app.domain.accounts.roles import Principal, Right
from moderator_app.services.workstation import Workstation
from moderator_app.ui.accounts.login_dialog import LoginDialog
from moderator_app.ui.supervision.audit_view import AuditWindow
from moderator_app.ui.supervision.dashboard_window import DashboardWindow
from moderator_app.ui.tasks import TaskManager


def login_at_start(ws: Workstation, name: str, tasks: TaskManager) -> str | None:
    """The name to work as: the logged-in account, ``name`` itself without accounts, None if cancelled.

    ``tasks`` is the task manager the window will then use (one per window, built by ui/app.py).
    """
    if not ws.accounts.managed():
        return name
    dialog = LoginDialog(ws.accounts, tasks, name)
    dialog.exec()
    return dialog.principal.name if dialog.principal is not None else None


class SupervisionMenu:
    """Built once per review window; opens one dashboard and one audit window, on demand."""

    def __init__(self, window: QMainWindow, ws: Workstation, tasks: TaskManager, reviewer: str) -> None:
        self.window, self.ws, self.tasks, self.reviewer = window, ws, tasks, reviewer
        self.dashboard: DashboardWindow | None = None
        self.audit: AuditWindow | None = None
        self.actions: dict[str, QAction] = {}
        tasks.db(lambda: ws.accounts.principal(reviewer), self._install)

    def _install(self, principal: object) -> None:
        if not isinstance(principal, Principal):
            return
        if not principal.managed:
            note = QLabel(self.window.tr("Single-user mode: no accounts, names are taken as given"))
            note.setObjectName("unmanagedNote")
            self.window.statusBar().addPermanentWidget(note)
            self.window.setWindowTitle(self.window.windowTitle() + " — " + note.text())
        menu = None
        for key, title, shortcut, right, slot in (
            (
                "dashboard",
                self.window.tr("Dashboard"),
                "Ctrl+Shift+D",
                Right.VIEW_DASHBOARD,
                self.open_dashboard,
            ),
            ("audit", self.window.tr("Audit log"), "Ctrl+Shift+A", Right.VIEW_AUDIT, self.open_audit),
        ):
            if not principal.may(right):
                continue
            menu = menu or self.window.menuBar().addMenu(self.window.tr("Supervision"))
            action = QAction(title, self.window)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.window.addAction(action)
            self.actions[key] = action

    def open_dashboard(self) -> DashboardWindow:
        if self.dashboard is None:
            self.dashboard = DashboardWindow(
                self.ws.dashboard, self.tasks, self.reviewer, self.ws.clock, self.window
            )
        self.dashboard.show()
        self.dashboard.raise_()
        return self.dashboard

    def open_audit(self) -> AuditWindow:
        if self.audit is None:
            self.audit = AuditWindow(self.ws, self.tasks, self.reviewer, self.window)
            self.audit.reload()
        self.audit.show()
        self.audit.raise_()
        return self.audit


def install_supervision(
    window: QMainWindow, ws: Workstation, tasks: TaskManager, reviewer: str
) -> SupervisionMenu:
    """Adds the menu to ``window`` (the review window, which app.py builds: this module never imports
    app.py, so the two are no import cycle)."""
    menu = SupervisionMenu(window, ws, tasks, reviewer)
    window.supervision = menu  # type: ignore[attr-defined]  # kept alive with the window
    return menu
