"""onnxruntime sessions for the manifest's image models: created once per model, reused, thread-safe.

:class:`ModelSet` verifies every file against the manifest when it is made (a missing or altered file
switches that model off with one clear sentence in :attr:`ModelSet.problems`) and opens each session
the first time it is needed. ``InferenceSession.run`` may be called from several threads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort  # type: ignore[import-untyped]

from moderator_app.domain.predictions.model import (
    AdultResult,
    CategoryScore,
    ImageScores,
    ModelKind,
    ModelRef,
    ProductTypeResult,
    RiskCategory,
    TopLabel,
)
from moderator_app.inference.images import PreparedImage
from moderator_app.inference.manifest import (
    InputSpec,
    Manifest,
    ModelSpec,
    ModelStatus,
    load_manifest,
    verify,
)

DEFAULT_THREADS = 1


class _Session:
    def __init__(self, status: ModelStatus, threads: int | None) -> None:
        self.status = status
        self.spec = status.spec
        assert status.spec.sha256 is not None
        self.ref = ModelRef(status.spec.id, status.spec.version, status.spec.sha256)
        self._threads = threads
        self._session: ort.InferenceSession | None = None
        self._lock = threading.Lock()
        self.runs = 0  # images run through this model (tests and benchmarks read it)
        self.opened = 0  # sessions created (once per model, however many runs)

    def session(self) -> ort.InferenceSession:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    opts = ort.SessionOptions()
                    if self._threads:
                        opts.intra_op_num_threads = self._threads
                        opts.inter_op_num_threads = 1
                    opts.log_severity_level = 3
                    assert self.status.path is not None
                    self._session = ort.InferenceSession(
                        str(self.status.path), sess_options=opts, providers=["CPUExecutionProvider"]
                    )
                    self.opened += 1
        return self._session

    def run(self, batch: np.ndarray) -> list[np.ndarray]:
        outputs: list[np.ndarray] = self.session().run(None, {"image": batch})
        self.runs += int(batch.shape[0])
        return outputs


class ModelSet:
    """The product-type and adult-content models of one manifest."""

    def __init__(self, models_dir: Path | None = None, *, threads: int | None = DEFAULT_THREADS) -> None:
        """``threads``: onnxruntime intra-op threads per model (None: onnxruntime's default, one per core).

        One thread is the default: on the 2-core machine these small models ran faster on one thread
        than on two (8 + 15 ms against 16 + 25 ms a picture, see docs/performance.md), and the other
        core stays free for decoding the next pictures and for the review window."""
        self.manifest: Manifest = load_manifest(models_dir)
        problems = list(self.manifest.problems)
        self._models: dict[str, _Session] = {}
        for kind in (ModelKind.PRODUCT_TYPE, ModelKind.ADULT_CONTENT):
            spec = self.manifest.get(kind.value)
            if spec is None:
                if self.manifest.models:
                    problems.append(
                        f"the model manifest has no {kind.value} model; those predictions are off"
                    )
                continue
            status = verify(spec, self.manifest.directory)
            if status.ok:
                self._models[kind.value] = _Session(status, threads)
            else:
                assert status.problem is not None
                problems.append(status.problem)
        self.problems: tuple[str, ...] = tuple(problems)

    def available(self, kind: ModelKind) -> bool:
        return kind.value in self._models

    def spec(self, kind: ModelKind) -> ModelSpec | None:
        m = self._models.get(kind.value)
        return m.spec if m else None

    def ref(self, kind: ModelKind) -> ModelRef | None:
        m = self._models.get(kind.value)
        return m.ref if m else None

    @property
    def refs(self) -> tuple[ModelRef, ...]:
        return tuple(m.ref for m in self._models.values())

    @property
    def input_specs(self) -> tuple[InputSpec, ...]:
        """The inputs to prepare for each image, in the order of :attr:`kinds`."""
        specs = tuple(m.spec.input for m in self._models.values())
        assert all(s is not None for s in specs)  # every model with a file has an input spec
        return specs  # type: ignore[return-value]

    @property
    def kinds(self) -> tuple[ModelKind, ...]:
        return tuple(ModelKind(k) for k in self._models)

    def runs(self, kind: ModelKind) -> int:
        m = self._models.get(kind.value)
        return m.runs if m else 0

    def sessions_opened(self, kind: ModelKind) -> int:
        m = self._models.get(kind.value)
        return m.opened if m else 0

    def warm_up(self) -> None:
        """Open every session now (about a quarter of a second each) instead of on first use."""
        for m in self._models.values():
            m.session()

    def classify(self, images: Sequence[PreparedImage]) -> list[ImageScores]:
        """Run every available model on a batch of prepared images (inputs in :attr:`input_specs` order)."""
        if not images:
            return []
        products: list[ProductTypeResult | None] = [None] * len(images)
        adults: list[AdultResult | None] = [None] * len(images)
        for index, (name, model) in enumerate(self._models.items()):
            batch = np.stack([img.inputs[index] for img in images])
            outputs = model.run(batch)
            if name == ModelKind.PRODUCT_TYPE.value:
                products = _product_results(model.spec, outputs)
            else:
                adults = _adult_results(model.spec, outputs)
        return [
            ImageScores(product=p, adult=a, width=img.width, height=img.height)
            for p, a, img in zip(products, adults, images, strict=True)
        ]


def _product_results(spec: ModelSpec, outputs: list[np.ndarray]) -> list[ProductTypeResult | None]:
    categories, top_scores, _indices, top_labels = outputs
    names = [RiskCategory(label) for label in spec.labels]
    show = spec.threshold("show", 0.3)
    strong = spec.threshold("strong", 0.6)
    results: list[ProductTypeResult | None] = []
    for row in range(categories.shape[0]):
        cats = tuple(CategoryScore(n, float(categories[row, i])) for i, n in enumerate(names))
        tops = tuple(
            TopLabel(_text(top_labels[row, k]), float(top_scores[row, k])) for k in range(top_scores.shape[1])
        )
        results.append(ProductTypeResult(cats, tops, show, strong))
    return results


def _adult_results(spec: ModelSpec, outputs: list[np.ndarray]) -> list[AdultResult | None]:
    nsfw = outputs[1]
    blur = spec.threshold("blur", 0.4)
    strong = spec.threshold("strong", 0.8)
    return [AdultResult(float(nsfw[i]), blur, strong) for i in range(nsfw.shape[0])]


def _text(value: object) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
