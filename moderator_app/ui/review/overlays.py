"""Boxes drawn over the image: text read by OCR (thin, muted) and text findings (clear, in the accent colour).

Boxes come in full-size image pixels, which is the canvas's scene coordinates whatever resolution was
decoded, so they stay on their text at any zoom. The pens are cosmetic (one screen pixel wide at any zoom).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPolygonItem

from moderator_app.domain.predictions.model import ImagePredictions
from moderator_app.domain.predictions.ocr import Box
from moderator_app.ui.review.image_canvas import ImageCanvas

OCR_COLOR = QColor(120, 170, 230, 200)
FINDING_COLOR = QColor(245, 166, 35, 235)


def clear_overlays(canvas: ImageCanvas) -> None:
    scene = canvas.scene()
    for child in canvas.overlay.childItems():
        canvas.overlay.removeFromGroup(child)
        scene.removeItem(child)


def _polygon(box: Box) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in box])


def _item(box: Box, color: QColor, width: float) -> QGraphicsPolygonItem:
    item = QGraphicsPolygonItem(_polygon(box))
    pen = QPen(color, width)
    pen.setCosmetic(True)
    item.setPen(pen)
    fill = QColor(color)
    fill.setAlpha(40)
    item.setBrush(fill)
    return item


def draw_overlays(canvas: ImageCanvas, image: ImagePredictions | None) -> int:
    """Replace the canvas overlays with the OCR and finding boxes of ``image``; returns how many were drawn."""
    clear_overlays(canvas)
    if image is None or not canvas.has_image():
        return 0
    drawn = 0
    if image.ocr is not None:
        for line in image.ocr.lines:
            canvas.overlay.addToGroup(_item(line.box, OCR_COLOR, 1.0))
            drawn += 1
    for finding in image.findings:
        if finding.location.box is not None:
            canvas.overlay.addToGroup(_item(finding.location.box, FINDING_COLOR, 2.5))
            drawn += 1
    canvas.overlay.setVisible(True)
    return drawn


def overlay_count(canvas: ImageCanvas) -> int:
    return len(canvas.overlay.childItems())
