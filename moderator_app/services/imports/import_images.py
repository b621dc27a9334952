"""Reading, probing and storing the image files named by an import, never inside a transaction.

Every failure (missing, empty, too large, corrupt, truncated, not an image, decompression bomb, a path
that leaves the import folder) becomes an unreadable :class:`ImageRecord` with the reason; nothing here
stops an import.
"""

from __future__ import annotations

import errno
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

        if Path(name).is_absolute():
            return unreadable(OUTSIDE)
        try:
            fd = self._open_below(name)
        except _Outside:
            return unreadable(OUTSIDE)
        except OSError as exc:
            return unreadable(_open_problem(exc))
        try:
            info = os.fstat(fd)  # of what was opened: no other file can stand in for it
        except OSError as exc:
            os.close(fd)
            return unreadable(f"cannot read the file: {exc.strerror or exc}")
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            return unreadable(
                "not a regular file (a folder)" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            )
        try:
            with os.fdopen(fd, "rb") as fh:
                if info.st_size == 0:
                    return unreadable("empty file", 0)
                if info.st_size > MAX_IMAGE_BYTES:
                    return unreadable(
                        f"refused: the file is larger than {_megabytes(MAX_IMAGE_BYTES)}", info.st_size
                    )
                data = fh.read(MAX_IMAGE_BYTES + 1)
        except OSError as exc:
            return unreadable(f"cannot read the file: {exc.strerror or exc}")
        if len(data) > MAX_IMAGE_BYTES:  # it grew since fstat()
            return unreadable(f"refused: the file is larger than {_megabytes(MAX_IMAGE_BYTES)}", len(data))
        probe = probe_image(data)
        if not probe.readable:
            return unreadable(probe.problem or "unreadable image", len(data))
        sha = self.media.put(data)
        return ImageRecord(0, name, sha, len(data), probe.width, probe.height, probe.format, True, None)

    def _open_below(self, name: str) -> int:
        """Open ``name`` below the import folder, one path component at a time relative to the folder
        opened before it, never following a symbolic link: checking the path and reading the file are
        one step, so a link swapped in meanwhile cannot lead outside. Returns the file descriptor."""
        if not _NO_FOLLOW_WALK:  # no openat()/O_NOFOLLOW here: the older check, then the open
            path = self.base_dir / name
            if not path.resolve().is_relative_to(self.base_resolved):
                raise _Outside
            return os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
        parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts:
            raise IsADirectoryError(errno.EISDIR, "is a folder")
        folders = [os.open(self.base_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)]
        try:
            for part in parts[:-1]:
                if part == "..":
                    if len(folders) == 1:
                        raise _Outside
                    os.close(folders.pop())
                    continue
                flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
                try:
                    folders.append(os.open(part, flags, dir_fd=folders[-1]))
                except NotADirectoryError:  # a link to a folder is "not a folder" to O_NOFOLLOW
                    if stat.S_ISLNK(os.stat(part, dir_fd=folders[-1], follow_symlinks=False).st_mode):
                        raise OSError(errno.ELOOP, "symbolic link") from None
                    raise
            if parts[-1] == "..":
                raise _Outside if len(folders) == 1 else IsADirectoryError(errno.EISDIR, "is a folder")
            # O_NONBLOCK: a FIFO named as an image must never block the import.
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            return os.open(parts[-1], flags, dir_fd=folders[-1])
        finally:
            for fd in folders:
                os.close(fd)


OUTSIDE = "refused: the path leads outside the folder of the import file"
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_NO_FOLLOW_WALK = hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and os.open in os.supports_dir_fd


class _Outside(Exception):
    pass


def _open_problem(exc: OSError) -> str:
    if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW met a link (EMLINK on FreeBSD)
        return "refused: the path goes through a symbolic link"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "file not found"
    if exc.errno == errno.EISDIR:
        return "not a regular file (a folder)"
    if exc.errno == errno.EACCES:
        return "cannot read the file: permission denied"
    return f"cannot read the file: {exc.strerror or exc}"


def _megabytes(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"
