"""Text in images with rapidocr 3.x (its wheel carries the PP-OCR models; it needs opencv-python-headless).

OCR takes about a second an image on two cores, so it runs only in background scoring and in
``moderator-app predict``. The engine is made once, on first use, and reused. Its provenance is the
rapidocr version and the SHA-256 of its model files. When rapidocr is not installed or cannot start,
:attr:`OcrEngine.problem` says so and OCR is simply off.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from moderator_app.domain.predictions.model import ModelKind, ModelRef
from moderator_app.domain.predictions.ocr import Box, OcrLine

TEXT_SCORE = 0.5
DET_LIMIT_SIDE = 960
"""rapidocr scales the picture so its longer side is at most this for text detection. Its default
(shorter side at least 736) enlarges small pictures and made a 700x200 label take 3 s instead of 0.3 s."""


class OcrEngine:
    def __init__(self, *, threads: int | None = None, text_score: float = TEXT_SCORE) -> None:
        self._threads = threads
        self.text_score = text_score
        self._engine: Any = None
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()
        self.runs = 0
        self.problem: str | None = None
        self.ref: ModelRef | None = None
        try:
            import rapidocr

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)  # it logs every step at INFO
            models = Path(rapidocr.__file__).parent / "models"
            version = importlib.metadata.version("rapidocr")
            self.ref = ModelRef(ModelKind.OCR.value, version, _files_sha256(sorted(models.glob("*.onnx"))))
        except Exception as exc:  # an import failure of any kind means: no OCR, said once
            self.problem = f"text recognition (OCR) is off: rapidocr cannot be loaded ({exc})"

    @property
    def available(self) -> bool:
        return self.problem is None

    def _get(self) -> Any:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    from rapidocr import RapidOCR

                    params: dict[str, Any] = {
                        "Global.log_level": "error",
                        "Global.text_score": self.text_score,
                        "Det.limit_type": "max",
                        "Det.limit_side_len": DET_LIMIT_SIDE,
                    }
                    if self._threads:
                        params["EngineConfig.onnxruntime.intra_op_num_threads"] = self._threads
                        params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
                    self._engine = RapidOCR(params=params)
                    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        return self._engine

    def read(self, bgr: np.ndarray, scale: float = 1.0) -> tuple[OcrLine, ...]:
        """Text lines of a BGR picture, boxes multiplied by ``scale`` (to full-size pixels), in reading order."""
        if self.problem is not None:
            raise RuntimeError(self.problem)
        engine = self._get()
        with self._run_lock:  # one picture at a time: rapidocr keeps per-call state
            result = engine(bgr)
            self.runs += 1
        if result.boxes is None or result.txts is None or result.scores is None:
            return ()
        words = [
            OcrLine(str(t).strip(), float(s), _box(b, scale))
            for b, t, s in zip(result.boxes, result.txts, result.scores, strict=True)
            if str(t).strip()
        ]
        return tuple(merge_into_lines(words))


def _box(points: Any, scale: float) -> Box:
    p = [(round(float(x) * scale, 1), round(float(y) * scale, 1)) for x, y in points]
    return (p[0], p[1], p[2], p[3])


def _bounds(box: Box) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    return min(xs), min(ys), max(xs), max(ys)


def merge_into_lines(pieces: list[OcrLine]) -> list[OcrLine]:
    """Join pieces that sit side by side on one text line (OCR sometimes returns single words), so
    that a phone number or a phrase split over several boxes is read as the line a person sees."""
    rows: list[list[OcrLine]] = []
    for piece in sorted(pieces, key=lambda p: (_bounds(p.box)[1] + _bounds(p.box)[3]) / 2):
        _, y0, _, y1 = _bounds(piece.box)
        h = max(y1 - y0, 1.0)
        for row in rows:
            _, ry0, _, ry1 = _bounds(row[-1].box)
            overlap = min(y1, ry1) - max(y0, ry0)
            if overlap > 0.5 * min(h, ry1 - ry0) and abs((y1 - y0) - (ry1 - ry0)) < 0.5 * h:
                row.append(piece)
                break
        else:
            rows.append([piece])
    lines: list[OcrLine] = []
    for row in rows:
        row.sort(key=lambda p: _bounds(p.box)[0])
        current = [row[0]]
        for piece in row[1:]:
            _, py0, px1, py1 = _bounds(current[-1].box)
            qx0 = _bounds(piece.box)[0]
            if qx0 - px1 < 1.5 * (py1 - py0):
                current.append(piece)
            else:
                lines.append(_join(current))
                current = [piece]
        lines.append(_join(current))
    lines.sort(key=lambda line: (round(_bounds(line.box)[1] / 10), _bounds(line.box)[0]))
    return lines


def _join(pieces: list[OcrLine]) -> OcrLine:
    if len(pieces) == 1:
        return pieces[0]
    x0 = min(_bounds(p.box)[0] for p in pieces)
    y0 = min(_bounds(p.box)[1] for p in pieces)
    x1 = max(_bounds(p.box)[2] for p in pieces)
    y1 = max(_bounds(p.box)[3] for p in pieces)
    score = min(p.score for p in pieces)
    return OcrLine(" ".join(p.text for p in pieces), score, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))


def _files_sha256(paths: list[Path]) -> str:
    """One digest for the set of model files: SHA-256 over their names and SHA-256s."""
    outer = hashlib.sha256()
    for path in paths:
        inner = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                inner.update(block)
        outer.update(f"{path.name} {inner.hexdigest()}\n".encode())
    return outer.hexdigest()
