"""A reviewer's session on one queue: what is on screen, what is claimed ahead, what was decided.

All database work goes through the task manager's single database thread, so a reviewer's decisions,
undos, skips and claims are carried out in the order they were asked for. The next items of the queue
are claimed and loaded ahead (``depth``), so a decision shows the next listing at once; the decision itself
is recorded in the background. A decision that cannot be recorded comes back on screen with what the
person chose; a decision is submitted once per item and never twice.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from moderator_app.domain.dsa.permissions import PermissionDenied
from moderator_app.domain.errors import AlreadyDecided, ClaimLost, NotFound, UndoNotAllowed, WorkstationError
from moderator_app.domain.review.model import DecisionInfo, QueueCount, ReviewCase
from moderator_app.domain.review.policy import UNDO_WINDOW
from moderator_app.services.review.service import ReviewService
from moderator_app.ui.review import session_text as text
from moderator_app.ui.review.decision_bar import PendingDecision
from moderator_app.ui.review.queue_watch import QueueWatch
from moderator_app.ui.tasks import TaskManager

PREFETCH_DEPTH = 3
RETRY_MS = 5_000
RATE_AFTER = 3
"""Decisions before the status bar shows a review rate."""
AFTER_PAINT_MS = 30
"""Database work started by a key press waits this long, so the next listing is painted first."""


@dataclass
class _Decided:
    case: ReviewCase
    pending: PendingDecision
    decision: DecisionInfo | None = None


@dataclass(frozen=True)
class SessionStats:
    position: int  # 1-based position of the item on screen in this session's walk through the queue
    total: int  # reviewed + on screen + claimed ahead + still pending
    reviewed: int
    per_hour: float | None


class ReviewSession(QObject):
    """Signals:
    caseChanged(object): the ReviewCase to show now, or None (loading, empty or no queue: see ``state``).
    prefetched(object): a ReviewCase claimed ahead (the window preloads its images).
    stateChanged(str): "idle" (no queue), "loading", "reviewing" or "empty".
    countsChanged(list): the QueueCounts of every queue.
    statsChanged(): position, reviewed count or rate changed.
    message(str, str): level ("info", "success", "warning", "error") and text for the person.
    decisionRestored(object): a PendingDecision that could not be recorded; its case is on screen again.
    undoAvailable(bool): whether Ctrl+Z has something to take back.
    """

    caseChanged = Signal(object)
    prefetched = Signal(object)
    stateChanged = Signal(str)
    countsChanged = Signal(list)
    statsChanged = Signal()
    message = Signal(str, str)
    decisionRestored = Signal(object)
    undoAvailable = Signal(bool)

    def __init__(
        self,
        review: ReviewService,
        tasks: TaskManager,
        reviewer: str,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
        *,
        depth: int = PREFETCH_DEPTH,
    ) -> None:
        super().__init__(parent)
        self._review = review
        self._tasks = tasks
        self.reviewer = reviewer
        self._clock = clock
        self._depth = depth
        self.queue: str | None = None
        self.current: ReviewCase | None = None
        self.ahead: deque[ReviewCase] = deque()
        self.state = "idle"
        self._gen = 0
        self._claiming = False
        self._exhausted = False
        self.refusal: str | None = None  # the sentence of a refused claim: no more claims in this queue
        self._skipped: set[int] = set()
        self._in_flight: dict[int, _Decided] = {}
        self._undoable: list[_Decided] = []  # newest last; decisions recorded or on their way
        self._ledger: dict[int, DecisionInfo] = {}  # item id -> decision, written by the DB worker
        # Items this session holds a claim on, kept by the database thread itself (claims, decisions,
        # releases all run there in order), so closing gives back even a claim that was still landing.
        self._owned: set[int] = set()
        self.shown_evidence: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        """Item id -> (prediction ids, finding ids) on screen, set by the window; recorded with the decision."""
        self.reviewed = 0
        self._started: float | None = None
        self._closed = False

        self.watch = QueueWatch(review, tasks, reviewer, self.held_ids, self)
        self.watch.countsChanged.connect(self._got_counts)
        self.watch.claimsLost.connect(self._claims_lost)
        self.watch.failed.connect(lambda line: self.message.emit("error", line))
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_MS)
        self._retry_timer.timeout.connect(self._fill)

    # -- life cycle ---------------------------------------------------------------------------------

    def start(self, queue: str | None) -> None:
        self.watch.start()
        if queue:
            self.open_queue(queue)  # the first claim goes first: counting a large queue takes longer
        self.watch.refresh()

    def close(self) -> None:
        """Stop the timers and give back every claimed item not yet decided."""
        if self._closed:
            return
        self._closed = True
        self.watch.stop()
        self._retry_timer.stop()
        self._release_held(everything=True)  # runs after any claim still landing on the database thread
        self.current = None

    # -- queues -------------------------------------------------------------------------------------

    def open_queue(self, queue: str) -> None:
        if self._closed or queue == self.queue:
            return
        self._release_held()
        self._gen += 1
        self._claiming = False
        self._exhausted = False
        self.refusal = None
        self._skipped.clear()
        self.queue = queue
        self.current = None
        self._set_state("loading")
        self.caseChanged.emit(None)
        self._fill()
        self.statsChanged.emit()

    def refresh_counts(self) -> None:
        self.watch.refresh()

    def counts(self) -> list[QueueCount]:
        return self.watch.counts()

    # -- decisions ----------------------------------------------------------------------------------

    def decide(self, pending: PendingDecision) -> bool:
        """Record ``pending`` for the item on screen and show the next one at once."""
        case = self.current
        if case is None or self._closed or case.item.id in self._in_flight:
            return False
        record = _Decided(case, pending)
        item_id = case.item.id
        self._in_flight[item_id] = record
        self._undoable.append(record)
        self._advance()
        review, reviewer, ledger, owned = self._review, self.reviewer, self._ledger, self._owned
        shown_predictions, shown_findings = self.shown_evidence.pop(item_id, ((), ()))

        def work() -> DecisionInfo:
            d = review.decide(
                item_id,
                reviewer,
                pending.action,
                pending.category,
                pending.ground,
                pending.explanation,
                shown_predictions=shown_predictions,
                shown_findings=shown_findings,
            )
            ledger[item_id] = d
            owned.discard(item_id)
            return d

        self._tasks.db(
            work,
            lambda d: self._decided(record, d),
            on_error=lambda exc: self._decide_failed(record, exc),
            essential=True,
            delay_ms=AFTER_PAINT_MS,
        )
        self.undoAvailable.emit(True)
        return True

    def skip(self) -> None:
        case = self.current
        if case is None or self._closed:
            return
        self._skipped.add(case.item.id)
        self._advance()
        release = self._releaser()
        self._tasks.db(
            lambda: release([case.item.id]),
            lambda _ok: self._skipped_done(case),
            on_error=lambda exc: self._report(exc, text.skip_failed()),
            essential=True,
            delay_ms=AFTER_PAINT_MS,
        )

    def _skipped_done(self, case: ReviewCase) -> None:
        self.watch.note_claimed(-1)
        self.statsChanged.emit()
        self.message.emit("info", text.skipped(case.listing.external_id))

    def undo(self) -> None:
        """Take back the last decision (within the undo window); its item comes back on screen."""
        if self._closed:
            return
        if not self._undoable:
            self.message.emit("info", text.nothing_to_undo())
            return
        record = self._undoable[-1]
        if record.decision is not None and self._clock() - record.decision.decided_at > UNDO_WINDOW:
            minutes = int(UNDO_WINDOW.total_seconds() // 60)
            self.message.emit("warning", text.undo_too_old(minutes))
            self._undoable.clear()
            self.undoAvailable.emit(False)
            return
        self._undoable.pop()
        item_id = record.case.item.id
        review, reviewer, ledger, owned = self._review, self.reviewer, self._ledger, self._owned

        def work() -> ReviewCase:
            d = ledger.get(item_id)
            if d is None:
                raise UndoNotAllowed(text.undo_not_recorded())
            review.undo(d.id, reviewer)
            owned.add(item_id)
            ledger.pop(item_id, None)
            return review.case(item_id)

        self._tasks.db(
            work,
            lambda case: self._undone(record, case),
            on_error=lambda exc: self._undo_failed(record, exc),
            essential=True,
        )
        self.undoAvailable.emit(bool(self._undoable))

    def can_undo(self) -> bool:
        return bool(self._undoable)

    def stats(self) -> SessionStats:
        held = len(self.ahead) + (1 if self.current else 0)
        pending = self.watch.pending(self.queue)
        per_hour = None
        if self._started is not None and self.reviewed >= RATE_AFTER:
            # At least a minute of session time, so the first quick decisions do not promise a wild rate.
            hours = max(time.monotonic() - self._started, 60.0) / 3600
            per_hour = self.reviewed / hours
        position = self.reviewed + len(self._in_flight) + (1 if self.current else 0)
        return SessionStats(
            position, self.reviewed + len(self._in_flight) + held + pending, self.reviewed, per_hour
        )

    def held_ids(self) -> set[int]:
        ids = {c.item.id for c in self.ahead}
        if self.current is not None:
            ids.add(self.current.item.id)
        return ids

    # -- internals: showing and claiming ------------------------------------------------------------

    def _advance(self) -> None:
        self.current = self.ahead.popleft() if self.ahead else None
        self._show_current()
        self._fill(delay_ms=AFTER_PAINT_MS)

    def _show_current(self) -> None:
        if self.current is not None:
            if self._started is None:
                self._started = time.monotonic()
            self._set_state("reviewing")
        elif self._exhausted and not self._claiming:
            self._set_state("empty")
        else:
            self._set_state("loading")
        self.caseChanged.emit(self.current)
        self.statsChanged.emit()

    def _fill(self, delay_ms: int = 0) -> None:
        if self._closed or self.queue is None or self._claiming or self._exhausted or self.refusal:
            return
        held = len(self.ahead) + (1 if self.current else 0)
        if held > self._depth:
            return
        exclude = self.held_ids() | set(self._in_flight) | self._skipped
        queue, reviewer, review, gen = self.queue, self.reviewer, self._review, self._gen
        self._claiming = True
        self._tasks.db(
            lambda: self._claim(review, queue, reviewer, exclude),
            lambda case: self._claimed(gen, case),
            on_error=lambda exc: self._claim_failed(gen, exc),
            group="claim",
            delay_ms=delay_ms,
        )

    def _claimed(self, gen: int, case: ReviewCase | None) -> None:
        if gen != self._gen or self._closed:
            if case is not None:
                self._release_ids([case.item.id])
            return
        self._claiming = False
        if case is not None:
            self.watch.note_claimed()
        if case is None:
            self._exhausted = True
            if self.current is None:
                self._show_current()
            self.statsChanged.emit()
            return
        if self.current is None:
            self.current = case
            self._show_current()
        else:
            self.ahead.append(case)
            self.prefetched.emit(case)
            self.statsChanged.emit()
        if len(self.ahead) >= self._depth:
            self.watch.refresh_soon()  # the claims changed what is pending
        self._fill()

    def _claim_failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen or self._closed:
            return
        self._claiming = False
        if isinstance(exc, PermissionDenied):
            # A refusal is final for this queue: said once (the service logged it once), never retried;
            # opening another queue starts afresh.
            self.refusal = str(exc)
            self.message.emit("error", self.refusal)
            if self.current is None:
                self._set_state("refused")
            return
        # With an item on screen the person can go on working: a warning, not an error.
        level = "error" if self.current is None else "warning"
        self._report(exc, text.next_failed(), level)
        self._retry_timer.start()
        if self.current is None:
            self._set_state("loading")

    def _got_counts(self, counts: list[QueueCount]) -> None:
        self.countsChanged.emit(counts)
        if self._exhausted and self.watch.pending(self.queue) > 0:
            self._exhausted = False  # new work arrived (an import, a released claim)
            self._fill()
        self.statsChanged.emit()

    def _claims_lost(self, lost: list[int]) -> None:
        self.ahead = deque(c for c in self.ahead if c.item.id not in lost)
        if self.current is not None and self.current.item.id in lost:
            self.message.emit("warning", text.taken_over(self.current.listing.external_id))
            self._advance()
        else:
            self._fill()

    def _claim(
        self, review: ReviewService, queue: str, reviewer: str, exclude: set[int]
    ) -> ReviewCase | None:
        """Runs on the database thread."""
        case = review.claim_next(queue, reviewer, exclude=exclude)
        if case is not None:
            self._owned.add(case.item.id)
        return case

    def _releaser(self) -> Callable[[list[int] | None], int]:
        """A function for the database thread: give back ``ids`` (None: every item still owned)."""
        review, reviewer, owned = self._review, self.reviewer, self._owned

        def release(ids: list[int] | None) -> int:
            todo = sorted(owned) if ids is None else ids
            for item_id in todo:
                review.release(item_id, reviewer)
                owned.discard(item_id)
            return len(todo)

        return release

    def _release_held(self, *, everything: bool = False) -> None:
        ids = sorted(self.held_ids())
        self.ahead.clear()
        if ids or everything:
            self._release_ids(None if everything else ids)

    def _release_ids(self, ids: list[int] | None) -> None:
        release = self._releaser()
        self._tasks.db(
            lambda: release(ids),
            on_error=lambda exc: self._report(exc, text.release_failed()),
            essential=True,
        )

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    # -- internals: decision results ----------------------------------------------------------------

    def _decided(self, record: _Decided, decision: DecisionInfo) -> None:
        record.decision = decision
        self._in_flight.pop(record.case.item.id, None)
        self.reviewed += 1
        self.message.emit("success", text.decided(decision.action, record.case.listing.external_id))
        self.statsChanged.emit()
        self.watch.refresh_soon()

    def _decide_failed(self, record: _Decided, exc: BaseException) -> None:
        self._in_flight.pop(record.case.item.id, None)
        if record in self._undoable:
            self._undoable.remove(record)
        self.undoAvailable.emit(bool(self._undoable))
        ext = record.case.listing.external_id
        if isinstance(exc, ClaimLost | AlreadyDecided | NotFound):
            self.message.emit("error", text.not_recorded(ext, str(exc)))
            return
        if self._closed:
            return
        # Put it back on screen, as the person left it; Enter tries again.
        if self.current is not None:
            self.ahead.appendleft(self.current)
        self.current = record.case
        self._show_current()
        self.decisionRestored.emit(record.pending)
        reason = str(exc) if isinstance(exc, WorkstationError) else text.bug()
        self.message.emit("error", text.not_saved(ext, reason))

    def _undone(self, record: _Decided, case: ReviewCase) -> None:
        if self._closed:
            self._release_ids([case.item.id])
            return
        self.reviewed = max(0, self.reviewed - 1)
        if self.current is not None:
            self.ahead.appendleft(self.current)
        self.current = case
        self._show_current()
        self.message.emit("info", text.undone(case.listing.external_id))
        self.watch.refresh_soon()

    def _undo_failed(self, record: _Decided, exc: BaseException) -> None:
        if not isinstance(exc, UndoNotAllowed | NotFound):
            self._undoable.append(record)  # e.g. the database was unreachable: Ctrl+Z may be tried again
            self.undoAvailable.emit(True)
        self._report(exc, text.undo_failed())

    def _report(self, exc: BaseException, what: str, level: str = "error") -> None:
        if isinstance(exc, WorkstationError):
            self.message.emit(level, f"{what}: {exc}")
        else:
            self.message.emit("error", f"{what}: " + text.bug())
