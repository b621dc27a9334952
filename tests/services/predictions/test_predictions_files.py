"""Predictions on arbitrary files, and a workstation whose model file was altered: it says so once and
keeps working with what is left."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moderator_app.domain.predictions.model import ImageState
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.settings import Settings
from tests.factories import seed
from tests.prediction_data import EVAL, MODELS, add_images, engines, eval_bytes, text_image

__all__ = ["engines"]  # fixture

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "images"


def test_each_file_gets_its_result_or_its_reason(sqlite_ws: Workstation, engines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sqlite_ws.predictions.adopt(engines)
    label = tmp_path / "label.png"
    label.write_bytes(text_image(["Sildenafil 100 mg", "no prescription needed"], fmt="PNG"))
    paths = [
        EVAL / "photos/coffee.jpg",
        SAMPLES / "truncated.jpg",
        label,
        tmp_path / "gone.jpg",
        SAMPLES / "bomb.png",
    ]

    results = sqlite_ws.predictions.predict_files(paths)

    assert [r.ok for r in results] == [True, False, True, False, False]
    assert results[0].product is not None and results[0].product.top_labels[0].label == "espresso"
    assert results[0].sentence is not None and results[0].sentence.startswith(
        "The photo does not clearly show"
    )
    assert results[0].adult is not None and not results[0].adult.blur
    assert (results[0].width, results[0].height) == (600, 400)
    assert "corrupt or truncated" in (results[1].problem or "")
    assert results[3].problem == "no such file" and "decompression bomb" in (results[4].problem or "")
    assert [line.text for line in results[2].ocr or ()] == ["Sildenafil 100 mg", "no prescription needed"]
    assert [f.matched_text for f in results[2].findings] == ["Sildenafil", "no prescription needed"]
    assert {m.id for m in results[2].models} == {"product-type", "adult-content", "ocr"}


@pytest.fixture
def tampered_ws(tmp_path: Path, clock):  # type: ignore[no-untyped-def]
    models = tmp_path / "models"
    models.mkdir()
    for name in ("manifest.json", "product-type-v1.onnx", "adult-content-v1.onnx"):
        shutil.copy(MODELS / name, models / name)
    data = bytearray((models / "adult-content-v1.onnx").read_bytes())
    data[-100] ^= 0x55
    (models / "adult-content-v1.onnx").write_bytes(bytes(data))
    ws = open_workstation(f"sqlite:///{tmp_path / 'x.db'}", clock=clock, settings=Settings(models_dir=models))
    yield ws
    ws.close()


def test_an_altered_model_file_is_named_and_everything_else_still_works(tampered_ws: Workstation) -> None:
    s = seed(tampered_ws, listings=1)
    add_images(tampered_ws, s.listing_ids[0], [eval_bytes("photos/chelsea.jpg")])

    report = tampered_ws.predictions.score_pending(ocr=False)

    assert not report.interrupted and report.listings_scanned == 1
    assert any("adult-content-v1.onnx does not match the manifest" in p for p in report.problems)
    view = tampered_ws.predictions.predictions_for_listing(s.listing_ids[0])
    assert list(view.problems) == report.problems
    image = view.images[0]
    assert image.product is not None and image.adult is None and not image.blur
    assert image.state is ImageState.PARTLY
    assert {m.id for m in view.models} == {"product-type"}
