"""The images of a listing: a large view (fit, zoom, pan) and a strip of thumbnails.

Pixels come decoded from workers (:class:`ImageLoader`) at the size they are shown; this module only turns
QImages into QPixmaps, on the GUI thread. The scene is laid out in the image's own pixel coordinates,
whatever resolution was decoded, so prediction overlays (next issue) can be placed in
:attr:`ImageCanvas.overlay` by image coordinates, and a sensitive image can be blurred.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.review.model import ImageInfo
from moderator_app.ui.models import ROW_ROLE, ThumbModel
from moderator_app.ui.review.image_canvas import ImageCanvas
from moderator_app.ui.review.image_decode import Decoded
from moderator_app.ui.review.images import ImageLoader, quantize
from moderator_app.ui.widgets import PlainLabel

THUMB = 56


class ImagePane(QWidget):
    """The large view, a caption and the thumbnail strip.

    Signals:
        imageShown(int): the current image (by id) is on screen, decoded or as a placeholder; -1 when the
            listing has no images.
    """

    imageShown = Signal(int)

    PAGE_IMAGE, PAGE_PLACEHOLDER, PAGE_LOADING, PAGE_NONE = range(4)

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._images: list[ImageInfo] = []
        self._index = -1
        self._blur_by_default = False
        self.canvas = ImageCanvas(self)
        self.canvas.needsBox.connect(self._sharper)
        self.canvas.zoomChanged.connect(self._update_caption)

        self.placeholder_title = PlainLabel(self.tr("This image cannot be shown"), self)
        self.placeholder_title.setObjectName("placeholderTitle")
        self.placeholder_reason = PlainLabel("", self)
        self.placeholder_reason.setObjectName("placeholderReason")
        self.placeholder_reason.setWordWrap(True)
        self.loading = PlainLabel(self.tr("Loading image…"), self)
        self.no_images = PlainLabel(self.tr("This listing has no images"), self)
        for label in (self.placeholder_title, self.placeholder_reason, self.loading, self.no_images):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder = QFrame(self)
        placeholder.setObjectName("imagePlaceholder")
        pl = QVBoxLayout(placeholder)
        pl.addStretch(1)
        icon = PlainLabel("⚠", placeholder)
        icon.setObjectName("placeholderIcon")
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pl.addWidget(icon)
        pl.addWidget(self.placeholder_title)
        pl.addWidget(self.placeholder_reason)
        pl.addStretch(1)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("imageStack")
        self.stack.addWidget(self.canvas)
        self.stack.addWidget(placeholder)
        self.stack.addWidget(_centered(self.loading, "imageLoading"))
        self.stack.addWidget(_centered(self.no_images, "imageNone"))

        self.caption = PlainLabel("", self)
        self.caption.setObjectName("mutedText")
        self.zoom_label = PlainLabel("", self)
        self.zoom_label.setObjectName("mutedText")

        self.thumbs_model = ThumbModel(self, thumb=QSize(THUMB, THUMB))
        self.thumbs = QListView(self)
        self.thumbs.setObjectName("thumbStrip")
        self.thumbs.setModel(self.thumbs_model)
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setIconSize(QSize(THUMB, THUMB))
        self.thumbs.setSpacing(3)
        self.thumbs.setUniformItemSizes(True)
        self.thumbs.setItemDelegate(ThumbDelegate(self.thumbs))
        self.thumbs.setFixedHeight(THUMB + 22)
        self.thumbs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.thumbs.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.thumbs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.thumbs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.thumbs.clicked.connect(lambda idx: self.show_index(idx.row()))

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.caption)
        head.addStretch(1)
        head.addWidget(self.zoom_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.thumbs)
        loader.decoded.connect(self._decoded)

    # -- content ------------------------------------------------------------------------------------

    def set_images(self, images: list[ImageInfo], *, blurred: bool = False) -> None:
        self._loader.cancel_group("view")
        self._loader.cancel_group("thumbs")
        self._images = list(images)
        self._blur_by_default = blurred
        self.thumbs_model.set_images(self._images)
        self.canvas.clear()
        self._index = -1
        self.thumbs.setVisible(len(self._images) > 1)
        if not self._images:
            self.stack.setCurrentIndex(self.PAGE_NONE)
            self.caption.setText(self.tr("No images"))
            self.zoom_label.setText("")
            self.imageShown.emit(-1)
            return
        self.show_index(0)
        box = self.thumb_box()
        for info in self._images:
            hit = self._loader.request(info, box, group="thumbs")
            if hit is not None:
                self._thumb_ready(hit)

    def show_index(self, index: int) -> None:
        if not self._images or not (0 <= index < len(self._images)):
            return
        self._index = index
        info = self._images[index]
        self.thumbs.setCurrentIndex(self.thumbs_model.index(index, 0))
        self.thumbs.scrollTo(self.thumbs_model.index(index, 0))
        hit = self._loader.request(info, self.view_box(), group="view", latest_wins=True, priority=2)
        if hit is not None:
            self._display(hit)
            return
        blurry = self._loader.best_available(info.id)
        if blurry is not None and blurry.ok:
            self._display(blurry, final=False)
        else:
            self.canvas.clear()
            self.stack.setCurrentIndex(self.PAGE_LOADING)
        self._update_caption()

    def next_image(self) -> None:
        if self._images:
            self.show_index((self._index + 1) % len(self._images))

    def previous_image(self) -> None:
        if self._images:
            self.show_index((self._index - 1) % len(self._images))

    def current_index(self) -> int:
        return self._index

    def current_image(self) -> ImageInfo | None:
        return self._images[self._index] if 0 <= self._index < len(self._images) else None

    def view_box(self) -> tuple[int, int]:
        """Device pixels of the large view: the size to decode the shown image at."""
        size = self.stack.size()
        if size.width() < 200 or size.height() < 150:
            size = QSize(900, 600)
        dpr = self.devicePixelRatioF()
        return int(size.width() * dpr), int(size.height() * dpr)

    def thumb_box(self) -> tuple[int, int]:
        side = int(THUMB * self.devicePixelRatioF())
        return side, side

    def set_blur_by_default(self, blurred: bool) -> None:
        """Blur this listing's images from now on (the adult-content model's verdict arrives after them)."""
        if blurred and not self._blur_by_default:
            self._blur_by_default = True
            if self.stack.currentIndex() == self.PAGE_IMAGE:
                self.canvas.set_blurred(True)
            self._update_caption()

    def toggle_blur(self) -> None:
        self.canvas.set_blurred(not self.canvas.is_blurred())
        self._update_caption()

    def showing_placeholder(self) -> bool:
        return self.stack.currentIndex() == self.PAGE_PLACEHOLDER

    # -- decoded pixels -----------------------------------------------------------------------------

    def _display(self, d: Decoded, *, final: bool = True, keep_view: bool = False) -> None:
        info = self.current_image()
        if info is None or d.image_id != info.id:
            return
        if d.image is None:
            self.canvas.clear()
            self.placeholder_reason.setText(d.problem or "")
            self.stack.setCurrentIndex(self.PAGE_PLACEHOLDER)
        else:
            native = QSize(*d.native) if d.native else d.image.size()
            self.canvas.set_image(QPixmap.fromImage(d.image), native, keep_view=keep_view)
            self.canvas.set_blurred(self._blur_by_default)
            self.stack.setCurrentIndex(self.PAGE_IMAGE)
        self._update_caption()
        if final:
            self.imageShown.emit(info.id)

    def _decoded(self, d: Decoded) -> None:
        info = self.current_image()
        if info is not None and d.image_id == info.id:
            sharper = self.canvas.has_image() and d.image is not None
            if sharper and self.canvas.decoded_size().width() >= d.image.width():
                pass  # an older, smaller decode arriving late: keep what is shown
            else:
                self._display(d, keep_view=sharper)
        if d.box == quantize(self.thumb_box()) and any(i.id == d.image_id for i in self._images):
            self._thumb_ready(d)

    def _thumb_ready(self, d: Decoded) -> None:
        if d.image is None:
            self.thumbs_model.set_pixmap(d.image_id, None, d.problem or "unreadable")
            return
        pix = QPixmap.fromImage(d.image)
        side = max(self.thumb_box())
        if pix.width() > side or pix.height() > side:
            pix = pix.scaled(
                side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        pix.setDevicePixelRatio(self.devicePixelRatioF())
        self.thumbs_model.set_pixmap(d.image_id, pix)

    def _sharper(self, box: QSize) -> None:
        info = self.current_image()
        if info is not None:
            hit = self._loader.request(
                info, (box.width(), box.height()), group="zoom", latest_wins=True, priority=2
            )
            if (
                hit is not None
                and hit.image is not None
                and hit.image.width() > self.canvas.decoded_size().width()
            ):
                self._display(hit, keep_view=True)

    def _update_caption(self, *_: object) -> None:
        info = self.current_image()
        if info is None:
            return
        parts = [
            QCoreApplication.translate("ImagePane", "Image %1 of %2")
            .replace("%1", str(self._index + 1))
            .replace("%2", str(len(self._images)))
        ]
        if info.width and info.height:
            parts.append(f"{info.width}×{info.height}")
        if info.format:
            parts.append(info.format)
        self.caption.setText("  ·  ".join(parts))
        if self.stack.currentIndex() == self.PAGE_IMAGE:
            fit = self.tr("fit") if self.canvas.is_fit() else ""
            text = f"{round(self.canvas.zoom() * 100)} %  {fit}".strip()
            if self.canvas.is_blurred():
                text = self.tr("blurred: B to show") + "   " + text
            self.zoom_label.setText(text)
        else:
            self.zoom_label.setText("")


class ThumbDelegate(QStyledItemDelegate):
    """A thumbnail with a clear frame on the current one and a warning mark on an unreadable one."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(THUMB + 8, THUMB + 8)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(2, 2, -2, -2)  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        palette = option.palette  # type: ignore[attr-defined]
        painter.setPen(QPen(palette.highlight().color(), 3) if selected else QPen(palette.mid().color(), 1))
        painter.setBrush(palette.alternateBase())
        painter.drawRoundedRect(QRectF(rect), 5, 5)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        info = index.data(ROW_ROLE)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            size = pixmap.deviceIndependentSize().scaled(
                rect.adjusted(4, 4, -4, -4).size().toSizeF(), Qt.AspectRatioMode.KeepAspectRatio
            )
            x = rect.x() + (rect.width() - size.width()) / 2
            y = rect.y() + (rect.height() - size.height()) / 2
            painter.drawPixmap(QRectF(x, y, size.width(), size.height()).toRect(), pixmap)
        elif info is not None and (not info.readable or "unreadable" in str(index.data())):
            painter.setPen(QColor("#c62828"))
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "⚠")
        painter.restore()


def _centered(label: PlainLabel, name: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    lay = QVBoxLayout(frame)
    lay.addStretch(1)
    lay.addWidget(label)
    lay.addStretch(1)
    return frame
