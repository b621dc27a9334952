"""The trader behind the listing: who they are, their Art 30 data, their record and last decisions.

A repeat offender is shown with a loud badge at the top, so it is seen before anything else.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.enums import TraderKind, TraderStatus
from moderator_app.domain.review.model import TraderDetail
from moderator_app.domain.text_safety import has_bidi_controls
from moderator_app.ui import labels
from moderator_app.ui.models import DecisionModel
from moderator_app.ui.widgets import PlainLabel, badge, heading

MISSING = "—"


class TraderPanel(QWidget):
    """Shows one :class:`TraderDetail`. No signals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("traderPanel")
        self.name = PlainLabel("", self, selectable=True)
        self.name.setObjectName("traderName")
        self.name.setWordWrap(True)
        self.ident = PlainLabel("", self, selectable=True)
        self.ident.setObjectName("mutedText")
        self.repeat_badge = badge(self.tr("REPEAT OFFENDER"), "repeatOffenderBadge", self)
        self.status_badge = badge("", "traderStatusBadge", self)
        self.kind_badge = badge("", "kindBadge", self)
        self.bidi_badge = badge(self.tr("Name has hidden text-direction controls"), "bidiBadge", self)
        self.bidi_badge.setProperty("level", "warn")
        self.bidi_badge.setToolTip(self.tr("The name may read differently from the characters it holds."))
        self.bidi_badge.hide()

        # The record: three big numbers.
        self.v90 = _Counter(self.tr("violations\n90 days"), self)
        self.vall = _Counter(self.tr("violations\nall time"), self)
        self.warn = _Counter(self.tr("warnings"), self)
        self.last_violation = PlainLabel("", self)
        self.last_violation.setObjectName("mutedText")

        self.art30_caption = heading(self.tr("Traceability (Art 30 DSA)"), self)
        self.art30_missing = badge("", "missingBadge", self)
        self.fields: dict[str, PlainLabel] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(3)
        for key, caption in (
            ("legal name", self.tr("Legal name")),
            ("address", self.tr("Address")),
            ("e-mail", self.tr("E-mail")),
            ("phone", self.tr("Phone")),
            ("trade register number", self.tr("Trade register")),
            ("country", self.tr("Country")),
        ):
            value = PlainLabel("", self, selectable=True)
            value.setWordWrap(True)
            self.fields[key] = value
            cap = PlainLabel(caption, self)
            cap.setObjectName("fieldCaption")
            form.addRow(cap, value)

        self.decisions_model = DecisionModel(self)
        self.decisions = QTableView(self)
        self.decisions.setObjectName("traderDecisions")
        self.decisions.setModel(self.decisions_model)
        _compact_table(self.decisions)
        self.decisions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.decisions.horizontalHeader().setSectionResizeMode(
            DecisionModel.CATEGORY, QHeaderView.ResizeMode.Stretch
        )
        self.no_decisions = PlainLabel(self.tr("No earlier decisions on this trader."), self)
        self.no_decisions.setObjectName("mutedText")

        badges = QHBoxLayout()
        badges.setSpacing(6)
        badges.addWidget(self.kind_badge)
        badges.addWidget(self.status_badge)
        badges.addWidget(self.bidi_badge)
        badges.addStretch(1)
        counters = QGridLayout()
        counters.setHorizontalSpacing(8)
        counters.addWidget(self.v90, 0, 0)
        counters.addWidget(self.vall, 0, 1)
        counters.addWidget(self.warn, 0, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Trader"), self))
        top.addStretch(1)
        top.addWidget(self.repeat_badge)
        layout.addLayout(top)
        layout.addWidget(self.name)
        badges.insertWidget(0, self.ident)
        badges.insertSpacing(1, 6)
        layout.addLayout(badges)
        layout.addSpacing(4)
        layout.addLayout(counters)
        layout.addWidget(self.last_violation)
        layout.addSpacing(6)
        art = QHBoxLayout()
        art.addWidget(self.art30_caption)
        art.addStretch(1)
        art.addWidget(self.art30_missing)
        layout.addLayout(art)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(heading(self.tr("Last decisions"), self))
        layout.addWidget(self.decisions)
        layout.addWidget(self.no_decisions)
        self._detail: TraderDetail | None = None

    def show_trader(self, detail: TraderDetail) -> None:
        self._detail = detail
        t, c = detail.trader, detail.counters
        self.name.setText(t.display_name)
        self.bidi_badge.setVisible(has_bidi_controls(t.display_name))
        country = f" · {t.country}" if t.country else ""
        listings = QCoreApplication.translate("TraderPanel", "%n listing(s)").replace(
            "%n", labels.format_count(detail.listings_total)
        )
        self.ident.setText(f"{t.external_id}{country} · {listings}")
        self.kind_badge.setText(labels.trader_kind_label(t.kind))
        self.status_badge.setText(labels.trader_status_label(c.status))
        level = {
            TraderStatus.ACTIVE: "ok",
            TraderStatus.WARNED: "warn",
            TraderStatus.SUSPENDED: "bad",
            TraderStatus.TERMINATED: "bad",
        }[c.status]
        _set_level(self.status_badge, level)
        self.repeat_badge.setVisible(c.repeat_offender)
        self.v90.set_value(
            c.violations_90d, "bad" if c.violations_90d >= 2 else ("warn" if c.violations_90d else "ok")
        )
        self.vall.set_value(
            c.violations_total, "bad" if c.violations_total >= 3 else ("warn" if c.violations_total else "ok")
        )
        self.warn.set_value(c.warnings, "warn" if c.warnings else "ok")
        self.last_violation.setText(
            QCoreApplication.translate("TraderPanel", "Last violation %1").replace(
                "%1", labels.format_time(c.last_violation_at)
            )
            if c.last_violation_at
            else QCoreApplication.translate("TraderPanel", "No violation on record")
        )
        missing = t.missing_traceability()
        values = {
            "legal name": t.legal_name,
            "address": t.address,
            "e-mail": t.email,
            "phone": t.phone,
            "trade register number": t.trade_register_number,
            "country": t.country,
        }
        for key, label in self.fields.items():
            value = (values[key] or "").strip()
            if key in missing:
                label.setText(QCoreApplication.translate("TraderPanel", "missing"))
                _set_level(label, "missingField")
            else:
                label.setText(value or MISSING)  # a private seller owes none of these
                _set_level(label, "")
        if t.kind is TraderKind.PRIVATE:
            self.art30_missing.setText(QCoreApplication.translate("TraderPanel", "private seller"))
            _set_level(self.art30_missing, "neutral")
            self.art30_missing.show()
        elif missing:
            self.art30_missing.setText(
                QCoreApplication.translate("TraderPanel", "%1 missing").replace("%1", str(len(missing)))
            )
            _set_level(self.art30_missing, "bad")
            self.art30_missing.show()
        else:
            self.art30_missing.setText(QCoreApplication.translate("TraderPanel", "complete"))
            _set_level(self.art30_missing, "ok")
            self.art30_missing.show()
        self.decisions_model.set_rows(detail.recent_decisions)
        self.decisions.setVisible(bool(detail.recent_decisions))
        rows = min(max(len(detail.recent_decisions), 1), 5)
        self.decisions.setFixedHeight(
            self.decisions.horizontalHeader().sizeHint().height()
            + rows * self.decisions.verticalHeader().defaultSectionSize()
            + 4
        )
        self.no_decisions.setVisible(not detail.recent_decisions)

    def clear(self) -> None:
        self._detail = None
        self.name.setText("")
        self.ident.setText("")
        self.repeat_badge.hide()
        self.bidi_badge.hide()
        self.decisions_model.set_rows([])

    def is_repeat_offender_shown(self) -> bool:
        return self.repeat_badge.isVisibleTo(self)


class _Counter(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterTile")
        self.value = PlainLabel("0", self)
        self.value.setObjectName("counterValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = PlainLabel(caption, self)
        self.caption.setObjectName("counterCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(0)
        lay.addWidget(self.value)
        lay.addWidget(self.caption)

    def set_value(self, n: int, level: str) -> None:
        self.value.setText(str(n))
        _set_level(self, level)
        _set_level(self.value, level)


def _set_level(widget: QWidget, level: str) -> None:
    if widget.property("level") == level:
        return
    widget.setProperty("level", level)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _compact_table(view: QTableView) -> None:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
