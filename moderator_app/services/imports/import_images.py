"""Reading, probing and storing the image files named by an import, never inside a transaction.

Every failure (missing, empty, too large, corrupt, truncated, not an image, decompression bomb, a path
that leaves the import folder) becomes an unreadable :class:`ImageRecord` with the reason; nothing here
stops an import.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from moderator_app.domain.imports.imports import ImageRecord
from moderator_app.storage.media import MAX_IMAGE_BYTES, MediaStore, probe_image

log = logging.getLogger(__name__)

CACHE_SIZE = 4096
"""Image results kept by file name: generated and real feeds often reuse the same files."""


class ImageLoader:
    def __init__(self, base_dir: Path, media: MediaStore) -> None:
        self.base_dir = base_dir
        self.base_resolved = base_dir.resolve()
        self.media = media
        self._cache: dict[str, ImageRecord] = {}
        self._pool: ThreadPoolExecutor | None = None

    def load(self, names: Sequence[tuple[int, str]]) -> list[ImageRecord]:
        """(position, file name) pairs to image records, decoded in parallel (Pillow releases the GIL)."""
        if not names:
            return []
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="import-images"
            )
        return list(self._pool.map(lambda job: self.image(*job), names))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def image(self, position: int, name: str) -> ImageRecord:
        cached = self._cache.get(name)
        if cached is None:
            try:
                cached = self._read(name)
            except Exception as exc:  # a bug set off by this file: this image's problem, not the import's
                log.error("import image %r: unexpected error", name, exc_info=exc)
                problem = f"internal error ({type(exc).__name__}); this is a bug, the details are in the log"
                cached = ImageRecord(0, name, None, None, None, None, None, False, problem)
            if len(self._cache) < CACHE_SIZE:
                self._cache[name] = cached
        return replace(cached, position=position)

    def _read(self, name: str) -> ImageRecord:
        def unreadable(problem: str, size: int | None = None) -> ImageRecord:
            return ImageRecord(0, name, None, size, None, None, None, False, problem)

        path = self.base_dir / name
        try:
            if Path(name).is_absolute() or not path.resolve().is_relative_to(self.base_resolved):
                return unreadable("refused: the path leads outside the folder of the import file")
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                return unreadable("not a regular file")
            if info.st_size == 0:
                return unreadable("empty file", 0)
            if info.st_size > MAX_IMAGE_BYTES:
                return unreadable(
                    f"refused: the file is larger than {_megabytes(MAX_IMAGE_BYTES)}", info.st_size
                )
            with path.open("rb") as fh:
                data = fh.read(MAX_IMAGE_BYTES + 1)
        except FileNotFoundError:
            return unreadable("file not found")
        except RuntimeError:  # Path.resolve() on a loop of symbolic links (Python 3.11)
            return unreadable("refused: a loop of symbolic links")
        except OSError as exc:
            return unreadable(f"cannot read the file: {exc.strerror or exc}")
        if len(data) > MAX_IMAGE_BYTES:  # it grew since stat()
            return unreadable(f"refused: the file is larger than {_megabytes(MAX_IMAGE_BYTES)}", len(data))
        probe = probe_image(data)
        if not probe.readable:
            return unreadable(probe.problem or "unreadable image", len(data))
        sha = self.media.put(data)
        return ImageRecord(0, name, sha, len(data), probe.width, probe.height, probe.format, True, None)


def _megabytes(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"
