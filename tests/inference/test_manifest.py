"""The model files are checked against the manifest: a missing, altered or unlisted file gives one clear
sentence and switches that model off, while the other model keeps working."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from moderator_app.domain.predictions.model import ModelKind
from moderator_app.inference.images import prepare
from moderator_app.inference.manifest import load_manifest, sha256_of
from moderator_app.inference.models import ModelSet
from tests.prediction_data import MODELS, eval_bytes


@pytest.fixture
def models_copy(tmp_path: Path) -> Path:
    target = tmp_path / "models"
    target.mkdir()
    for name in ("manifest.json", "product-type-v1.onnx", "adult-content-v1.onnx"):
        shutil.copy(MODELS / name, target / name)
    return target


def test_the_shipped_files_match_their_manifest_and_both_models_run() -> None:
    models = ModelSet(MODELS)
    assert models.problems == ()
    assert models.kinds == (ModelKind.PRODUCT_TYPE, ModelKind.ADULT_CONTENT)
    manifest = json.loads((MODELS / "manifest.json").read_text())
    for entry in manifest["models"]:
        if entry["file"]:
            assert sha256_of(MODELS / entry["file"]) == entry["sha256"]
            assert entry["licence"] and entry["source"]["packages"][0]["version"]
            assert entry["input"]["size"] == 224 and entry["thresholds"]


def test_an_altered_file_is_refused_with_a_clear_message_and_the_other_model_still_works(
    models_copy: Path,
) -> None:
    path = models_copy / "adult-content-v1.onnx"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte somewhere in the weights
    path.write_bytes(bytes(data))

    models = ModelSet(models_copy)

    assert len(models.problems) == 1
    assert "adult-content-v1.onnx does not match the manifest" in models.problems[0]
    assert "adult-content predictions are off" in models.problems[0]
    assert models.kinds == (ModelKind.PRODUCT_TYPE,)
    image = prepare(eval_bytes("photos/coffee.jpg"), models.input_specs)
    (result,) = models.classify([image])
    assert result.adult is None
    assert result.product is not None and result.product.top_labels[0].label == "espresso"


def test_a_missing_file_is_named_and_the_other_model_still_works(models_copy: Path) -> None:
    (models_copy / "product-type-v1.onnx").unlink()
    models = ModelSet(models_copy)
    assert models.problems == (
        f"model file product-type-v1.onnx is missing from {models_copy}; product-type predictions are off",
    )
    (result,) = models.classify([prepare(eval_bytes("photos/chelsea.jpg"), models.input_specs)])
    assert result.product is None
    assert result.adult is not None and result.adult.score < 0.1


def test_a_missing_or_broken_manifest_switches_image_models_off_without_an_error(tmp_path: Path) -> None:
    assert ModelSet(tmp_path).problems == (
        f"no model manifest at {tmp_path / 'manifest.json'}: image predictions are off",
    )
    (tmp_path / "manifest.json").write_text("{ not json")
    models = ModelSet(tmp_path)
    assert models.kinds == ()
    assert "cannot be read" in models.problems[0]
    assert models.classify([]) == []


def test_an_incomplete_manifest_entry_is_named(models_copy: Path) -> None:
    manifest = json.loads((models_copy / "manifest.json").read_text())
    del manifest["models"][0]["input"]
    (models_copy / "manifest.json").write_text(json.dumps(manifest))
    loaded = load_manifest(models_copy)
    assert [m.id for m in loaded.models] == ["adult-content", "ocr"]
    assert loaded.problems[0].startswith("model product-type: its manifest entry is incomplete")
