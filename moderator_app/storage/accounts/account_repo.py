"""Accounts and the login throttle, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from moderator_app.domain.accounts.roles import AccountsLost, Principal, Role, UserInfo
from moderator_app.storage.accounts.orm_accounts import DbFact, LoginThrottle, User

UserRow = User
"""The account row AccountService holds within a unit of work (named here for its annotations)."""

MANAGED = "managed"


def roles_of(user: User) -> frozenset[Role]:
    return frozenset(Role(r) for r in user.roles.split(",") if r)


def roles_text(roles: frozenset[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))


def any_user(session: Session) -> bool:
    """Whether the database is managed (has at least one account, enabled or not). Raises AccountsLost
    when it has none but once had (the "managed" marker): never single-user mode again."""
    if session.scalar(select(User.id).limit(1)) is not None:
        return True
    if marked_managed(session):
        raise AccountsLost()
    return False


def marked_managed(session: Session) -> bool:
    return session.get(DbFact, MANAGED) is not None


def mark_managed(session: Session, now: datetime, by: str) -> None:
    """Record, once, that this database has accounts (the row is never updated or deleted)."""
    if not marked_managed(session):
        session.add(DbFact(key=MANAGED, value="accounts exist", set_at=now, set_by=by[:100]))
        session.flush()


def by_name(session: Session, name: str, *, for_update: bool = False) -> User | None:
    stmt = select(User).where(User.name == name)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def principal_of(session: Session, name: str) -> Principal | None:
    """The principal acting as ``name``: unmanaged when there are no accounts; None when accounts
    exist and ``name`` is not an enabled one. One indexed read (two when the name is unknown)."""
    row = session.execute(select(User.roles, User.disabled).where(User.name == name)).first()
    if row is None:
        return None if any_user(session) else Principal(name, frozenset(), managed=False)
    roles, disabled = row
    if disabled:
        return None
    return Principal(name, frozenset(Role(r) for r in roles.split(",") if r))


def info(user: User, throttle: LoginThrottle | None) -> UserInfo:
    return UserInfo(
        name=user.name,
        roles=roles_of(user),
        disabled=user.disabled,
        created_at=user.created_at,
        created_by=user.created_by,
        password_changed_at=user.password_changed_at,
        last_login_at=user.last_login_at,
        failed_logins=throttle.failures if throttle else 0,
        locked_until=throttle.locked_until if throttle else None,
    )


def all_users(session: Session) -> list[UserInfo]:
    users = list(session.scalars(select(User).order_by(User.name)))
    throttles = {t.name: t for t in session.scalars(select(LoginThrottle))}
    return [info(u, throttles.get(u.name)) for u in users]


def enabled_with_role(session: Session, role: Role) -> list[str]:
    rows = session.execute(select(User.name, User.roles).where(User.disabled.is_(False)))
    return sorted(name for name, roles in rows if role.value in roles.split(","))


def count_enabled_with_role(session: Session, role: Role) -> int:
    rows = session.scalars(select(User.roles).where(User.disabled.is_(False)))
    return sum(1 for roles in rows if role.value in roles.split(","))


def add(
    session: Session, name: str, password_hash: str, roles: frozenset[Role], by: str, now: datetime
) -> User:
    user = User(
        name=name,
        password_hash=password_hash,
        roles=roles_text(roles),
        disabled=False,
        created_at=now,
        created_by=by,
        password_changed_at=now,
        last_login_at=None,
    )
    session.add(user)
    session.flush()
    return user


def throttle_of(session: Session, name: str, *, for_update: bool = False) -> LoginThrottle | None:
    stmt = select(LoginThrottle).where(LoginThrottle.name == name)
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A login attempt as counted before its password is checked."""

    allowed: bool  # False: the name must still wait (nothing was counted, nothing may be checked)
    failures: int  # attempts in a row not followed by a successful login, this one included
    locked_until: datetime | None  # until when the next attempt must wait should this one fail


def begin_attempt(
    session: Session, name: str, now: datetime, lockout_for: Callable[[int], timedelta]
) -> Attempt:
    """Count a login attempt for ``name`` before its (slow) password check, in the caller's write
    transaction: the name's throttle row is locked (created if need be), so parallel attempts are
    counted one after another and at most the allowed number of them ever reach the check. The
    attempt counts as a failure until a successful login clears it (:func:`clear_failures`)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            pg_insert(LoginThrottle)
            .values(name=name, failures=0, last_failed_at=None, locked_until=None)
            .on_conflict_do_nothing(index_elements=[LoginThrottle.name])
        )
        t = throttle_of(session, name, for_update=True)
    else:  # SQLite: the write transaction (BEGIN IMMEDIATE) already holds the database's write lock
        t = throttle_of(session, name)
        if t is None:
            t = LoginThrottle(name=name, failures=0)
            session.add(t)
    assert t is not None
    if t.locked_until is not None and t.locked_until > now:
        return Attempt(False, t.failures or 0, t.locked_until)
    t.failures = (t.failures or 0) + 1
    t.last_failed_at = now
    wait = lockout_for(t.failures)
    t.locked_until = now + wait if wait else None
    session.flush()
    return Attempt(True, t.failures, t.locked_until)


def clear_failures(session: Session, name: str) -> None:
    t = throttle_of(session, name)
    if t is not None:
        session.delete(t)


def user_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)
