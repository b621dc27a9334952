"""The "Predictions" card of the review window: what the models and text rules say about the shown image.

A prediction helps the reviewer look; it never decides. So the card is worded as the domain words it
("The photo appears to show ..."), names no verdict, and always says which models spoke. Everything from
a listing or from OCR is shown as plain text (:class:`PlainLabel`), never as rich text.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QProgressBar, QVBoxLayout, QWidget

from moderator_app.domain.predictions.model import ImagePredictions, ImageState, ListingPredictions
from moderator_app.domain.predictions.text_rules import TextFinding, TextSource
from moderator_app.ui.widgets import PlainLabel, heading

MAX_BARS = 4
MAX_FINDINGS = 6


def where(finding: TextFinding) -> str:
    """Where a finding was made, in words a person reads."""
    loc = finding.location
    tr = QCoreApplication.translate
    if loc.source is TextSource.TITLE:
        return tr("PredictionsPanel", "title")
    if loc.source is TextSource.DESCRIPTION:
        return tr("PredictionsPanel", "description")
    if loc.image_position is not None:
        return tr("PredictionsPanel", "text in image %1").replace("%1", str(loc.image_position + 1))
    return tr("PredictionsPanel", "text in an image")


def finding_line(finding: TextFinding) -> str:
    return f"{finding.rule_title}: “{finding.matched_text}” ({where(finding)})"


class PredictionsPanel(QWidget):
    """Category bars, top labels, adult score, text findings and model versions for one image.

    No signals: the window's :class:`PredictionFeed` fills it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionsPanel")
        self._listing: ListingPredictions | None = None
        self._index = 0
        self.status = PlainLabel("", self)
        self.status.setObjectName("mutedText")
        self.status.setWordWrap(True)
        self.sentence = PlainLabel("", self, selectable=True)
        self.sentence.setObjectName("predictionSentence")
        self.sentence.setWordWrap(True)
        self.bars_box = QWidget(self)
        self.bars = QGridLayout(self.bars_box)
        self.bars.setContentsMargins(0, 0, 0, 0)
        self.bars.setHorizontalSpacing(8)
        self.bars.setVerticalSpacing(4)
        self.labels = PlainLabel("", self)
        self.labels.setWordWrap(True)
        self.adult = PlainLabel("", self)
        self.adult.setWordWrap(True)
        self.findings = PlainLabel("", self, selectable=True)
        self.findings.setObjectName("predictionFindings")
        self.findings.setWordWrap(True)
        self.models = PlainLabel("", self)
        self.models.setObjectName("mutedText")
        self.models.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(heading(self.tr("Predictions"), self))
        for w in (
            self.status,
            self.sentence,
            self.bars_box,
            self.labels,
            self.adult,
            self.findings,
            self.models,
        ):
            layout.addWidget(w)
        self.clear()

    # -- content ------------------------------------------------------------------------------------

    def clear(self) -> None:
        self.setMinimumHeight(0)
        self._listing = None
        self._set_status("")
        self._fill(None, None)

    def show_waiting(self, text: str) -> None:
        """Before the first result arrives: one calm line, the rest empty. The card keeps its height
        meanwhile, so the column does not jump for the millisecond a stored result takes."""
        self.setMinimumHeight(self.height() if self.isVisible() else 0)
        self._listing = None
        self._set_status(text)
        self._fill(None, None)

    def show_problem(self, text: str) -> None:
        """Predictions could not be had: one line for the person."""
        self.clear()
        self._set_status(text)

    def show_listing(self, listing: ListingPredictions, index: int) -> None:
        self.setMinimumHeight(0)
        self._listing = listing
        self.show_image(index)

    def show_image(self, index: int) -> None:
        """Show the predictions of the listing's image at ``index`` (the one in the large view)."""
        self._index = index
        listing = self._listing
        if listing is None:
            return
        image = next((i for i in listing.images if i.position == index), None)
        if image is None and 0 <= index < len(listing.images):
            image = listing.images[index]
        self._set_status(self._status_of(listing, image))
        self._fill(listing, image)

    def listing(self) -> ListingPredictions | None:
        return self._listing

    def text(self) -> str:
        """Everything the panel shows, as one string (what a person reads; used by tests and checks)."""
        parts = [w.text() for w in self.findChildren(PlainLabel) if w.isVisibleTo(self) and w.text()]
        parts += [b.format() for b in self.findChildren(QProgressBar) if b.isVisibleTo(self)]
        return "\n".join(parts)

    # -- helpers ------------------------------------------------------------------------------------

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _status_of(self, listing: ListingPredictions, image: ImagePredictions | None) -> str:
        lines = list(listing.problems)
        if image is None:
            if not listing.images:
                lines.append(self.tr("This listing has no images to score."))
        elif image.state is ImageState.PENDING:
            lines.append(self.tr("This image has not been scored yet."))
        elif image.state is ImageState.PARTLY:
            lines.append(self.tr("Text in the image is still being read."))
        elif image.state in (ImageState.UNREADABLE, ImageState.FAILED):
            lines.append(image.problem or self.tr("This image could not be scored."))
        return "\n".join(lines)

    def _fill(self, listing: ListingPredictions | None, image: ImagePredictions | None) -> None:
        while self.bars.count():
            item = self.bars.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        product = image.product if image is not None else None
        self.sentence.setText(product.sentence if product is not None else "")
        shown = product.result.shown()[:MAX_BARS] if product is not None else []
        for row, cat in enumerate(shown):
            name = PlainLabel(cat.phrase, self.bars_box)
            bar = QProgressBar(self.bars_box)
            bar.setObjectName("categoryBar")
            bar.setRange(0, 100)
            bar.setValue(round(cat.score * 100))
            bar.setFormat(f"{cat.score:.0%}")
            bar.setTextVisible(True)
            bar.setFixedHeight(max(12, self.fontMetrics().height()))
            bar.setAccessibleName(f"{cat.phrase}: {cat.score:.0%}")
            self.bars.addWidget(name, row, 0)
            self.bars.addWidget(bar, row, 1)
        self.bars.setColumnStretch(1, 1)
        self.bars_box.setVisible(bool(shown))
        if product is not None and product.result.top_labels:
            top = ", ".join(f"{t.label} {t.score:.0%}" for t in product.result.top_labels[:3])
            self.labels.setText(self.tr("Top labels: %1").replace("%1", top))
        else:
            self.labels.setText("")
        adult = image.adult if image is not None else None
        self.adult.setText(adult.result.phrase if adult is not None else "")
        findings: list[TextFinding] = []
        if listing is not None:
            findings = list(listing.text_findings) + (list(image.findings) if image is not None else [])
        if findings:
            lines = [finding_line(f) for f in findings[:MAX_FINDINGS]]
            if len(findings) > MAX_FINDINGS:
                lines.append(self.tr("… and %1 more").replace("%1", str(len(findings) - MAX_FINDINGS)))
            listed = "\n".join(f"• {line}" for line in lines)
            self.findings.setText(self.tr("Text findings:") + "\n" + listed)
        else:
            self.findings.setText("")
        versions = listing.model_versions if listing is not None else ""
        self.models.setText(self.tr("Models: %1").replace("%1", versions) if versions else "")
        for label in (self.sentence, self.labels, self.adult, self.findings, self.models):
            label.setVisible(bool(label.text()))
        self.sentence.setAlignment(Qt.AlignmentFlag.AlignLeft)
