"""Accounts: adding, disabling and changing users, and logging in with a growing wait after failures.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommendation:
:func:`strong_hasher`) and never stored, returned or logged in clear. Hashing takes a noticeable
fraction of a second on purpose, so it runs outside any transaction. Failed logins in a row are counted per name (known or not) in
the database: after three, the name must wait 30 s, then 1 min, 2 min ... up to 30 minutes, across
restarts. Every login, refused login and change to an account is an audit event.

The first account (on a database without any) needs no permission and must be an administrator; from
then on only administrators manage accounts, and the last enabled administrator cannot be disabled.
Making the first account also marks the database as managed, once and for good: a database whose
accounts were all removed (outside the workstation) is refused rather than opened in single-user mode,
and :meth:`AccountService.recover_admin` is the way back, audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from moderator_app.domain.accounts.roles import (
    LoginRefused,
    Principal,
    Right,
    Role,
    UserInfo,
    lockout_for,
    parse_roles,
    password_problem,
    valid_user_name,
    wait_text,
)
from moderator_app.domain.errors import InvalidInput, NotFound
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.storage.accounts import account_repo
from moderator_app.storage.db import Database
from moderator_app.storage.supervision import audit_repo
from moderator_app.storage.unit import UnitOfWork

log = logging.getLogger(__name__)


def strong_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults: RFC 9106's second recommendation (3 passes, 64 MiB, 4 lanes)."""
    return PasswordHasher()


DEFAULT_HASHER = strong_hasher()
"""What an AccountService hashes with unless it is given a hasher. Always the strong one in the app;
tests/conftest.py swaps in a cheap one for the test run only (tests/services/accounts/test_accounts.py checks
that a fresh interpreter gets the strong one)."""

_DUMMY_PASSWORD = "not a password of anyone: evens out the time of unknown names"

SHIPPED_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$U4lp20M8RhsfCY8Qz6AN8w$iiEeAVvu1Gj3jQPPNEE62/DgEmKNAAB/hG5O5n0dNJo"
)
"""The hash unknown names are checked against, made once with argon2-cffi's default parameters (of a
random password nobody knows): hashing it at import cost every command-line start one argon2 hash
(issue 10). Used while the hasher's parameters are those; another hasher makes its own on first use."""


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class AccountService:
    def __init__(
        self,
        db: Database,
        clock: Clock = system_clock,
        access: Access | None = None,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)
        self._hasher = hasher or DEFAULT_HASHER
        self._dummy: str | None = None

    def _dummy_hash(self) -> str:
        """A hash of nobody's password, checked for unknown names so they take as long as known ones
        (made on first use, outside any transaction: hashing on import would slow every command's
        start; only the first unknown name of a process takes one hash longer)."""
        if self._dummy is None:
            if not self._hasher.check_needs_rehash(SHIPPED_DUMMY_HASH):
                self._dummy = SHIPPED_DUMMY_HASH
            else:
                self._dummy = self._hasher.hash(_DUMMY_PASSWORD)
        return self._dummy

    def managed(self) -> bool:
        """Whether accounts exist (then every name must log in and is checked)."""
        with self._db.read() as s:
            return account_repo.any_user(s)

    def users(self, actor: str) -> list[UserInfo]:
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.MANAGE_USERS)
            return account_repo.all_users(s)

    def principal(self, name: str) -> Principal | None:
        """Who ``name`` is (unmanaged without accounts; None for an unknown or disabled name). For
        showing or hiding what a person may use; the services check again."""
        with self._db.read() as s:
            return account_repo.principal_of(s, name)

    def user(self, name: str) -> UserInfo:
        with self._db.read() as s:
            u = account_repo.by_name(s, name)
            if u is None:
                raise NotFound(f"no account {name}")
            return account_repo.info(u, account_repo.throttle_of(s, name))

    # -- changes --------------------------------------------------------------------------------------

    def add(self, name: str, password: str, roles: Iterable[str], actor: str) -> UserInfo:
        """Add an account. On a database without accounts the first one needs no permission and must be
        an administrator (it ends the unmanaged mode)."""
        name = valid_user_name(name)
        wanted = parse_roles(roles)
        problem = password_problem(password, name)
        if problem:
            raise InvalidInput(problem)
        hashed = self._hasher.hash(password)
        now = self._clock()
        with self._access.guard(), self._db.write() as s:
            first = not account_repo.any_user(s)
            if first:
                if Role.ADMIN not in wanted:
                    raise InvalidInput("the first account must be an administrator (role admin)")
                actor = actor or name
            else:
                self._access.require(s, actor, Right.MANAGE_USERS)
            if account_repo.by_name(s, name) is not None:
                raise InvalidInput(f"an account {name} exists already")
            u = account_repo.add(s, name, hashed, wanted, actor, now)
            if first:
                account_repo.mark_managed(s, now, actor)
            self._event(s, actor, AuditAction.USER_ADD, name, None, {"roles": u.roles, "disabled": False})
            return account_repo.info(u, None)

    def recover_admin(self, name: str, password: str, operator: str) -> UserInfo:
        """Make ``name`` an enabled administrator with a new password, without logging in: for whoever
        holds the database file or its credentials when no enabled administrator is left (all accounts
        removed, or every administrator disabled). Refused while one exists (they manage accounts).
        Written to the audit log as ``user_recover`` by ``recover-admin:<operator>``."""
        name = valid_user_name(name)
        problem = password_problem(password, name)
        if problem:
            raise InvalidInput(problem)
        hashed = self._hasher.hash(password)
        now = self._clock()
        actor = f"recover-admin:{(operator or '?').strip()}"[:100]
        with self._db.write() as s:
            admins = account_repo.enabled_with_role(s, Role.ADMIN)
            if admins:
                raise InvalidInput(
                    f"this database has an enabled administrator ({', '.join(admins[:3])}): recover-admin "
                    "is only for a database with none; an administrator adds or resets accounts"
                )
            u = account_repo.by_name(s, name, for_update=True)
            before: dict[str, object] | None = None
            if u is None:
                u = account_repo.add(s, name, hashed, frozenset({Role.ADMIN}), actor, now)
            else:
                before = {"roles": u.roles, "disabled": u.disabled}
                u.roles = account_repo.roles_text(account_repo.roles_of(u) | {Role.ADMIN})
                u.disabled = False
                u.password_hash, u.password_changed_at = hashed, now
                account_repo.clear_failures(s, name)
            account_repo.mark_managed(s, now, actor)
            after = {"roles": u.roles, "disabled": False, "password": "set"}
            self._event(
                s, actor, AuditAction.USER_RECOVER, name, before, after, detail="administrator recovered"
            )
            log.warning("administrator %r recovered by %s", name, actor)
            return account_repo.info(u, None)

    def set_roles(self, name: str, roles: Iterable[str], actor: str) -> UserInfo:
        wanted = parse_roles(roles)
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, actor, Right.MANAGE_USERS)
            u = self._user(s, name)
            before = u.roles
            if Role.ADMIN.value in before.split(",") and Role.ADMIN not in wanted:
                self._keep_an_admin(s, u.name)
            u.roles = account_repo.roles_text(wanted)
            self._event(s, actor, AuditAction.USER_ROLES, name, {"roles": before}, {"roles": u.roles})
            return account_repo.info(u, account_repo.throttle_of(s, name))

    def disable(self, name: str, actor: str, *, disabled: bool = True) -> UserInfo:
        with self._access.guard(), self._db.write() as s:
            self._access.require(s, actor, Right.MANAGE_USERS)
            u = self._user(s, name)
            if disabled and not u.disabled and Role.ADMIN.value in u.roles.split(","):
                self._keep_an_admin(s, u.name)
            before = u.disabled
            u.disabled = disabled
            action = AuditAction.USER_DISABLE if disabled else AuditAction.USER_ENABLE
            self._event(s, actor, action, name, {"disabled": before}, {"disabled": disabled})
            return account_repo.info(u, account_repo.throttle_of(s, name))

    def set_password(
        self, name: str, new_password: str, actor: str, *, old_password: str | None = None
    ) -> None:
        """Change a password: one's own with the old password, anyone's as an administrator (a reset,
        which also clears the login wait)."""
        problem = password_problem(new_password, name)
        if problem:
            raise InvalidInput(problem)
        own = actor == name
        if own and old_password is None:
            raise InvalidInput("give your current password to change it")
        with self._db.read() as s:
            u = account_repo.by_name(s, name)
            stored = u.password_hash if u is not None else None
        if stored is None:
            stored = self._dummy_hash()
        if own and not _verify(self._hasher, stored, old_password or ""):
            raise LoginRefused("the current password is wrong; nothing was changed")
        hashed = self._hasher.hash(new_password)
        with self._access.guard(), self._db.write() as s:
            if not own:
                self._access.require(s, actor, Right.MANAGE_USERS)
            u = self._user(s, name)
            u.password_hash = hashed
            u.password_changed_at = self._clock()
            account_repo.clear_failures(s, name)
            self._event(s, actor, AuditAction.USER_PASSWORD, name, None, {"password": "changed"})

    # -- logging in -----------------------------------------------------------------------------------

    def login(self, name: str, password: str) -> Principal:
        """The principal of ``name`` if the password is right; LoginRefused (logged) otherwise.

        The attempt is counted (and the wait it would start set) in one write transaction *before* the
        slow password check, so guesses made in parallel are held to the same limit as guesses made one
        after another: after three failures in a row exactly one more is checked, the rest wait.
        """
        name = (name or "").strip()[:100]
        now = self._clock()
        wait = ""
        with self._db.write() as s:
            attempt = account_repo.begin_attempt(s, name, now, lockout_for)
            if not attempt.allowed:
                wait = wait_text(((attempt.locked_until or now) - now).total_seconds())
                self._refusal_event(s, name, f"too many failed logins: wait {wait}", None)
                stored, found, disabled = "", False, False
            else:
                u = account_repo.by_name(s, name)
                stored = u.password_hash if u is not None else self._dummy_hash()
                found = u is not None
                disabled = u is not None and u.disabled
        if not attempt.allowed:
            log.warning("login refused for %r: too many failed logins", name)
            raise LoginRefused(
                f"too many failed logins for {name}: try again in {wait}", attempt.locked_until
            )
        # The same check, the same work and the same answer for an unknown name, a wrong password and a
        # disabled account: a refusal that said "disabled" would confirm the password was right. Only
        # the audit log (read by supervisors and administrators) says which it was.
        ok = _verify(self._hasher, stored, password) and found
        if not ok or disabled:
            reason = "account disabled" if ok and disabled else "wrong name or password"
            log.warning("login refused for %r", name)
            with self._db.write() as s:
                self._refusal_event(s, name, reason, attempt.failures)
            message = "wrong name or password"
            locked = attempt.locked_until
            if locked is not None:
                message += f"; too many failures: wait {wait_text((locked - now).total_seconds())}"
            raise LoginRefused(message, locked)
        with self._db.write() as s:
            row = self._user(s, name)
            row.last_login_at = now
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
            account_repo.clear_failures(s, name)
            self._event(s, name, AuditAction.LOGIN, name, None, None)
            return Principal(name, account_repo.roles_of(row))

    def _refusal_event(self, s: UnitOfWork, name: str, reason: str, failures: int | None) -> None:
        self._event(
            s,
            name or "(no name)",
            AuditAction.LOGIN_REFUSED,
            name,
            None,
            {"failures_in_a_row": failures} if failures is not None else None,
            detail=reason,
        )

    # -- helpers --------------------------------------------------------------------------------------

    def _user(self, s: UnitOfWork, name: str) -> account_repo.UserRow:
        u = account_repo.by_name(s, name, for_update=True)
        if u is None:
            raise NotFound(f"no account {name}")
        return u

    def _keep_an_admin(self, s: UnitOfWork, name: str) -> None:
        if account_repo.count_enabled_with_role(s, Role.ADMIN) <= 1:
            raise InvalidInput(f"{name} is the last enabled administrator: add another one first")

    def _event(
        self,
        s: UnitOfWork,
        actor: str,
        action: AuditAction,
        name: str,
        before: dict[str, object] | None,
        after: dict[str, object] | None,
        detail: str = "",
    ) -> None:
        audit_repo.append(
            s,
            EventDraft(
                actor=actor[:100] or "(no name)",
                action=action,
                subject=f"user:{name}"[:120],
                before=before,
                after=after,
                detail=detail,
            ),
            self._clock(),
        )
