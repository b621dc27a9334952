"""The supervisor dashboard: key figures, backlog against targets, throughput, decisions by action and
second-review agreement, as QtCharts charts over :class:`DashboardFigures`.

Figures are computed on the database worker (latest wins) and the window refreshes itself every
minute; it never waits for the database. Queue and moderator names are shown as plain text.

Signals: figuresShown(): new figures are on screen (``figures`` holds them).
"""

from __future__ import annotations

import math
from datetime import timedelta

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.supervision.dashboard import DashboardFigures, duration_text, percent
from moderator_app.services.clock import Clock
from moderator_app.services.supervision.dashboard import DashboardService
from moderator_app.ui.tasks import TaskManager
from moderator_app.ui.widgets import PlainLabel, card, heading

REFRESH_MS = 60_000
PERIODS = {"24h": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30)}
BLUE, RED, GREEN, GREY = "#2563eb", "#b42318", "#17663a", "#9aa1ab"


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(230)
    return chart, view


def fill_bars(
    chart: QChart,
    labels: list[str],
    sets: list[tuple[str, list[float], str]],
    *,
    horizontal: bool = False,
    top: float | None = None,
) -> None:
    """Replace the chart's series with (stacked) bars; one QBarSet per (name, values, colour)."""
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    series = QStackedBarSeries()
    for name, values, colour in sets:
        bar = QBarSet(name)
        bar.append(values)
        bar.setColor(QColor(colour))
        bar.setBorderColor(QColor(colour))
        series.append(bar)
    chart.addSeries(series)
    cats = QBarCategoryAxis()
    cats.append(labels or [""])
    values = QValueAxis()
    peak = max((sum(v[i] for _, v, _ in sets) for i in range(len(labels))), default=0.0)
    if top is None:  # counts: whole numbers on the axis
        top = float(max(1, math.ceil(peak)))
        values.setRange(0, top)
        values.setTickCount(int(top) + 1 if top <= 6 else 5)
        if top > 6:
            values.applyNiceNumbers()
    else:
        values.setRange(0, top)
    values.setLabelFormat("%.0f")
    chart.addAxis(cats, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cats)
    series.attachAxis(values)
    chart.legend().setVisible(len(sets) > 1)


class DashboardWindow(QMainWindow):
    figuresShown = Signal()

    def __init__(
        self,
        dashboard: DashboardService,
        tasks: TaskManager,
        actor: str,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardWindow")
        self.setWindowTitle(self.tr("Moderator Workstation — Supervisor dashboard"))
        self.dashboard, self.tasks, self.actor, self.clock = dashboard, tasks, actor, clock
        self.figures: DashboardFigures | None = None

        self.period = QComboBox()
        self.period.addItem(self.tr("Last 24 hours"), "24h")
        self.period.addItem(self.tr("Last 7 days"), "7d")
        self.period.addItem(self.tr("Last 30 days"), "30d")
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.updated = PlainLabel("")
        self.updated.setObjectName("mutedText")
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Supervisor dashboard"), size_delta=3))
        top.addStretch(1)
        top.addWidget(self.updated)
        top.addWidget(self.period)
        top.addWidget(self.refresh_button)

        self.tiles: dict[str, PlainLabel] = {}
        tiles = QHBoxLayout()
        for key, title in (
            ("decisions", self.tr("Decisions")),
            ("median", self.tr("Median flag → decision")),
            ("open", self.tr("Open items")),
            ("late", self.tr("Past target")),
            ("agreement", self.tr("Second-review agreement")),
            ("appeals", self.tr("Reversed on appeal")),
        ):
            value = PlainLabel("–")
            value.setObjectName(f"tile_{key}")
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.8)
            font.setBold(True)
            value.setFont(font)
            self.tiles[key] = value
            caption = PlainLabel(title)
            caption.setObjectName("mutedText")
            tiles.addWidget(card(value, caption), 1)

        self.backlog_chart, backlog_view = _chart(self.tr("Backlog per queue"))
        self.throughput_chart, throughput_view = _chart(self.tr("Decisions per hour"))
        self.action_chart, action_view = _chart(self.tr("Decisions by action"))
        self.agreement_chart, agreement_view = _chart(self.tr("Second-review agreement per moderator (%)"))
        grid = QGridLayout()
        grid.addWidget(backlog_view, 0, 0)
        grid.addWidget(throughput_view, 0, 1)
        grid.addWidget(action_view, 1, 0)
        grid.addWidget(agreement_view, 1, 1)

        self.models = QTableWidget(0, 4)
        self.models.setObjectName("modelTable")
        self.models.setHorizontalHeaderLabels(
            [self.tr("Model or rule"), self.tr("Flagged"), self.tr("Confirmed"), self.tr("Overturned")]
        )
        self.models.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.models.verticalHeader().hide()
        self.models.setMaximumHeight(140)
        self.models.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)
        layout.addWidget(self.models)
        self.setCentralWidget(central)
        self.resize(1280, 860)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        self.timer.start()
        self.refresh()

    def closeEvent(self, event: object) -> None:  # type: ignore[override]
        self.timer.stop()
        self.tasks.cancel_group("dashboard")
        super().closeEvent(event)  # type: ignore[arg-type]

    def refresh(self) -> None:
        span = PERIODS[self.period.currentData() or "24h"]
        end = self.clock()
        actor = self.actor
        self.refresh_button.setEnabled(False)
        self.tasks.db(
            lambda: self.dashboard.figures(actor, end - span, end),
            self.show_figures,
            on_error=self._failed,
            group="dashboard",
            latest_wins=True,
        )

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.updated.setText(self.tr("Could not refresh: %1").replace("%1", str(exc)))

    def show_figures(self, figures: object) -> None:
        assert isinstance(figures, DashboardFigures)
        f = self.figures = figures
        self.refresh_button.setEnabled(True)
        self.updated.setText(self.tr("as of %1 UTC").replace("%1", f.now.strftime("%H:%M:%S")))
        q = f.quality
        self.tiles["decisions"].setText(str(f.decisions))
        self.tiles["median"].setText(duration_text(f.median_flag_to_decision))
        self.tiles["open"].setText(str(f.open_items))
        self.tiles["late"].setText(str(f.past_sla))
        self.tiles["agreement"].setText(percent(q.overall.agreement))
        self.tiles["appeals"].setText(percent(f.appeal_reversal_rate))
        queues = [b.queue for b in f.backlog]
        fill_bars(
            self.backlog_chart,
            queues,
            [
                (self.tr("within target"), [float(b.open_items - b.past_sla) for b in f.backlog], BLUE),
                (self.tr("past target"), [float(b.past_sla) for b in f.backlog], RED),
            ],
        )
        hours = f.throughput[-24:] if len(f.throughput) <= 48 else f.throughput
        if len(hours) > 48:  # long periods: per day
            days: dict[str, int] = {}
            for h in hours:
                days[h.hour.strftime("%m-%d")] = days.get(h.hour.strftime("%m-%d"), 0) + h.decisions
            labels, values = list(days), [float(v) for v in days.values()]
            self.throughput_chart.setTitle(self.tr("Decisions per day"))
        else:
            labels, values = [h.hour.strftime("%H") for h in hours], [float(h.decisions) for h in hours]
            self.throughput_chart.setTitle(self.tr("Decisions per hour (UTC, last 24)"))
        fill_bars(self.throughput_chart, labels, [(self.tr("decisions"), values, BLUE)])
        actions = f.by_action()
        fill_bars(
            self.action_chart,
            list(actions),
            [(self.tr("decisions"), [float(v) for v in actions.values()], GREY)],
        )
        mods = [(m, r) for m, r in q.by_moderator.items() if r.reviewed]
        fill_bars(
            self.agreement_chart,
            [m for m, _ in mods],
            [(self.tr("agreement %"), [100.0 * (r.agreement or 0.0) for _, r in mods], GREEN)],
            top=100.0,
        )
        self.models.setRowCount(len(q.models))
        for row, m in enumerate(q.models):
            for col, value in enumerate((m.model, m.flagged, m.confirmed, m.overturned)):
                item = QTableWidgetItem(str(value))
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.models.setItem(row, col, item)
        self.figuresShown.emit()
