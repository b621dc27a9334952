"""Every flag on the listing as a card: source (trusted flaggers and authority orders marked), reason,
notifier, when it came in, and the notifier's explanation as plain, wrapped text.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.enums import FlagSource
from moderator_app.domain.review.model import FlagInfo
from moderator_app.ui import labels
from moderator_app.ui.models import ROW_ROLE, FlagModel
from moderator_app.ui.widgets import PlainLabel, badge, heading

PAD = 8
MAX_EXPLANATION_LINES = 8

Index = QModelIndex | QPersistentModelIndex


def is_trusted(flag: FlagInfo) -> bool:
    return flag.source in (FlagSource.TRUSTED_FLAGGER, FlagSource.AUTHORITY_ORDER)


class FlagCardDelegate(QStyledItemDelegate):
    """Paints one flag as a card. Text is drawn with QPainter.drawText: plain text, never markup."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)  # type: ignore[attr-defined]
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
        return base, bold, small

    def _explanation_rect(self, option: QStyleOptionViewItem, width: int, text: str) -> QRect:
        base, _, _ = self._fonts(option)
        fm = QFontMetrics(base)
        bounds = fm.boundingRect(QRect(0, 0, max(50, width), 10_000), Qt.TextFlag.TextWordWrap, text)
        max_h = fm.lineSpacing() * MAX_EXPLANATION_LINES
        return QRect(0, 0, bounds.width(), min(bounds.height(), max_h))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        flag: FlagInfo | None = index.data(ROW_ROLE)
        width = option.rect.width() if option.rect.width() > 50 else 340  # type: ignore[attr-defined]
        if flag is None:
            return QSize(width, 40)
        _, bold, small = self._fonts(option)
        text = flag.explanation or "—"
        expl = self._explanation_rect(option, width - 3 * PAD, text)
        h = (
            PAD
            + QFontMetrics(bold).lineSpacing()
            + 2
            + QFontMetrics(small).lineSpacing()
            + 4
            + expl.height()
            + PAD
        )
        return QSize(width, h + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        flag: FlagInfo | None = index.data(ROW_ROLE)
        if flag is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = option.palette  # type: ignore[attr-defined]
        rect = option.rect.adjusted(1, 2, -1, -4)  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        trusted = is_trusted(flag)
        accent = pal.highlight().color()
        painter.setPen(QPen(accent if selected else pal.mid().color(), 1.5 if selected else 1))
        painter.setBrush(pal.base())
        painter.drawRoundedRect(rect, 6, 6)
        if trusted:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawRoundedRect(QRect(rect.x(), rect.y(), 4, rect.height()), 2, 2)
        base, bold, small = self._fonts(option)
        x = rect.x() + PAD + (2 if trusted else 0)
        w = rect.width() - 2 * PAD - 2
        y = rect.y() + PAD
        fm_bold = QFontMetrics(bold)
        painter.setFont(bold)
        painter.setPen(accent if trusted else pal.text().color())
        source = ("★ " if trusted else "") + labels.source_label(flag.source)
        painter.drawText(QRect(x, y, w, fm_bold.lineSpacing()), Qt.AlignmentFlag.AlignLeft, source)
        src_w = fm_bold.horizontalAdvance(source + "   ")
        painter.setPen(pal.text().color())
        painter.drawText(
            QRect(x + src_w, y, max(0, w - src_w), fm_bold.lineSpacing()),
            Qt.AlignmentFlag.AlignRight,
            fm_bold.elidedText(
                labels.category_label(flag.category), Qt.TextElideMode.ElideRight, max(0, w - src_w)
            ),
        )
        y += fm_bold.lineSpacing() + 2
        fm_small = QFontMetrics(small)
        painter.setFont(small)
        painter.setPen(pal.placeholderText().color())
        who = flag.notifier or self.tr("anonymous")
        meta = f"{who} · {labels.format_time(flag.received_at)}"
        painter.drawText(
            QRect(x, y, w, fm_small.lineSpacing()),
            Qt.AlignmentFlag.AlignLeft,
            fm_small.elidedText(meta, Qt.TextElideMode.ElideMiddle, w),
        )
        y += fm_small.lineSpacing() + 4
        painter.setFont(base)
        painter.setPen(pal.text().color())
        text = flag.explanation or "—"
        expl = self._explanation_rect(option, w, text)
        painter.setClipRect(QRect(x, y, w, expl.height()))
        painter.drawText(QRect(x, y, w, 10_000), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, text)
        painter.restore()


class FlagsPanel(QWidget):
    """Shows the flags of one listing. No signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flagsPanel")
        self.model = FlagModel(self)
        self.list = QListView(self)
        self.list.setObjectName("flagsList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(FlagCardDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.list.setSpacing(0)
        self.summary = PlainLabel("", self)
        self.summary.setObjectName("mutedText")
        self.trusted = badge(self.tr("★ Trusted flagger"), "trustedBadge", self)
        self.authority = badge(self.tr("★ Authority order"), "authorityBadge", self)

        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(heading(self.tr("Flags"), self))
        head.addWidget(self.summary)
        head.addStretch(1)
        head.addWidget(self.authority)
        head.addWidget(self.trusted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)

    def show_flags(self, flags: list[FlagInfo]) -> None:
        self.model.set_rows(flags)
        sources = Counter(f.source for f in flags)
        self.trusted.setVisible(bool(sources[FlagSource.TRUSTED_FLAGGER]))
        self.authority.setVisible(bool(sources[FlagSource.AUTHORITY_ORDER]))
        n = len(flags)
        self.summary.setText(self.tr("1 flag") if n == 1 else self.tr("%1 flags").replace("%1", str(n)))
        self.list.scrollToTop()
