"""The one bridge between the GUI thread and the workers (after Anki's ``TaskManager``).

One manager per window, with named executors:

- ``WRITER``: one thread, so the reviewer's own decisions, undos and claims run (and are delivered) in
  the order they were asked for; each service call opens its own session. ``db()`` submits here.
- ``READS``: a small pool for reads that may run beside the writer and each other (the predictions of
  the shown listing, dashboards); ``reads()``.
- ``IMAGE``: image decoding; ``image()``.
- ``INFERENCE``: the models (scoring the shown listing beside the one scoring-ahead job), so a model
  run never holds up a decision or a decode; ``inference()``.

Workers return plain data or QImages; results come back to the GUI thread through a queued signal, and
callbacks always run there. Work can be grouped: a new job with ``latest_wins`` cancels the unfinished
jobs of its group (moving to another image cancels the decodes of the one left behind).
"""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from moderator_app.domain.errors import WorkstationError

log = logging.getLogger(__name__)

RETIRED_KEEP = 256
"""Finished runnables kept alive a while (see TaskManager._forget)."""

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Executor(Enum):
    WRITER = "writer"
    READS = "reads"
    IMAGE = "image"
    INFERENCE = "inference"


@dataclass(eq=False)
class Ticket:
    """A submitted job: cancel it, or ask whether it is still wanted."""

    id: int
    group: str | None
    essential: bool
    on_done: Callback | None
    on_error: ErrorCallback | None
    cancelled: bool = False
    runnable: QRunnable | None = field(default=None, repr=False)

    def cancel(self) -> None:
        self.cancelled = True


class _Relay(QObject):
    """Lives on the GUI thread; workers emit through it, so delivery is queued there.

    Only the ticket id crosses the signal; the outcome waits in :attr:`outcomes` (a dict guarded by a lock).
    Passing Python objects through queued signals, ``None`` above all, has leaked references in some
    PySide6 releases, which ended in "deallocating None" aborts after a few hundred jobs.

    Signals: finished(ticket_id).
    """

    finished = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.outcomes: dict[int, tuple[bool, object]] = {}

    def post(self, ticket_id: int, ok: bool, payload: object) -> None:
        with self._lock:
            self.outcomes[ticket_id] = (ok, payload)
        self.finished.emit(ticket_id)

    def take(self, ticket_id: int) -> tuple[bool, object]:
        with self._lock:
            return self.outcomes.pop(ticket_id, (False, None))


class _Job(QRunnable):
    def __init__(self, ticket: Ticket, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the manager keeps the Python object until the result is delivered
        self._ticket = ticket
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        if self._ticket.cancelled:
            self._relay.post(self._ticket.id, False, None)
            return
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what the person sees
            if not isinstance(exc, WorkstationError):
                log.exception("background job failed")
            self._relay.post(self._ticket.id, False, exc)
            return
        self._relay.post(self._ticket.id, True, result)


class TaskManager(QObject):
    """Runs work off the GUI thread and calls back on it.

    Signals:
        failed(BaseException): a job without its own error callback failed.
        idle(): the last pending job was delivered (or dropped).
    """

    failed = Signal(object)
    idle = Signal()

    _instances: ClassVar[weakref.WeakSet[TaskManager]] = weakref.WeakSet()
    """Live managers, so the test suite can prove no work was left running; not a service locator."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        db_threads: int = 1,
        read_threads: int = 2,
        image_threads: int = 2,
        inference_threads: int = 2,
    ) -> None:
        """``db_threads`` above 1 gives up the writer's order (only tests that want a pool do that)."""
        super().__init__(parent)
        threads = {
            Executor.WRITER: db_threads,
            Executor.READS: read_threads,
            Executor.IMAGE: image_threads,
            Executor.INFERENCE: inference_threads,
        }
        self._pools: dict[Executor, QThreadPool] = {}
        for executor, count in threads.items():
            pool = QThreadPool(self)
            pool.setObjectName(f"tasks-{executor.value}")
            pool.setMaxThreadCount(count)
            self._pools[executor] = pool
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._live: dict[int, Ticket] = {}
        self._held: dict[int, tuple[_Job, int]] = {}
        self._retired: deque[QRunnable] = deque(maxlen=RETIRED_KEEP)
        self._pool_of: dict[int, Executor] = {}
        self._writer_order: deque[int] = deque()  # writer jobs not started yet, in submission order
        self._writer_ready: set[int] = set()  # ... of which these have waited out their delay_ms
        self._ids = itertools.count(1)
        self._closed = False
        TaskManager._instances.add(self)

    # -- submitting ---------------------------------------------------------------------------------

    def run(
        self,
        executor: Executor,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        group: str | None = None,
        latest_wins: bool = False,
        essential: bool = False,
        priority: int = 0,
        delay_ms: int = 0,
    ) -> Ticket:
        """Run ``fn()`` on ``executor``; ``on_done(result)`` or ``on_error(exc)`` later on the GUI thread.

        ``essential`` jobs (decisions, releases) are never cancelled, not even by :meth:`shutdown`.
        ``delay_ms`` holds the job back that long first: work started by a key press waits until the
        window has painted its answer, so a worker holding the GIL never delays that paint. On the
        writer a held job keeps its place: later writer jobs wait behind it (an undo pressed while its
        decision is still held back runs after that decision), and ``priority`` is not used there.
        """
        if self._closed and not essential:
            raise RuntimeError("the task manager is shut down")
        if latest_wins and group is not None:
            self.cancel_group(group)
        ticket = Ticket(next(self._ids), group, essential, on_done, on_error)
        job = _Job(ticket, fn, self._relay)
        ticket.runnable = job
        self._live[ticket.id] = ticket
        self._pool_of[ticket.id] = executor
        self._held[ticket.id] = (job, priority)
        if executor is Executor.WRITER:
            self._writer_order.append(ticket.id)
        if delay_ms > 0:
            QTimer.singleShot(delay_ms, self, lambda: self._release_held(ticket.id))
        else:
            self._start(ticket.id)
        return ticket

    def _release_held(self, ticket_id: int) -> None:
        ticket = self._live.get(ticket_id)
        if ticket_id not in self._held or ticket is None:
            return
        if ticket.cancelled:
            self._drop_held(ticket_id)
            return
        self._start(ticket_id)

    def _start(self, ticket_id: int) -> None:
        """The job has waited out its delay: start it (on the writer: once every earlier job started)."""
        executor = self._pool_of[ticket_id]
        if executor is Executor.WRITER:
            self._writer_ready.add(ticket_id)
            self._pump_writer()
            return
        job, priority = self._held.pop(ticket_id)
        self._pools[executor].start(job, priority)

    def _pump_writer(self) -> None:
        # One thread and equal priorities: the pool runs what it is given first-in first-out, so
        # handing jobs over in submission order keeps the reviewer's writes in order.
        while self._writer_order and self._writer_order[0] in self._writer_ready:
            ticket_id = self._writer_order.popleft()
            self._writer_ready.discard(ticket_id)
            job, _priority = self._held.pop(ticket_id)
            self._pools[Executor.WRITER].start(job, 0)

    def _drop_held(self, ticket_id: int) -> None:
        """Forget a job that never reached a pool (cancelled while held back or waiting its turn)."""
        self._held.pop(ticket_id, None)
        if ticket_id in self._writer_ready or ticket_id in self._writer_order:
            self._writer_ready.discard(ticket_id)
            self._writer_order.remove(ticket_id)
        self._forget(ticket_id)
        self._pump_writer()

    def db(self, fn: Callable[[], Any], on_done: Callback | None = None, **kw: Any) -> Ticket:
        """On the ordered writer: jobs run one at a time, in the order submitted (priority 0)."""
        return self.run(Executor.WRITER, fn, on_done, **kw)

    def reads(self, fn: Callable[[], Any], on_done: Callback | None = None, **kw: Any) -> Ticket:
        return self.run(Executor.READS, fn, on_done, **kw)

    def image(self, fn: Callable[[], Any], on_done: Callback | None = None, **kw: Any) -> Ticket:
        return self.run(Executor.IMAGE, fn, on_done, **kw)

    def inference(self, fn: Callable[[], Any], on_done: Callback | None = None, **kw: Any) -> Ticket:
        return self.run(Executor.INFERENCE, fn, on_done, **kw)

    def threads(self, executor: Executor) -> int:
        return self._pools[executor].maxThreadCount()

    # -- cancelling ---------------------------------------------------------------------------------

    def cancel(self, ticket: Ticket) -> None:
        if ticket.essential or ticket.id not in self._live:
            return
        ticket.cancel()
        if ticket.id in self._held:
            self._drop_held(ticket.id)  # still held back: it never reaches a pool
            return
        pool = self._pools[self._pool_of[ticket.id]]
        if ticket.runnable is not None and pool.tryTake(ticket.runnable):
            self._forget(ticket.id)  # never started: nothing will be delivered

    def cancel_group(self, group: str) -> None:
        for ticket in [t for t in self._live.values() if t.group == group]:
            self.cancel(ticket)

    # -- state --------------------------------------------------------------------------------------

    def pending(self, group: str | None = None) -> int:
        """Jobs submitted and not yet delivered (or dropped)."""
        if group is None:
            return len(self._live)
        return sum(1 for t in self._live.values() if t.group == group)

    def held(self) -> int:
        """Jobs not handed to a pool yet: held back by ``delay_ms``, or on the writer behind such a job."""
        return len(self._held)

    def active_threads(self) -> int:
        return sum(p.activeThreadCount() for p in self._pools.values())

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel what may be cancelled, wait for the rest (decisions in flight are finished, not lost).

        Results still queued for delivery are dropped: the window is going away. True when every
        worker finished within the timeout.
        """
        self._closed = True
        for ticket in list(self._live.values()):
            self.cancel(ticket)
        for ticket_id in list(self._held):  # essential work still held back starts now
            self._release_held(ticket_id)
        done = all(pool.waitForDone(timeout_ms) for pool in self._pools.values())
        for ticket_id in list(self._live):
            self._relay.take(ticket_id)
            self._forget(ticket_id)
        if done:
            self._retired.clear()  # every worker has left its run()
        return done

    # -- delivery (GUI thread) ----------------------------------------------------------------------

    @Slot(int)
    def _deliver(self, ticket_id: int) -> None:
        ok, payload = self._relay.take(ticket_id)
        ticket = self._live.get(ticket_id)
        if ticket is None:
            return
        self._forget(ticket_id)
        if not ticket.cancelled:
            if ok:
                if ticket.on_done is not None:
                    ticket.on_done(payload)
            elif isinstance(payload, BaseException):
                if ticket.on_error is not None:
                    ticket.on_error(payload)
                else:
                    self.failed.emit(payload)

    def _forget(self, ticket_id: int) -> None:
        ticket = self._live.pop(ticket_id, None)
        self._pool_of.pop(ticket_id, None)
        if ticket is not None and ticket.runnable is not None:
            # The result can arrive while the worker is still returning from run(): dropping the last
            # reference now would delete the C++ runnable under it. Keep it until many jobs later.
            self._retired.append(ticket.runnable)
            ticket.runnable = None
        if not self._live:
            self.idle.emit()
