"""Decoded images for the window: a byte-bounded cache in front of the decode workers.

The window asks for an image at the size it will show it; a cached decode that is sharp enough is
returned at once, otherwise a decode is queued and :attr:`ImageLoader.decoded` fires when it is done.
Prefetching fills the cache for the next items so a decision shows the next listing's first image at once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from moderator_app.domain.review.model import ImageInfo
from moderator_app.ui.review.image_decode import Decoded, ImageDecoder
from moderator_app.ui.tasks import TaskManager, Ticket

DEFAULT_BUDGET = 48 * 1024 * 1024
"""Bytes of decoded pixels kept: the items on screen and claimed ahead, with room to spare (about 8 large
views at 1600x900, ARGB32, plus their thumbnails)."""

BOX_STEP = 256
"""Decode boxes are rounded up to this step so small resizes of the window reuse the cache."""


def quantize(box: tuple[int, int]) -> tuple[int, int]:
    """Round a box up (thumbnails to 64 px steps, views to 256 px steps)."""
    step = 64 if max(box) <= 256 else BOX_STEP
    return tuple(max(step, -(-v // step) * step) for v in box)  # type: ignore[return-value]


def _size_of(d: Decoded) -> int:
    return d.image.sizeInBytes() if d.image is not None else 256


class ImageLoader(QObject):
    """Signals: decoded(Decoded) — a requested decode finished (successfully or with a problem)."""

    decoded = Signal(object)

    def __init__(
        self,
        tasks: TaskManager,
        decoder: ImageDecoder,
        parent: QObject | None = None,
        *,
        budget_bytes: int = DEFAULT_BUDGET,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.decoder = decoder
        self._budget = budget_bytes
        self._cache: OrderedDict[tuple[int, tuple[int, int]], Decoded] = OrderedDict()
        self._bytes = 0
        self._inflight: dict[tuple[int, tuple[int, int]], tuple[Ticket, str | None]] = {}

    @property
    def tasks(self) -> TaskManager:
        """The task manager it decodes with (the listing view finds contacts with it too)."""
        return self._tasks

    # -- look-up ------------------------------------------------------------------------------------

    def cached(self, image_id: int, box: tuple[int, int]) -> Decoded | None:
        """The smallest cached decode of ``image_id`` that is sharp enough for ``box``."""
        best: tuple[int, tuple[int, int]] | None = None
        for key, d in self._cache.items():
            if key[0] == image_id and d.covers(box) and (best is None or key[1] < best[1]):
                best = key
        if best is None:
            return None
        self._cache.move_to_end(best)
        return self._cache[best]

    def best_available(self, image_id: int) -> Decoded | None:
        """Any cached decode (to show something blurry while a sharper one comes)."""
        found = [d for key, d in self._cache.items() if key[0] == image_id]
        return max(found, key=lambda d: d.box) if found else None

    # -- requests -----------------------------------------------------------------------------------

    def request(
        self,
        info: ImageInfo,
        box: tuple[int, int],
        *,
        group: str | None = None,
        latest_wins: bool = False,
        priority: int = 0,
    ) -> Decoded | None:
        """The decode if cached; otherwise None and :attr:`decoded` fires later."""
        box = quantize(box)
        hit = self.cached(info.id, box)
        if hit is not None:
            return hit
        if latest_wins and group is not None:
            self.cancel_group(group)
        key = (info.id, box)
        if key in self._inflight:
            return None
        decoder = self.decoder
        ticket = self._tasks.image(
            lambda: decoder.decode(info, box),
            lambda d: self._done(key, d),
            on_error=lambda exc: self._failed(key, info, box, exc),
            group=group,
            priority=priority,
        )
        self._inflight[key] = (ticket, group)
        return None

    def prefetch(self, infos: Iterable[ImageInfo], box: tuple[int, int]) -> None:
        for info in infos:
            self.request(info, box, group="prefetch", priority=-1)

    def cancel_group(self, group: str) -> None:
        for key, (ticket, g) in list(self._inflight.items()):
            if g == group:
                self._tasks.cancel(ticket)
                del self._inflight[key]

    def pending(self) -> int:
        return len(self._inflight)

    def clear(self) -> None:
        self._cache.clear()
        self._bytes = 0

    @property
    def cached_bytes(self) -> int:
        return self._bytes

    # -- results ------------------------------------------------------------------------------------

    def _done(self, key: tuple[int, tuple[int, int]], d: Decoded) -> None:
        self._inflight.pop(key, None)
        self._store(key, d)
        self.decoded.emit(d)

    def _failed(
        self, key: tuple[int, tuple[int, int]], info: ImageInfo, box: tuple[int, int], exc: BaseException
    ) -> None:
        # A bug in the decoder must still leave a placeholder, never a blank or a crash.
        self._inflight.pop(key, None)
        d = Decoded(info.id, box, None, None, f"the image could not be decoded ({type(exc).__name__})")
        self._store(key, d)
        self.decoded.emit(d)

    def _store(self, key: tuple[int, tuple[int, int]], d: Decoded) -> None:
        old = self._cache.pop(key, None)
        if old is not None:
            self._bytes -= _size_of(old)
        self._cache[key] = d
        self._bytes += _size_of(d)
        while self._bytes > self._budget and len(self._cache) > 1:
            _, evicted = self._cache.popitem(last=False)
            self._bytes -= _size_of(evicted)
