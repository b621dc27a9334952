"""The message bus: domain events to their handlers, inside the transaction that emitted them.

Handlers are registered in the composition root (services/bootstrap.py), never by module globals, in
the order they must run: for a decision, the statement of reasons (which may refuse it), then the
strike and counters, then quality sampling and the audit event. A handler may emit further events;
they are handled in turn, before the commit. An exception from any handler rolls the whole unit of
work back, the service's own change included.

Modelled on cosmicpython's ``messagebus.py``: a dict from event type to a list of handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from moderator_app.domain.events import Event
from moderator_app.storage.db import Database
from moderator_app.storage.unit_of_work import UnitOfWork, unit_of_work

E = TypeVar("E", bound=Event)
Handler = Callable[[UnitOfWork, E], None]


class MessageBus:
    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Callable[[UnitOfWork, Event], None]]] = {}

    def register(self, event_type: type[E], handler: Callable[[UnitOfWork, E], None]) -> None:
        self._handlers.setdefault(event_type, []).append(handler)  # type: ignore[arg-type]

    def handlers_of(self, event_type: type[Event]) -> list[Callable[[UnitOfWork, Event], None]]:
        return list(self._handlers.get(event_type, ()))

    def drain(self, tx: UnitOfWork) -> None:
        """Run the handlers of every event the unit of work has emitted, including those the handlers
        emit themselves."""
        while (event := tx.next_event()) is not None:
            for handler in self._handlers.get(type(event), ()):
                handler(tx, event)


class Transactions:
    """Units of work over one database whose events go through one bus: what services are given."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self.db = db
        self.bus = bus

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """Commits when the block ends, after the handlers of its events have run; rolls back on any
        error, in the block or in a handler."""
        with unit_of_work(self.db, write=True) as tx:
            yield tx
            self.bus.drain(tx)

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        with unit_of_work(self.db, write=False) as tx:
            yield tx
