"""The supervisor report as a PDF (``moderator-app report supervisor --pdf OUT.pdf``): the dashboard's
figures drawn with QPainter on a QPdfWriter (A4, text stays text), charts as plain bars.

Everything shown is a figure of :class:`DashboardFigures`; listing text never appears here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.dashboard import DashboardFigures, duration_text, percent

DPI = 96
TEXT, MUTED, ACCENT, BAD, GRID = "#1f2328", "#6b7280", "#2563eb", "#b42318", "#d9dce1"


def hourly_or_daily(f: DashboardFigures) -> tuple[str, list[tuple[str, int]]]:
    """Throughput bars: per hour for up to three days, else per day."""
    if f.end - f.start <= timedelta(days=3):
        return "Decisions per hour", [(h.hour.strftime("%d %H:00"), h.decisions) for h in f.throughput]
    days: dict[str, int] = {}
    for h in f.throughput:
        key = h.hour.strftime("%Y-%m-%d")
        days[key] = days.get(key, 0) + h.decisions
    return "Decisions per day", list(days.items())


class _Page:
    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer, self.p = writer, painter
        rect = writer.pageLayout().paintRectPixels(DPI)
        self.w, self.h = float(rect.width()), float(rect.height())
        self.y = 0.0
        self.pages = 1

    def font(self, size: float, bold: bool = False, color: str = TEXT) -> None:
        f = QFont("DejaVu Sans")
        f.setPointSizeF(size)
        f.setBold(bold)
        self.p.setFont(f)
        self.p.setPen(QColor(color))

    def need(self, height: float) -> None:
        if self.y + height > self.h:
            self.writer.newPage()
            self.pages += 1
            self.y = 0.0

    def text(self, s: str, size: float = 9.5, bold: bool = False, color: str = TEXT, gap: float = 4) -> None:
        self.font(size, bold, color)
        height = self.p.fontMetrics().height()
        self.need(height)
        self.p.drawText(QRectF(0, self.y, self.w, height), Qt.AlignmentFlag.AlignLeft, s)
        self.y += height + gap

    def heading(self, s: str) -> None:
        self.need(60)
        self.y += 8
        self.text(s, 12, True, gap=6)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        self.font(8.5, True, MUTED)
        lh = self.p.fontMetrics().height() + 4
        self.need(lh * min(len(rows) + 1, 4))
        self._row(header, widths, lh)
        self.p.setPen(QColor(GRID))
        self.p.drawLine(0, int(self.y - 2), int(self.w), int(self.y - 2))
        for row in rows:
            self.font(8.5)
            self.need(lh)
            self._row(row, widths, lh)
        self.y += 6

    def _row(self, cells: Sequence[str], widths: Sequence[float], lh: float) -> None:
        x = 0.0
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            align = Qt.AlignmentFlag.AlignLeft if i == 0 else Qt.AlignmentFlag.AlignRight
            self.p.drawText(
                QRectF(x, self.y, width * self.w - 6, lh), align | Qt.AlignmentFlag.AlignVCenter, cell
            )
            x += width * self.w
        self.y += lh

    def bars(self, items: Sequence[tuple[str, int]], color: str = ACCENT, label_w: float = 0.28) -> None:
        if not items:
            self.text("none in this period", color=MUTED)
            return
        top = max(v for _, v in items) or 1
        self.font(8.5)
        lh = self.p.fontMetrics().height() + 3
        for label, value in items:
            self.need(lh)
            self.font(8.5)
            self.p.drawText(QRectF(0, self.y, label_w * self.w - 8, lh), Qt.AlignmentFlag.AlignRight, label)
            span = (1 - label_w - 0.1) * self.w
            self.p.fillRect(
                QRectF(label_w * self.w, self.y + 2, max(1.0, span * value / top), lh - 5), QColor(color)
            )
            self.p.drawText(
                QRectF(label_w * self.w + span * value / top + 4, self.y, 0.1 * self.w, lh),
                Qt.AlignmentFlag.AlignLeft,
                str(value),
            )
            self.y += lh
        self.y += 6

    def columns(self, items: Sequence[tuple[str, int]], height: float = 140) -> None:
        """A column chart (throughput): labels under every few columns."""
        self.need(height + 30)
        top = max((v for _, v in items), default=0) or 1
        n = max(1, len(items))
        step = self.w / n
        base = self.y + height
        self.p.setPen(QColor(GRID))
        self.p.drawLine(0, int(base), int(self.w), int(base))
        for i, (_, v) in enumerate(items):
            hgt = height * v / top
            self.p.fillRect(QRectF(i * step + step * 0.15, base - hgt, step * 0.7, hgt), QColor(ACCENT))
        self.font(7, color=MUTED)
        every = max(1, n // 8)
        for i, (label, _) in enumerate(items):
            if i % every == 0:
                self.p.drawText(
                    QRectF(i * step, base + 2, step * every, 14), Qt.AlignmentFlag.AlignLeft, label
                )
        self.p.drawText(QRectF(0, self.y - 2, self.w, 14), Qt.AlignmentFlag.AlignRight, f"max {top}")
        self.y = base + 22


def write_pdf(f: DashboardFigures, out: Path, database: str = "") -> int:
    """Write the report; returns the number of pages."""
    from moderator_app.ui.app import ensure_app

    ensure_app(offscreen=None)  # offscreen when there is no display
    out = Path(out)
    if not out.parent.is_dir():
        raise InvalidInput(f"cannot write {out}: no folder {out.parent}")
    writer = QPdfWriter(str(out))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(16, 16, 16, 16),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle("Supervisor report")
    writer.setCreator("Moderator Workstation")
    painter = QPainter()
    if not painter.begin(writer):
        raise InvalidInput(f"cannot write {out}")
    try:
        page = _Page(writer, painter)
        _draw(page, f, database)
        return page.pages
    finally:
        painter.end()


def _draw(page: _Page, f: DashboardFigures, database: str) -> None:
    last_day = f.end - timedelta(seconds=1)
    page.text("Supervisor report", 18, True, gap=2)
    page.text(
        f"{f.start:%Y-%m-%d %H:%M} to {last_day:%Y-%m-%d %H:%M} UTC · backlog as of {f.now:%Y-%m-%d %H:%M} UTC"
        + (f" · {database}" if database else ""),
        8.5,
        color=MUTED,
        gap=10,
    )
    q = f.quality
    page.table(
        ["Key figures", ""],
        [
            ["Decisions in the period", str(f.decisions)],
            ["Median time from flag to decision", duration_text(f.median_flag_to_decision)],
            ["Open items now", str(f.open_items)],
            ["Items past their service-level target", str(f.past_sla)],
            ["Second reviews: agreement", f"{percent(q.overall.agreement)} of {q.overall.reviewed}"],
            ["Second reviews: overturned", str(q.overall.overturned)],
            ["Appeals: reversal rate", f"{percent(f.appeal_reversal_rate)} of {f.appeals_decided}"],
        ],
        [0.7, 0.3],
    )
    page.heading(QCoreApplication.translate("SupervisorReport", "Backlog per queue"))
    page.table(
        ["Queue", "Open", "Claimed", "Oldest waits", "Target", "Past target"],
        [
            [
                b.queue,
                str(b.open_items),
                str(b.claimed),
                duration_text(b.age(f.now)),
                duration_text(b.sla),
                str(b.past_sla),
            ]
            for b in f.backlog
        ]
        or [["no open items", "", "", "", "", ""]],
        [0.3, 0.12, 0.12, 0.18, 0.14, 0.14],
    )
    title, series = hourly_or_daily(f)
    page.heading(title)
    page.columns(series)
    page.heading(QCoreApplication.translate("SupervisorReport", "Decisions by action"))
    page.bars(list(f.by_action().items()))
    page.heading(QCoreApplication.translate("SupervisorReport", "Decisions by category"))
    page.bars(list(f.by_category().items()))
    page.heading(QCoreApplication.translate("SupervisorReport", "Second reviews by moderator"))
    page.table(
        ["Moderator", "Reviewed", "Agreed", "Overturned", "Agreement"],
        [
            [m, str(r.reviewed), str(r.agreed), str(r.overturned), percent(r.agreement)]
            for m, r in q.by_moderator.items()
        ]
        or [["none reviewed in this period", "", "", "", ""]],
        [0.36, 0.16, 0.16, 0.16, 0.16],
    )
    page.heading(QCoreApplication.translate("SupervisorReport", "Second reviews by category"))
    page.table(
        ["Category", "Reviewed", "Agreed", "Overturned", "Agreement"],
        [
            [c or "(none)", str(r.reviewed), str(r.agreed), str(r.overturned), percent(r.agreement)]
            for c, r in q.by_category.items()
        ]
        or [["none reviewed in this period", "", "", "", ""]],
        [0.36, 0.16, 0.16, 0.16, 0.16],
    )
    page.heading(QCoreApplication.translate("SupervisorReport", "Model flags and what people found"))
    page.table(
        ["Model or rule", "Flagged", "Confirmed", "Overturned"],
        [[m.model, str(m.flagged), str(m.confirmed), str(m.overturned)] for m in q.models]
        or [["no decision saw a model flag in this period", "", "", ""]],
        [0.52, 0.16, 0.16, 0.16],
    )
