"""The status bar: where the reviewer is in the queue, how many they reviewed, at what rate."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStatusBar

from moderator_app.ui.review.session import SessionStats
from moderator_app.ui.widgets import PlainLabel


class StatusLine:
    """Labels in the window's status bar. No signals."""

    def __init__(self, bar: QStatusBar, reviewer: str, database: str) -> None:
        self.position = PlainLabel("")
        self.reviewed = PlainLabel("")
        self.rate = PlainLabel("")
        self.who = PlainLabel(
            QCoreApplication.translate("StatusLine", "Reviewer: %1").replace("%1", reviewer)
        )
        self.database = PlainLabel(database)
        for label in (self.position, self.reviewed, self.rate):
            bar.addWidget(label)
        bar.addPermanentWidget(self.who)
        bar.addPermanentWidget(self.database)
        bar.setSizeGripEnabled(True)

    def update_stats(self, stats: SessionStats) -> None:
        if stats.total:
            self.position.setText(
                QCoreApplication.translate("StatusLine", "Item %1 of %2")
                .replace("%1", str(max(stats.position, 0)))
                .replace("%2", str(stats.total))
            )
        else:
            self.position.setText(QCoreApplication.translate("StatusLine", "No items"))
        self.reviewed.setText(
            QCoreApplication.translate("StatusLine", "Reviewed this session: %1").replace(
                "%1", str(stats.reviewed)
            )
        )
        if stats.per_hour is None:
            self.rate.setText(QCoreApplication.translate("StatusLine", "Rate: —"))
        else:
            self.rate.setText(
                QCoreApplication.translate("StatusLine", "Rate: %1 per hour").replace(
                    "%1", f"{stats.per_hour:.0f}"
                )
            )
