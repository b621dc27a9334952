"""Inference benchmark: the two image models per image, and the scoring pipeline against a bare loop.

    python benchmarks/bench_inference.py [--images 240] [--ocr 12]

1. Per image, product-type + adult-content together (batch of one, as the review window asks for the
   item on screen): preprocessing (JPEG draft decode, resize, crop) and the two onnxruntime runs, p50 /
   p95 over photos of 1600x1200 pixels. Target: <= 60 ms.
2. Throughput: ``score_pending(ocr=False)`` over N listings with one distinct photo each (SQLite, cache
   empty: every image runs) against a bare onnxruntime loop over the same inputs already preprocessed,
   in batches of the same size with the same sessions. Target: the pipeline >= 90% of the bare loop.
3. OCR per image (background only), for information.

Writes the figures into the "Predictions" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PIL import Image, ImageDraw

from benchmarks.common import machine_description, percentiles, write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Predictions"
PHOTOS = sorted((ROOT / "scripts" / "models" / "eval" / "photos").glob("*.jpg"))


def photo_jpeg(index: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A distinct 1600x1200 JPEG made from one of the evaluation photos (so no two share a hash)."""
    with Image.open(PHOTOS[index % len(PHOTOS)]) as im:
        big = im.convert("RGB").resize(size, Image.Resampling.BICUBIC)
    ImageDraw.Draw(big).text((20 + index % 200, 20), f"#{index}", fill=(255, 255, 255))
    buf = io.BytesIO()
    big.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def fmt(p: dict[str, float]) -> str:
    return f"{p['p50']:.1f} / {p['p95']:.1f} ms"


def per_image(models, images: list[bytes]) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    from moderator_app.inference.images import prepare

    models.warm_up()
    for data in images[:5]:
        models.classify([prepare(data, models.input_specs)])
    prep_ms, model_ms, total_ms = [], [], []
    for data in images:
        t0 = time.perf_counter()
        prepared = prepare(data, models.input_specs)
        t1 = time.perf_counter()
        models.classify([prepared])
        t2 = time.perf_counter()
        prep_ms.append((t1 - t0) * 1000)
        model_ms.append((t2 - t1) * 1000)
        total_ms.append((t2 - t0) * 1000)
    return {"prep": percentiles(prep_ms), "models": percentiles(model_ms), "total": percentiles(total_ms)}


def bare_loop(models, prepared: list, batch: int) -> float:  # type: ignore[no-untyped-def]
    """Images/s of onnxruntime alone: the same sessions, batches and inputs, nothing else."""
    sessions = [m.session() for m in models._models.values()]
    arrays = [np.stack([p.inputs[i] for p in prepared]) for i in range(len(sessions))]
    t0 = time.perf_counter()
    for start in range(0, len(prepared), batch):
        for sess, arr in zip(sessions, arrays, strict=True):
            sess.run(None, {"image": arr[start : start + batch]})
    return len(prepared) / (time.perf_counter() - t0)


def pipeline(engines, images: list[bytes]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Images/s of score_pending(ocr=False) over one listing per image, and its wall time."""
    from moderator_app.services.workstation import open_workstation
    from tests.factories import seed
    from tests.prediction_data import add_images

    tmp = Path(tempfile.mkdtemp())
    try:
        ws = open_workstation(f"sqlite:///{tmp / 'bench.db'}")
        ws.predictions.adopt(engines)
        s = seed(ws, listings=len(images), traders=10)
        for lid, data in zip(s.listing_ids, images, strict=True):
            add_images(ws, lid, [data])
        t0 = time.perf_counter()
        report = ws.predictions.score_pending(ocr=False)
        seconds = time.perf_counter() - t0
        assert report.images_scored == len(images), report
        ws.close()
        return len(images) / seconds, seconds
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ocr_times(engines, images: list[bytes]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from moderator_app.inference.images import prepare
    from tests.prediction_data import text_image

    samples = [text_image(["Order on WhatsApp", "+86 138 0013 8000"]), *images]
    times = []
    engines.ocr.read(prepare(samples[0], (), ocr=True).ocr)  # load the models
    for data in samples:
        img = prepare(data, (), ocr=True)
        t0 = time.perf_counter()
        engines.ocr.read(img.ocr, img.ocr_scale)
        times.append((time.perf_counter() - t0) * 1000)
    return percentiles(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=240)
    ap.add_argument("--ocr", type=int, default=12)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    from moderator_app.inference.images import prepare
    from moderator_app.services.predictions.predictions_engines import EngineLoader
    from moderator_app.services.predictions.predictions_pipeline import BATCH

    load_before = os.getloadavg()[0]
    images = [photo_jpeg(i) for i in range(args.images)]
    engines = EngineLoader().get()
    assert not engines.problems, engines.problems
    models = engines.models

    single = per_image(models, images[:100])
    from moderator_app.inference.models import ModelSet

    two = per_image(ModelSet(threads=None), images[:100])
    prepared = [prepare(data, models.input_specs) for data in images]
    bare_loop(models, prepared[:16], BATCH)  # warm
    # Pairs measured back to back, so a change of load on the machine hits both sides of a ratio.
    pairs = []
    for _ in range(3):
        b = bare_loop(models, prepared, BATCH)
        p, secs = pipeline(engines, images)
        pairs.append((p / b, p, b, secs))
    pairs.sort()
    ratio, piped, bare, piped_seconds = pairs[1]  # the median pair
    ocr = ocr_times(engines, images[: args.ocr])

    load = f"load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after"
    text = f"""{SECTION}

`python benchmarks/bench_inference.py` (CPU only; one onnxruntime thread per model, the app's default).
Photos are 1600x1200 JPEGs made from the evaluation photos (scripts/models/eval), each one distinct, so every
image really runs. *Per image* is what the window asks for the item on screen: decoding with JPEG draft,
resize and crop (Pillow), then product-type and adult-content on a batch of one. *Pipeline* is
`score_pending(ocr=False)` on a fresh SQLite database with one listing per photo (reading the media
files, decoding in a helper thread while the models run, storing predictions, text findings and
priority boosts, one transaction per {16} listings); *bare loop* is onnxruntime alone over the same
inputs already preprocessed, in the same batches of {BATCH} with the same sessions.

Machine: {machine_description()}, onnxruntime {_ort_version()}; {load} (other work on the
machine slows every figure).

| measure | figure | target |
|---|---|---|
| per image, both models + preprocessing, p50 / p95 | {fmt(single["total"])} (n={single["total"]["n"]:.0f}) | <= 60 ms |
| of which preprocessing (decode, resize, crop) | {fmt(single["prep"])} | |
| of which the two models | {fmt(single["models"])} | |
| the same with onnxruntime's default threads (2): total / models | {fmt(two["total"])} / {fmt(two["models"])} | |
| scoring pipeline, {args.images} images | {piped:.1f} images/s ({piped_seconds:.1f} s) | |
| bare onnxruntime loop, same inputs, batches of {BATCH} | {bare:.1f} images/s | |
| pipeline / bare loop (median of 3 pairs; all: {", ".join(f"{r:.0%}" for r, *_ in pairs)}) | {ratio:.0%} | >= 90% |
| OCR (rapidocr, background only), p50 / p95 | {fmt(ocr)} (n={ocr["n"]:.0f}) | |

The pipeline keeps pace with the bare loop by doing its other work (decoding about 5 ms an image,
storing about 1 ms) on the second core while the models run on the first; other work on the machine
that takes that core lowers the ratio, which is why three pairs are measured and all are shown.
OCR is not part of the pipeline figure: at about {ocr["p50"] / 1000:.1f} s an image it runs only in
background scoring (`moderator-app score`, the window's background worker) and in `predict`.
"""
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


def _ort_version() -> str:
    import onnxruntime

    return str(onnxruntime.__version__)


if __name__ == "__main__":
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp())  # never the user's real data folder
    main()
