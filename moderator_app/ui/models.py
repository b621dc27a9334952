"""Thin item models over DTO rows: queues, flags, the trader's decisions, image thumbnails.

Column constants and custom roles (``ROW_ROLE`` hands back the DTO). Display text is always plain: the
standard delegates never interpret it as HTML, and no untrusted text goes into tooltips.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap

from moderator_app.domain.enums import Action, FlagSource
from moderator_app.domain.review.model import DecisionInfo, FlagInfo, ImageInfo, QueueCount
from moderator_app.ui import labels

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The DTO behind a row."""
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
"""A stable key for a row (queue name, flag id, decision id, image id)."""

Index = QModelIndex | QPersistentModelIndex


class _RowsModel(QAbstractTableModel):
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.header(section)
        return None

    def header(self, section: int) -> str:
        return self.COLUMNS[section]

    def row(self, r: int) -> Any:
        return self._rows[r]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        if role == ROW_ROLE:
            return item
        if role == KEY_ROLE:
            return self.key(item)
        return self.cell(item, index.column(), role)

    def key(self, item: Any) -> Any:
        return getattr(item, "id", None)

    def cell(self, item: Any, column: int, role: int) -> Any:
        raise NotImplementedError


class QueueModel(_RowsModel):
    """The queues with their pending counts. Updates in place so the selection survives a refresh."""

    NAME, PENDING = range(2)
    COLUMNS = ("Queue", "Pending")

    def header(self, section: int) -> str:
        return (self.tr("Queue"), self.tr("Pending"))[section]

    def key(self, item: QueueCount) -> str:
        return item.queue

    def update_counts(self, counts: Sequence[QueueCount]) -> None:
        new = list(counts)
        if [c.queue for c in new] != [c.queue for c in self._rows]:
            self.set_rows(new)
            return
        self._rows = new
        if new:
            self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self.COLUMNS) - 1))

    def row_of(self, queue: str) -> int:
        for i, c in enumerate(self._rows):
            if c.queue == queue:
                return i
        return -1

    def cell(self, item: QueueCount, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                labels.queue_label(item.queue) if column == self.NAME else labels.format_count(item.pending)
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.PENDING:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == self.PENDING and item.pending:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PENDING and not item.pending:
            return QBrush(QColor(128, 128, 128))
        return None


class FlagModel(_RowsModel):
    SOURCE, REASON, EXPLANATION, NOTIFIER, RECEIVED = range(5)
    COLUMNS = ("Source", "Reason", "Explanation", "Notifier", "Received")

    def header(self, section: int) -> str:
        return (
            self.tr("Source"),
            self.tr("Reason"),
            self.tr("Explanation"),
            self.tr("Notifier"),
            self.tr("Received"),
        )[section]

    def cell(self, item: FlagInfo, column: int, role: int) -> Any:
        trusted = item.source in (FlagSource.TRUSTED_FLAGGER, FlagSource.AUTHORITY_ORDER)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.SOURCE:
                mark = "★ " if trusted else ""
                return mark + labels.source_label(item.source)
            if column == self.REASON:
                return labels.category_label(item.category)
            if column == self.EXPLANATION:
                return " ".join(item.explanation.split())  # one line in the table; full text below it
            if column == self.NOTIFIER:
                return item.notifier or self.tr("anonymous")
            return labels.format_time(item.received_at)
        if role == Qt.ItemDataRole.FontRole and column == self.SOURCE and trusted:
            font = QFont()
            font.setBold(True)
            return font
        return None


class DecisionModel(_RowsModel):
    """The trader's last decisions, newest first."""

    WHEN, LISTING, ACTION, CATEGORY = range(4)
    COLUMNS = ("When", "Listing", "Action", "Category")

    def header(self, section: int) -> str:
        return (self.tr("When"), self.tr("Listing"), self.tr("Action"), self.tr("Category"))[section]

    def cell(self, item: DecisionInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return labels.format_date(item.decided_at)
            if column == self.LISTING:
                return item.listing_external_id
            if column == self.ACTION:
                text = labels.action_label(item.action)
                return text + " " + self.tr("(undone)") if item.undone_at else text
            return labels.category_label(item.category) if item.category else ""
        if role == Qt.ItemDataRole.ForegroundRole and item.undone_at is not None:
            return QBrush(QColor(128, 128, 128))
        if (
            role == Qt.ItemDataRole.FontRole
            and column == self.ACTION
            and item.action
            in (
                Action.REMOVE,
                Action.RESTRICT,
                Action.WARN,
            )
            and item.undone_at is None
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None


class ThumbModel(QAbstractListModel):
    """The images of a listing for the thumbnail strip; pixmaps arrive as they are decoded."""

    def __init__(self, parent: Any = None, *, thumb: QSize | None = None) -> None:
        super().__init__(parent)
        self._images: list[ImageInfo] = []
        self._pixmaps: dict[int, QPixmap] = {}
        self._problems: dict[int, str] = {}
        self._thumb = thumb or QSize(72, 72)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._images)

    def set_images(self, images: Sequence[ImageInfo]) -> None:
        self.beginResetModel()
        self._images = list(images)
        self._pixmaps.clear()
        self._problems.clear()
        self.endResetModel()

    def images(self) -> list[ImageInfo]:
        return list(self._images)

    def set_pixmap(self, image_id: int, pixmap: QPixmap | None, problem: str | None = None) -> None:
        for r, info in enumerate(self._images):
            if info.id == image_id:
                if pixmap is not None:
                    self._pixmaps[image_id] = pixmap
                if problem:
                    self._problems[image_id] = problem
                idx = self.index(r, 0)
                self.dataChanged.emit(idx, idx)
                return

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._images)):
            return None
        info = self._images[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            n = index.row() + 1
            if not info.readable or info.id in self._problems:
                return self.tr("%1 · unreadable").replace("%1", str(n))
            return str(n)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmaps.get(info.id)
        if role == ROW_ROLE:
            return info
        if role == KEY_ROLE:
            return info.id
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(self._thumb.width() + 8, self._thumb.height() + 8)
        return None
