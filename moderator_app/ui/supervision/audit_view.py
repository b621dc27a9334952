"""The audit log for supervisors: filter by person, action, queue, category and time; open the listing
as it was decided; export what is shown as CSV; check the hash chain.

Events are fetched on the database worker (newest first, 500 at a time). Every text comes from the
log or a listing and is shown as plain text only.

Signals: eventsShown(int): the number of events now in the table.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimeZone,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.review.model import ListingDetail
from moderator_app.domain.supervision.audit import AuditAction, AuditEvent
from moderator_app.services.supervision.audit import AuditFilter
from moderator_app.services.workstation import Workstation
from moderator_app.ui.tasks import TaskManager
from moderator_app.ui.widgets import PlainLabel

COLUMNS = ("#", "When (UTC)", "Person", "Action", "Subject", "Queue", "Category", "Detail")
PAGE = 500
Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.events: list[AuditEvent] = []

    def set_events(self, events: list[AuditEvent]) -> None:
        self.beginResetModel()
        self.events = list(events)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.events[index.row()]
        values = (
            e.seq,
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.action,
            e.subject,
            e.queue or "",
            e.category or "",
            e.detail,
        )
        return str(values[index.column()])


def listing_as_decided(detail: ListingDetail, event: AuditEvent) -> str:
    """The listing's text with what the event recorded (listing text never changes after import)."""
    li = detail.listing
    lines = [
        f"Listing {li.external_id} by {detail.trader.external_id} {detail.trader.display_name}",
        f"Title: {li.title}",
        f"Price: {li.price_text or '-'}    Category: {li.category}",
        "",
        li.description,
        "",
        f"Event #{event.seq} {event.action} by {event.actor} at {event.at:%Y-%m-%d %H:%M:%S} UTC",
        "Before: " + json.dumps(event.before_value(), ensure_ascii=False, sort_keys=True),
        "After: " + json.dumps(event.after_value(), ensure_ascii=False, sort_keys=True),
        "",
        f"Now: {li.status.value}",
    ]
    lines += [
        f"Flag {f.received_at:%Y-%m-%d %H:%M} {f.source.value} / {f.category.value}: {f.explanation}"
        for f in detail.flags
    ]
    return "\n".join(lines)


class AuditWindow(QMainWindow):
    eventsShown = Signal(int)

    def __init__(
        self, ws: Workstation, tasks: TaskManager, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditWindow")
        self.setWindowTitle(self.tr("Moderator Workstation — Audit log"))
        self.ws, self.tasks, self.actor = ws, tasks, actor
        self.person = QLineEdit()
        self.person.setPlaceholderText(self.tr("person"))
        self.action = QComboBox()
        self.action.addItem(self.tr("any action"), "")
        for a in AuditAction:
            self.action.addItem(a.value, a.value)
        self.queue = QLineEdit()
        self.queue.setPlaceholderText(self.tr("queue"))
        self.category = QComboBox()
        self.category.addItem(self.tr("any category"), "")
        for c in PolicyCategory:
            self.category.addItem(c.value, c.value)
        # the workstation's clock, not the machine's: the window shows the last 30 days of the
        # workstation's time (the same clock that stamps the events)
        now = QDateTime.fromSecsSinceEpoch(int(ws.clock().timestamp()), QTimeZone.utc())
        self.start = QDateTimeEdit(now.addDays(-30))
        self.end = QDateTimeEdit(now.addDays(1))
        for edit in (self.start, self.end):
            edit.setTimeZone(QTimeZone.utc())
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.apply = QPushButton(self.tr("Show"))
        self.apply.clicked.connect(self.reload)
        filters = QHBoxLayout()
        for w in (self.person, self.action, self.queue, self.category, self.start, self.end, self.apply):
            filters.addWidget(w)

        self.model = AuditModel(self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_listing())

        self.open_button = QPushButton(self.tr("Open listing as decided"))
        self.open_button.clicked.connect(self.open_listing)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(lambda: self.export_csv(None))
        self.verify_button = QPushButton(self.tr("Check the chain"))
        self.verify_button.clicked.connect(self.verify)
        self.status = PlainLabel("")
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for w in (self.open_button, self.export_button, self.verify_button):
            buttons.addWidget(w)
        buttons.addWidget(self.status, 1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setCentralWidget(central)
        self.resize(1200, 760)
        self.listing_dialog: QDialog | None = None

    def current_filter(self) -> AuditFilter:
        def utc(edit: QDateTimeEdit) -> datetime:
            return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)

        return AuditFilter(
            actor=self.person.text().strip() or None,
            action=self.action.currentData() or None,
            queue=self.queue.text().strip() or None,
            category=self.category.currentData() or None,
            start=utc(self.start),
            end=utc(self.end),
        )

    def reload(self) -> None:
        f, actor = self.current_filter(), self.actor
        self.tasks.db(
            lambda: self.ws.audit.events(actor, f, PAGE),
            self._show,
            on_error=self._failed,
            group="audit",
            latest_wins=True,
        )

    def _show(self, events: object) -> None:
        assert isinstance(events, list)
        self.model.set_events(events)
        self.status.setText(self.tr("%1 events (newest first)").replace("%1", str(len(events))))
        self.eventsShown.emit(len(events))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))

    def selected(self) -> AuditEvent | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.events[rows[0].row()] if rows else None

    def open_listing(self) -> None:
        event = self.selected()
        if event is None or event.listing_id is None:
            self.status.setText(self.tr("Choose an event about a listing first."))
            return
        listing_id = event.listing_id
        self.tasks.db(
            lambda: self.ws.lookup.listing(listing_id),
            lambda d: self._show_listing(d, event),
            on_error=self._failed,
        )

    def _show_listing(self, detail: object, event: AuditEvent) -> None:
        assert isinstance(detail, ListingDetail)
        dialog = QDialog(self)
        dialog.setObjectName("listingAsDecided")
        dialog.setWindowTitle(self.tr("Listing %1 as decided").replace("%1", detail.listing.external_id))
        text = QPlainTextEdit(listing_as_decided(detail, event))
        text.setReadOnly(True)
        QVBoxLayout(dialog).addWidget(text)
        dialog.resize(720, 520)
        dialog.show()
        self.listing_dialog = dialog

    def export_csv(self, path: Path | None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the audit log"), "audit.csv", "CSV (*.csv)"
            )
            if not chosen:
                return
            path = Path(chosen)
        f, actor, out = self.current_filter(), self.actor, path
        self.tasks.db(
            lambda: self.ws.audit.export_csv(actor, out, f),
            lambda r: self.status.setText(
                self.tr("Wrote %1 events to %2").replace("%1", str(r[0])).replace("%2", str(r[1]))
            ),
            on_error=self._failed,
        )

    def verify(self) -> None:
        actor = self.actor
        self.tasks.db(
            lambda: self.ws.audit.verify(actor),
            lambda r: self.status.setText(r.text()),
            on_error=self._failed,
        )
