"""The model manifest (moderator_app/resources/models/manifest.json) and the check of each file against it.

A model is used only when its file exists and its SHA-256 is the one in the manifest. Anything else (a
missing file, a truncated download, a file replaced by hand) gives one clear sentence and that model is
switched off; the rest of the app, and the other models, keep working.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moderator_app.paths import models_dir


def default_models_dir() -> Path:
    """The models shipped inside the package (another folder comes from Settings.models_dir)."""
    return models_dir()


@dataclass(frozen=True, slots=True)
class InputSpec:
    size: int
    resize_mode: str  # "shorter_side" (keeps the aspect ratio) or "squash"
    resize_size: int

    def __post_init__(self) -> None:
        if self.resize_mode not in ("shorter_side", "squash") or self.resize_size < self.size:
            raise ValueError(f"unsupported resize {self.resize_mode} {self.resize_size} for size {self.size}")


@dataclass(frozen=True, slots=True)
class ModelSpec:
    id: str
    version: str
    task: str
    file: str | None
    sha256: str | None
    licence: str
    input: InputSpec | None
    labels: tuple[str, ...]
    thresholds: dict[str, float]
    raw: dict[str, Any] = field(repr=False, compare=False)

    def threshold(self, name: str, default: float) -> float:
        return float(self.thresholds.get(name, default))


@dataclass(frozen=True, slots=True)
class ModelStatus:
    spec: ModelSpec
    path: Path | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True, slots=True)
class Manifest:
    directory: Path
    models: tuple[ModelSpec, ...]
    problems: tuple[str, ...] = ()

    def get(self, model_id: str) -> ModelSpec | None:
        return next((m for m in self.models if m.id == model_id), None)


def _spec(raw: dict[str, Any]) -> ModelSpec:
    inp = raw.get("input") or {}
    input_spec = None
    if raw.get("file"):
        resize = inp.get("resize") or {}
        input_spec = InputSpec(int(inp["size"]), str(resize["mode"]), int(resize["size"]))
    thresholds = {k: float(v) for k, v in (raw.get("thresholds") or {}).items() if isinstance(v, int | float)}
    return ModelSpec(
        id=str(raw["id"]),
        version=str(raw["version"]),
        task=str(raw.get("task", "")),
        file=str(raw["file"]) if raw.get("file") else None,
        sha256=str(raw["sha256"]).lower() if raw.get("sha256") else None,
        licence=str(raw.get("licence", "")),
        input=input_spec,
        labels=tuple(str(x["id"]) if isinstance(x, dict) else str(x) for x in raw.get("labels") or ()),
        thresholds=thresholds,
        raw=raw,
    )


def load_manifest(directory: Path | None = None) -> Manifest:
    """Read the manifest; never raises: an unreadable manifest is a problem line and no models."""
    directory = Path(directory) if directory is not None else default_models_dir()
    path = directory / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest(directory, (), (f"no model manifest at {path}: image predictions are off",))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Manifest(
            directory, (), (f"the model manifest {path} cannot be read ({exc}): image predictions are off",)
        )
    models: list[ModelSpec] = []
    problems: list[str] = []
    for i, raw in enumerate(data.get("models", []) if isinstance(data, dict) else []):
        try:
            models.append(_spec(raw))
        except (KeyError, TypeError, ValueError) as exc:
            name = raw.get("id", f"entry {i + 1}") if isinstance(raw, dict) else f"entry {i + 1}"
            problems.append(f"model {name}: its manifest entry is incomplete ({exc}); it is off")
    return Manifest(directory, tuple(models), tuple(problems))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(spec: ModelSpec, directory: Path) -> ModelStatus:
    """Check one model file against the manifest: it must exist and have the manifest's SHA-256."""
    if spec.file is None:
        return ModelStatus(spec, None, None)
    path = directory / spec.file
    off = f"{spec.id} predictions are off"
    if not spec.sha256:
        return ModelStatus(
            spec, path, f"model {spec.id}: the manifest gives no SHA-256 for {spec.file}; {off}"
        )
    try:
        actual = sha256_of(path)
    except FileNotFoundError:
        return ModelStatus(spec, path, f"model file {spec.file} is missing from {directory}; {off}")
    except OSError as exc:
        return ModelStatus(spec, path, f"model file {path} cannot be read ({exc.strerror or exc}); {off}")
    if actual != spec.sha256:
        return ModelStatus(
            spec,
            path,
            f"model file {spec.file} does not match the manifest (SHA-256 {actual[:12]}..., expected "
            f"{spec.sha256[:12]}...): it is damaged or was replaced; {off}",
        )
    return ModelStatus(spec, path, None)
