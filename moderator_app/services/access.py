"""Who may do what: the one place services resolve the name they are given to a principal and check it.

Services keep taking the acting person's name (the reviewer string). Inside their own transaction they
call :meth:`Access.require`: with no account in the database the name is taken as given (unmanaged,
single-user mode); otherwise it must be an enabled account whose roles grant the right (and, for queue
work, whose roles may see the queue). A refusal is a :class:`PermissionDenied` with a sentence for the
person, and it is itself written to the audit log, in a transaction of its own because the refused
one rolls back (:meth:`Access.guard`).

The name is trusted to be the one the window or the command line authenticated (login dialog,
``--user`` with a password). Anyone holding the database credentials can bypass every service; the
audit log's hash chain is what makes such changes visible.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from moderator_app.domain.accounts.rights import PERSON_ONLY
from moderator_app.domain.accounts.roles import (
    PermissionDenied,
    Principal,
    QueuePolicy,
    Right,
    check_permission,
    parse_queue_policy,
)
from moderator_app.domain.dsa.sor import is_automated_actor
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.paths import resources_dir
from moderator_app.services.clock import Clock, system_clock
from moderator_app.storage.accounts import account_repo
from moderator_app.storage.db import Database
from moderator_app.storage.supervision import audit_repo
from moderator_app.storage.unit import UnitOfWork
from moderator_app.storage.unit_of_work import UnitOfWork as Transaction

log = logging.getLogger(__name__)


class AccessRefused(PermissionDenied):
    """A refusal that still has to be written to the audit log (see :meth:`Access.guard`)."""

    def __init__(self, message: str, actor: str, right: str, queue: str | None = None) -> None:
        super().__init__(message)
        self.actor, self.right, self.queue = actor, right, queue
        self.logged = False


@lru_cache(maxsize=1)
def shipped_queue_policy() -> QueuePolicy:
    return parse_queue_policy((resources_dir() / "roles.json").read_text(encoding="utf-8"))


class Access:
    def __init__(self, db: Database, clock: Clock = system_clock, queues: QueuePolicy | None = None) -> None:
        self._db = db
        self._clock = clock
        self.queues = queues if queues is not None else shipped_queue_policy()

    # -- inside a service's transaction ---------------------------------------------------------------

    def principal(self, s: Transaction | UnitOfWork, name: str, right: str = "") -> Principal:
        """``s``: the service's unit of work (or, for services not yet on units of work, its Session):
        the check runs inside the transaction of the change it guards."""
        p = (
            s.accounts.principal_of(name)
            if isinstance(s, Transaction)
            else account_repo.principal_of(s, name)
        )
        if p is None:
            raise AccessRefused(
                f"{name} is not an enabled account of this workstation: log in with your own account",
                name,
                right,
            )
        return p

    def require(
        self, s: Transaction | UnitOfWork, name: str, right: str, *, queue: str | None = None
    ) -> Principal:
        """The principal acting as ``name``, if its roles grant ``right`` (and may see ``queue``).

        A right of :data:`PERSON_ONLY` (deciding a complaint, confirming a measure...) is refused to an
        automated actor's name whatever the database holds: the law never lets software do it alone."""
        if right in PERSON_ONLY and is_automated_actor(name):
            raise AccessRefused(
                f"{name} is not a person: {str(right).replace('_', ' ')} needs one", name, right
            )
        p = self.principal(s, name, right)
        try:
            check_permission(p, right)
            if queue is not None:
                self.queues.check(p, queue)
        except PermissionDenied as exc:
            raise AccessRefused(str(exc), name, right, queue) from None
        return p

    def granted(self, actor: str | None, right: str) -> Access:
        """An Access for a job that ``actor`` runs as a whole by ``right`` (the demo's replayed history,
        whose decisions carry the demo reviewers' names): checked once here, refusal logged; inside the
        job the names it acts under are taken as given."""
        name = (actor or "").strip() or "(no name)"
        with self.guard(), self._db.read() as s:
            self.require(s, name, right)
        return _Granted(self._db, self._clock, self.queues)

    def visible(self, p: Principal, queue: str) -> bool:
        return self.queues.may_see(p, queue)

    # -- refusals -------------------------------------------------------------------------------------

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Wrap a service's transaction: a refusal raised inside is logged once it has rolled back."""
        try:
            yield
        except AccessRefused as exc:
            self.log_refusal(exc)
            raise

    def log_refusal(self, exc: AccessRefused) -> None:
        if exc.logged:
            return
        exc.logged = True
        log.warning("refused: %s", exc)
        with self._db.write() as s:
            audit_repo.append(
                s,
                EventDraft(
                    actor=exc.actor[:100],
                    action=AuditAction.ACCESS_REFUSED,
                    subject=f"right:{exc.right}",
                    queue=exc.queue,
                    detail=str(exc),
                ),
                self._clock(),
            )

    # -- personal data of notifiers and complainants (``PersonalDataGate`` of the DSA services) ---------

    def may_see(self, viewer: str | None) -> bool:
        """Whether ``viewer`` may see notifiers' and complainants' names and e-mail addresses. An internal
        caller (None) sees them only while the database has no accounts."""
        with self._db.read() as s:
            if viewer is None:
                return not account_repo.any_user(s)
            p = account_repo.principal_of(s, viewer)
            return p is not None and p.may(Right.VIEW_PERSONAL_DATA)

    def require_see(self, viewer: str | None, what: str) -> None:
        """Refuse (and log the refusal) unless ``viewer`` may see personal data: for ``what`` (a search by
        a notifier's name, say) that would tell it even with the names withheld."""
        if self.may_see(viewer):
            return
        with self.guard():
            name = viewer or "(no name)"
            with self._db.read() as s:
                p = account_repo.principal_of(s, name) or Principal(name)
            try:
                check_permission(p, Right.VIEW_PERSONAL_DATA)
            except PermissionDenied as exc:
                raise AccessRefused(f"{exc} ({what})", name, Right.VIEW_PERSONAL_DATA) from None
            raise AccessRefused(f"{name} may not {what}", name, Right.VIEW_PERSONAL_DATA)

    def shown(self, viewer: str, subject: str, records: int) -> None:
        """Record that a read showed ``viewer`` the personal data of ``records`` records (call it after the
        read's transaction has ended)."""
        if records <= 0:
            return
        with self._db.write() as s:
            audit_repo.append(
                s,
                EventDraft(
                    actor=viewer[:100],
                    action=AuditAction.PERSONAL_DATA_READ,
                    subject=subject[:120],
                    after={"records": records},
                ),
                self._clock(),
            )


class _Granted(Access):
    """See :meth:`Access.granted`: every name is taken as given, as on a database without accounts."""

    def principal(self, s: Transaction | UnitOfWork, name: str, right: str = "") -> Principal:
        return Principal(name, frozenset(), managed=False)
