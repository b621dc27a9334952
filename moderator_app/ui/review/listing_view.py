"""The claimed listing: title, facts, description, with off-platform contacts highlighted.

A listing's text is untrusted: it is shown only in plain-text widgets (ReadOnlyText, PlainLabel), so a
title like ``<b>bold</b><img src=x>`` shows exactly those characters.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from moderator_app.domain.enums import ListingStatus
from moderator_app.domain.imports.import_parsing import MAX_DESCRIPTION, MAX_TITLE
from moderator_app.domain.review.contact_patterns import ContactKind, ContactMatch, find_contacts
from moderator_app.domain.review.model import ListingInfo
from moderator_app.domain.text_safety import has_bidi_controls
from moderator_app.ui import labels
from moderator_app.ui.review.highlight import BlockContacts, ContactHighlighter, contacts_by_block
from moderator_app.ui.tasks import Executor, TaskManager
from moderator_app.ui.widgets import PlainLabel, ReadOnlyText, badge, fit_lines, heading


class ListingView(QWidget):
    """Shows one :class:`ListingInfo`. No signals.

    With a :class:`TaskManager`, contact details are found on a worker (a long hostile text must not
    freeze the window) and marked when the finds come back; without one (tests, screenshots), at once.
    """

    def __init__(self, parent: QWidget | None = None, *, tasks: TaskManager | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.setObjectName("listingView")
        self.title = ReadOnlyText(self)
        self.title.setObjectName("listingTitle")
        self.title.setFrameShape(ReadOnlyText.Shape.NoFrame)
        self.title.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.title.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.title.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        tf = self.title.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.45)
        tf.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(tf)
        self.title.document().setDocumentMargin(0)
        self.title_highlighter = ContactHighlighter(self.title.document(), deferred=tasks is not None)

        self.external_id = PlainLabel("", self, selectable=True)
        self.external_id.setObjectName("mutedText")
        self.status = badge("", "statusBadge", self)
        self.contacts = badge("", "contactsBadge", self)
        self.contacts.hide()
        # Bidi overrides can make a title read differently from what it is ("txt.exe" as "exe.txt").
        self.bidi = badge(self.tr("Title has hidden text-direction controls"), "bidiBadge", self)
        self.bidi.setProperty("level", "warn")
        self.bidi.setToolTip(self.tr("The text may read differently from the characters it holds."))
        self.bidi.hide()

        self.price = PlainLabel("", self, selectable=True)
        pf = self.price.font()
        pf.setPointSizeF(pf.pointSizeF() * 1.2)
        pf.setWeight(QFont.Weight.DemiBold)
        self.price.setFont(pf)
        self.category = PlainLabel("", self, selectable=True)
        self.url = PlainLabel("", self, selectable=True)
        self.url.setWordWrap(True)
        self.ean = PlainLabel("", self, selectable=True)
        self.created = PlainLabel("", self, selectable=True)

        self.description = ReadOnlyText()
        self.description.setObjectName("listingDescription")
        self.description.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.description.setMinimumHeight(90)
        self.description.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.description_highlighter = ContactHighlighter(
            self.description.document(), deferred=tasks is not None
        )

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.external_id)
        top.addWidget(self.status)
        top.addWidget(self.contacts)
        top.addWidget(self.bidi)
        top.addStretch(1)
        top.addWidget(self.price)

        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(3)
        for row, col, caption, widget in (
            (0, 0, self.tr("Category"), self.category),
            (0, 2, self.tr("EAN"), self.ean),
            (1, 0, self.tr("Online since"), self.created),
            (2, 0, self.tr("URL"), self.url),
        ):
            cap = PlainLabel(caption, self)
            cap.setObjectName("fieldCaption")
            facts.addWidget(cap, row, col)
            facts.addWidget(widget, row, col + 1, 1, 3 if row == 2 else 1)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addLayout(facts)

        # The description is placed by the window (beside the images), but belongs to the listing.
        self.description_panel = QWidget()
        dl = QVBoxLayout(self.description_panel)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.setSpacing(4)
        dl.addWidget(heading(self.tr("Description"), self.description_panel))
        dl.addWidget(self.description, 1)
        self.description.setParent(self.description_panel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._listing: ListingInfo | None = None

    # -- content ------------------------------------------------------------------------------------

    def show_listing(self, listing: ListingInfo) -> None:
        self._listing = listing
        # Rows imported before the import format had limits may be huge: laying out a 1 MB title
        # took 90 s on the GUI thread. Show at most what an import accepts today.
        title = _capped(listing.title, MAX_TITLE)
        description = _capped(listing.description or "", MAX_DESCRIPTION)
        self.title.set_text(title)
        self.external_id.setText(listing.external_id)
        self.status.setText(_status_text(listing.status))
        self.status.setProperty("level", "ok" if listing.status is ListingStatus.LIVE else "warn")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.price.setText(listing.price_text or self.tr("no price"))
        self.category.setText(listing.category)
        self.url.setText(listing.url or "—")
        self.ean.setText(listing.ean or "—")
        self.created.setText(labels.format_time(listing.created_at))
        self.title_highlighter.set_contacts({})
        self.description_highlighter.set_contacts({})
        self.description.set_text(description)
        if self._tasks is None:
            self._show_contacts(find_contacts(title) + find_contacts(description))
        else:
            self.contacts.hide()
            self._tasks.run(
                Executor.IMAGE,
                lambda: (contacts_by_block(title), contacts_by_block(description)),
                lambda found, shown=listing: self._contacts_found(shown, found),
                group="listing-contacts",
                latest_wins=True,
            )
        self.bidi.setVisible(has_bidi_controls(listing.title))
        fit_lines(self.title, 1, 3)

    def clear(self) -> None:
        self._listing = None
        for w in (self.external_id, self.status, self.price, self.category, self.url, self.ean, self.created):
            w.setText("")
        self.title.set_text("")
        self.description.set_text("")
        self.contacts.hide()
        self.bidi.hide()

    def title_text(self) -> str:
        return self.title.toPlainText()

    def set_dark(self, dark: bool) -> None:
        self.title_highlighter.set_dark(dark)
        self.description_highlighter.set_dark(dark)

    def _contacts_found(self, listing: ListingInfo, found: tuple[BlockContacts, BlockContacts]) -> None:
        """GUI thread: the worker's finds for ``listing``, if it is still the one shown."""
        if self._listing is not listing:
            return
        title, description = found
        self.title_highlighter.set_contacts(title)
        self.description_highlighter.set_contacts(description)
        self._show_contacts([m for blocks in found for matches in blocks.values() for m in matches])

    def _show_contacts(self, found: list[ContactMatch]) -> None:
        if not found:
            self.contacts.hide()
            return
        kinds = Counter(m.kind for m in found)
        names = {
            ContactKind.URL: self.tr("link"),
            ContactKind.EMAIL: self.tr("e-mail"),
            ContactKind.PHONE: self.tr("phone"),
            ContactKind.MESSENGER: self.tr("messenger"),
        }
        parts = [f"{n}× {names[k]}" if n > 1 else names[k] for k, n in kinds.items()]
        self.contacts.setText(self.tr("Contact details in text: %1").replace("%1", ", ".join(parts)))
        self.contacts.show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._listing is not None:
            fit_lines(self.title, 1, 3)


def _capped(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    more = QCoreApplication.translate("ListingView", "… (%1 more characters not shown)")
    return text[:limit] + more.replace("%1", f"{len(text) - limit:,}")


def _status_text(status: ListingStatus) -> str:
    return {
        ListingStatus.LIVE: QCoreApplication.translate("ListingView", "Live"),
        ListingStatus.REMOVED: QCoreApplication.translate("ListingView", "Removed"),
        ListingStatus.RESTRICTED: QCoreApplication.translate("ListingView", "Restricted"),
    }[status]
