"""Writing the demo as an import folder: ``demo.jsonl`` and its ``images/``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from moderator_app.demo.catalog import DemoCatalog
from moderator_app.demo.images import render

JSONL_NAME = "demo.jsonl"

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total): stages "images", "import" and "history"."""


def jsonl_lines(catalog: DemoCatalog) -> list[str]:
    head = (
        f"// moderator-app demo data set: seed {catalog.seed}, anchor {catalog.anchor:%Y-%m-%dT%H:%M:%SZ}, "
        f"{len(catalog.traders)} traders, {len(catalog.listings)} listings"
    )
    return [head] + [record_line(record) for record in catalog.records]


def record_line(record: dict[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_demo(folder: Path, catalog: DemoCatalog, progress: Progress | None = None) -> Path:
    """Write the JSONL file and every image into ``folder``; returns the JSONL path."""
    folder = Path(folder)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    path = folder / JSONL_NAME
    path.write_text("\n".join(jsonl_lines(catalog)) + "\n", encoding="utf-8", newline="\n")
    total = len(catalog.images)
    for done, spec in enumerate(catalog.images, start=1):
        (folder / spec.path).write_bytes(render(spec))
        if progress is not None and (done % 50 == 0 or done == total):
            progress("images", done, total)
    return path
