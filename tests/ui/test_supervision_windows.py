"""Issue 6 windows, offscreen: the login dialog, the dashboard (charts, figures as the service gives
them, refreshed in the background), the audit view (filters, the listing as decided, CSV), and the
Supervision menu of the review window."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from pytestqt.qtbot import QtBot

from moderator_app.domain.supervision.dashboard import DashboardFigures, duration_text
from moderator_app.services.workstation import Workstation
from moderator_app.ui.accounts.login_dialog import LoginDialog
from moderator_app.ui.app import ReviewWindow
from moderator_app.ui.supervision.audit_view import AuditWindow
from moderator_app.ui.supervision.dashboard_window import DashboardWindow
from moderator_app.ui.tasks import TaskManager
from tests.conftest import FakeClock

SHOTS = os.environ.get("MODERATOR_SHOTS_DIR")  # set to keep the screenshots for a person to look at


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    tm = TaskManager()
    yield tm
    tm.shutdown()


def _save(widget: object, tmp_path: Path, name: str) -> Path:
    path = Path(SHOTS or tmp_path) / name
    assert widget.grab().save(str(path))  # type: ignore[attr-defined]
    return path


def test_the_login_dialog_refuses_a_wrong_password_and_lets_the_right_one_in(
    qtbot: QtBot, sqlite_ws: Workstation, tasks: TaskManager
) -> None:
    sqlite_ws.accounts.add("root", "root-pass-long-1", ["admin"], "")
    dialog = LoginDialog(sqlite_ws.accounts, tasks, "root")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText("not-the-password")
    dialog.attempt()
    assert dialog.password.text() == ""  # never left in the field
    qtbot.waitUntil(lambda: "wrong name or password" in dialog.message.text(), timeout=5000)
    assert dialog.principal is None
    dialog.password.setText("root-pass-long-1")
    with qtbot.waitSignal(dialog.loggedIn, timeout=5000):
        dialog.attempt()
    assert dialog.principal is not None and dialog.principal.name == "root"


def test_the_dashboard_shows_the_service_figures_in_charts(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation, clock: FakeClock, tmp_path: Path
) -> None:
    clock.advance(minutes=1)  # the period ends now: the fixture's decisions were made a minute ago
    window = DashboardWindow(review_ws.dashboard, review.tasks, "sup", review_ws.clock)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.figuresShown, timeout=10_000):
        window.show()
    f = window.figures
    assert isinstance(f, DashboardFigures)
    expected = review_ws.dashboard.figures("sup", clock.now - (f.end - f.start), clock.now)
    assert f.decisions == expected.decisions == 3
    assert window.tiles["decisions"].text() == "3"
    assert window.tiles["open"].text() == str(expected.open_items)
    assert window.tiles["late"].text() == str(expected.past_sla)
    assert window.tiles["median"].text() == duration_text(expected.median_flag_to_decision)
    backlog = window.backlog_chart.series()[0]
    assert sum(sum(s.at(i) for i in range(s.count())) for s in backlog.barSets()) == expected.open_items
    assert len(window.findChildren(QChartView)) == 4
    # a longer period is fetched in the background and replaces the figures
    with qtbot.waitSignal(window.figuresShown, timeout=10_000):
        window.period.setCurrentIndex(1)
    assert (
        window.figures is not None
        and window.figures.end - window.figures.start > expected.end - expected.start
    )
    window.resize(1280, 860)
    assert _save(window, tmp_path, "dashboard.png").stat().st_size > 10_000
    window.close()
    assert not window.timer.isActive()


def test_the_audit_view_filters_opens_the_listing_as_decided_and_exports_csv(
    qtbot: QtBot, review: ReviewWindow, review_ws: Workstation, tmp_path: Path
) -> None:
    window = AuditWindow(review_ws, review.tasks, "sup")
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.eventsShown, timeout=10_000) as shown:
        window.reload()
    everything = shown.args[0]
    assert everything >= 6  # the history's three claims and decisions, and the window's own claims
    window.action.setCurrentIndex(window.action.findData("decide"))
    with qtbot.waitSignal(window.eventsShown, timeout=10_000) as shown:
        window.reload()
    assert shown.args[0] == 3 < everything
    assert {e.actor for e in window.model.events} == {"earlier"}
    window.table.selectRow(0)
    window.open_listing()
    qtbot.waitUntil(lambda: window.listing_dialog is not None, timeout=5000)
    assert window.listing_dialog is not None
    text = window.listing_dialog.findChildren(type(window.listing_dialog.children()[-1]))[0].toPlainText()
    assert "decide by earlier" in text and '"listing_status": "removed"' in text
    out = tmp_path / "audit.csv"
    window.export_csv(out)
    qtbot.waitUntil(lambda: "Wrote 3 events" in window.status.text(), timeout=5000)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["action"] for r in rows] == ["decide"] * 3
    window.verify()
    qtbot.waitUntil(lambda: "audit log intact" in window.status.text(), timeout=5000)
    _save(window, tmp_path, "audit.png")


def test_the_review_window_says_single_user_mode_and_offers_the_supervision_menu(
    qtbot: QtBot, review: ReviewWindow
) -> None:
    menu = review.window.supervision  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "dashboard" in menu.actions, timeout=5000)
    assert "Single-user mode" in review.window.windowTitle()
    assert menu.actions["dashboard"].shortcut().toString() == "Ctrl+Shift+D"
    assert set(menu.actions) == {"dashboard", "audit"}
