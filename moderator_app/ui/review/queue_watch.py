"""Keeping an eye on the queues while a reviewer works: pending counts and the leases of held items.

Counts are refreshed every ``COUNTS_INTERVAL_MS`` and, after decisions, once things calm down (counting
a queue of a million items takes a while on the shared database thread). The leases of the items the
reviewer holds (on screen and claimed ahead) are renewed long before they run out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.domain.errors import WorkstationError
from moderator_app.domain.review.model import QueueCount
from moderator_app.domain.review.policy import CLAIM_LEASE
from moderator_app.services.review.service import ReviewService
from moderator_app.ui.review import session_text as text
from moderator_app.ui.tasks import TaskManager

COUNTS_INTERVAL_MS = 20_000
COUNTS_DEBOUNCE_MS = 1_500
RENEW_INTERVAL_MS = int(CLAIM_LEASE.total_seconds() * 1000 / 4)


class QueueWatch(QObject):
    """Signals:
    countsChanged(list): fresh QueueCounts of every queue.
    claimsLost(list): ids of held items whose lease could not be renewed (someone else has them now).
    failed(str): a known failure, as a line for the person.
    """

    countsChanged = Signal(list)
    claimsLost = Signal(list)
    failed = Signal(str)

    def __init__(
        self,
        review: ReviewService,
        tasks: TaskManager,
        reviewer: str,
        held: Callable[[], set[int]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._review = review
        self._tasks = tasks
        self._reviewer = reviewer
        self._held = held
        self._counts: list[QueueCount] = []
        self._claims_since_counts = 0  # own claims (minus releases) after the last counts were taken
        self._active = False
        self._every = self._timer(COUNTS_INTERVAL_MS, self.refresh, single=False)
        self._soon = self._timer(COUNTS_DEBOUNCE_MS, self.refresh, single=True)
        self._renew = self._timer(RENEW_INTERVAL_MS, self._renew_leases, single=False)

    def _timer(self, ms: int, slot: Callable[[], None], *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    def start(self) -> None:
        self._active = True
        self._every.start()
        self._renew.start()

    def stop(self) -> None:
        self._active = False
        for timer in (self._every, self._soon, self._renew):
            timer.stop()

    def refresh(self) -> None:
        if self._active:
            self._tasks.db(
                self._review.queue_counts,
                self._got,
                on_error=lambda exc: self._fail(exc, text.counts_failed()),
                group="counts",
                latest_wins=True,
            )

    def refresh_soon(self) -> None:
        if self._active:
            self._soon.start()

    def counts(self) -> list[QueueCount]:
        return list(self._counts)

    def pending(self, queue: str | None) -> int:
        """Pending items of ``queue``, less what this reviewer claimed since they were counted."""
        counted = next((c.pending for c in self._counts if c.queue == queue), 0)
        return max(0, counted - self._claims_since_counts)

    def note_claimed(self, n: int = 1) -> None:
        self._claims_since_counts += n

    def _got(self, counts: list[QueueCount]) -> None:
        self._counts = list(counts)
        self._claims_since_counts = 0
        self.countsChanged.emit(self._counts)

    def _renew_leases(self) -> None:
        ids = sorted(self._held())
        if not ids or not self._active:
            return
        review, reviewer = self._review, self._reviewer
        self._tasks.db(
            lambda: [i for i in ids if not review.renew(i, reviewer)],
            lambda lost: self.claimsLost.emit(lost) if lost else None,
            on_error=lambda exc: self._fail(exc, text.renew_failed()),
            group="renew",
            latest_wins=True,
        )

    def _fail(self, exc: BaseException, what: str) -> None:
        detail = str(exc) if isinstance(exc, WorkstationError) else text.bug()
        self.failed.emit(f"{what}: {detail}")
