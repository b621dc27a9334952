"""A zoomable, pannable view of one image, laid out in the image's own pixel coordinates.

Whatever resolution was decoded, the scene is the image's native size, so prediction overlays (next
issue) go into :attr:`ImageCanvas.overlay` by image coordinates; a sensitive image can be blurred.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItemGroup,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

ZOOM_STEP = 1.25
MAX_ZOOM = 16.0
BLUR_FACTOR = 40


class ImageCanvas(QGraphicsView):
    """A zoomable, pannable view of one image in image-pixel scene coordinates.

    Signals:
        needsBox(QSize): the view now shows more device pixels than were decoded (a sharper decode helps).
        zoomChanged(float): shown size / image size (1.0 = one image pixel per logical screen pixel).
    """

    needsBox = Signal(QSize)
    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageCanvas")
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.pixmap_item = QGraphicsPixmapItem()
        self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self.pixmap_item)
        self.overlay = QGraphicsItemGroup()
        """Prediction overlays go here, in image pixel coordinates, above the image."""
        self.overlay.setZValue(10)
        self._scene.addItem(self.overlay)
        self.setRenderHints(QPainter.RenderHint.SmoothPixmapTransform | QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Panning is by drag and by keys; scroll bars would change the viewport (and the fit) as they come and go.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QColor("#2a2d31"))
        self._native = QSize()
        self._decoded = QSize()
        self._fit = True
        self._blurred = False
        self._sharp = QPixmap()

    # -- content ------------------------------------------------------------------------------------

    def set_image(self, pixmap: QPixmap, native: QSize, *, keep_view: bool = False) -> None:
        """Show ``pixmap`` (a decode of an image of ``native`` pixels) scaled to the native size."""
        self._sharp = pixmap
        self._decoded = pixmap.size()
        self._native = native if native.isValid() and not native.isEmpty() else pixmap.size()
        self._show_pixmap()
        self._scene.setSceneRect(QRectF(0, 0, self._native.width(), self._native.height()))
        if not keep_view or self._fit:
            self.fit()

    def clear(self) -> None:
        self._sharp = QPixmap()
        self.pixmap_item.setPixmap(QPixmap())
        for child in self.overlay.childItems():
            self.overlay.removeFromGroup(child)
            self._scene.removeItem(child)
        self._native = QSize()
        self._decoded = QSize()

    def has_image(self) -> bool:
        return not self._sharp.isNull()

    def decoded_size(self) -> QSize:
        return QSize(self._decoded)

    # -- view ---------------------------------------------------------------------------------------

    def fit(self) -> None:
        self._fit = True
        if self._native.isValid() and not self._native.isEmpty():
            self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomChanged.emit(self.zoom())

    def is_fit(self) -> bool:
        return self._fit

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        if not self.has_image():
            return
        current = self.zoom()
        fitted = self._fit_scale()
        target = max(min(fitted, 1.0) * 0.5, min(MAX_ZOOM, current * factor))
        if abs(target - current) < 1e-6:
            return
        self._fit = False
        old_anchor = self.transformationAnchor()
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(target / current, target / current)
        self.setTransformationAnchor(old_anchor)
        self.zoomChanged.emit(self.zoom())
        self._check_resolution()

    def pan(self, dx: int, dy: int) -> None:
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + dx)
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + dy)

    def set_blurred(self, blurred: bool) -> None:
        """Blur a sensitive image (adult content) until the reviewer chooses to look (B).

        The blurred picture is a tiny copy drawn large with smooth scaling: cheap, and nothing of the
        sharp image shows through.
        """
        if blurred == self._blurred:
            return
        self._blurred = blurred
        self._show_pixmap()

    def _show_pixmap(self) -> None:
        pixmap = self._sharp
        if self._blurred and not pixmap.isNull():
            side = max(8, max(pixmap.width(), pixmap.height()) // BLUR_FACTOR)
            pixmap = pixmap.scaled(
                side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self.pixmap_item.setPixmap(pixmap)
        sx = self._native.width() / max(1, pixmap.width())
        sy = self._native.height() / max(1, pixmap.height())
        self.pixmap_item.setTransform(QTransform.fromScale(sx, sy))

    def is_blurred(self) -> bool:
        return self._blurred

    def shown_box(self) -> QSize:
        """Device pixels the image occupies at the current zoom (what a decode should fit)."""
        dpr = self.devicePixelRatioF()
        z = self.zoom()
        return QSize(int(self._native.width() * z * dpr), int(self._native.height() * z * dpr))

    def _fit_scale(self) -> float:
        vp = self.viewport().size()
        if self._native.isEmpty():
            return 1.0
        return min(vp.width() / self._native.width(), vp.height() / self._native.height())

    def _check_resolution(self) -> None:
        if self._decoded.isEmpty() or self._decoded.width() >= self._native.width():
            return
        box = self.shown_box()
        if box.width() > self._decoded.width() * 1.15 or box.height() > self._decoded.height() * 1.15:
            vp = self.viewport().size() * self.devicePixelRatioF()
            # No need to decode more than the whole image, nor (much) more than the screen can show.
            want = QSize(min(box.width(), self._native.width()), min(box.height(), self._native.height()))
            self.needsBox.emit(want.expandedTo(vp).boundedTo(self._native))

    # -- events -------------------------------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position())
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()
