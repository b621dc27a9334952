"""One transaction and the repositories over it: what a service is handed instead of a Session.

``unit_of_work(db, write=True)`` yields a :class:`UnitOfWork`; the block commits when it ends
and rolls back entirely on any error. A service changes state through the repositories
(``tx.items``, ``tx.decisions``, ``tx.audit``...), which take and return domain values, and tells what
it changed with :meth:`UnitOfWork.emit`; the message bus (services/bus.py) hands the emitted events
to their handlers before the commit, in the same transaction.

Modelled on cosmicpython's ``unit_of_work.py`` (repositories on the unit, events collected on it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from moderator_app.domain.events import Event
from moderator_app.storage.accounts import account_repo
from moderator_app.storage.db import Database
from moderator_app.storage.dsa.notice_repositories import (
    ExportRepository,
    FlaggerRepository,
    MisuseRepository,
    OutboxRepository,
    PolicyRepository,
)
from moderator_app.storage.dsa.repositories import DsaRepository
from moderator_app.storage.media import MediaStore
from moderator_app.storage.predictions import prediction_repo
from moderator_app.storage.review.repositories import (
    DecisionRepository,
    ItemRepository,
    ListingRepository,
    StrikeRepository,
)
from moderator_app.storage.rows import Rows
from moderator_app.storage.supervision.repositories import AuditRepository, QualityRepository

if TYPE_CHECKING:
    from collections.abc import Collection

    from moderator_app.domain.accounts.roles import Principal


class AccountReader:
    def __init__(self, session: Session) -> None:
        self._s = session

    def principal_of(self, name: str) -> Principal | None:
        return account_repo.principal_of(self._s, name)

    def any_user(self) -> bool:
        """The database has accounts (a managed workstation)."""
        return account_repo.any_user(self._s)


class PredictionRecorder:
    def __init__(self, session: Session) -> None:
        self._s = session

    def record_shown(
        self, decision_id: int, listing_id: int, predictions: Collection[int], findings: Collection[int]
    ) -> None:
        """The predictions and text findings that were on screen when the decision was made."""
        prediction_repo.record_shown(self._s, decision_id, listing_id, predictions, findings)


class UnitOfWork:
    def __init__(self, session: Session, media: MediaStore) -> None:
        self.session = session
        """For storage functions not yet behind a repository (the read models). Services use the
        repositories below."""
        self.media = media
        rows = Rows(session)
        self.items = ItemRepository(rows)
        self.listings = ListingRepository(rows)
        self.decisions = DecisionRepository(rows)
        self.strikes = StrikeRepository(rows)
        self.predictions = PredictionRecorder(session)
        self.quality = QualityRepository(rows)
        self.audit = AuditRepository(rows)
        self.dsa = DsaRepository(rows)
        self.policies = PolicyRepository(rows)
        self.exports = ExportRepository(rows)
        self.misuse = MisuseRepository(rows)
        self.outbox = OutboxRepository(rows)
        self.flaggers = FlaggerRepository(rows)
        self.accounts = AccountReader(session)
        self._events: deque[Event] = deque()

    def emit(self, event: Event) -> None:
        """Tell the handlers what changed; they run before this unit commits."""
        self._events.append(event)

    def next_event(self) -> Event | None:
        return self._events.popleft() if self._events else None


@contextmanager
def unit_of_work(db: Database, *, write: bool = True) -> Iterator[UnitOfWork]:
    """A unit of work over ``db`` with its repositories; ``write=False`` is a read-only snapshot that
    is always rolled back."""
    with db.write() if write else db.read() as session:
        yield UnitOfWork(session, db.media)
