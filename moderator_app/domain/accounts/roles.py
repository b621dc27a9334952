"""Accounts, roles and what each role may do (issue 6).

A person acts as a :class:`Principal`: a user name and its roles. Services resolve the name they are
given (the reviewer string every service already takes) to the user's roles and call
:func:`check_permission` before changing anything. A database without any account is *unmanaged*:
a single-user workstation where names are taken as given and nothing is refused; as soon as one
account exists, every name must be an enabled account whose roles allow the action.

The rights of each role are fixed here (no configuration can let a moderator confirm a suspension);
which queues a role may see is configurable (``resources/roles.json``, :class:`QueuePolicy`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from moderator_app.domain.dsa.permissions import Permission, PermissionDenied
from moderator_app.domain.errors import InvalidInput, WorkstationError

__all__ = [
    "ROLE_RIGHTS",
    "LoginRefused",
    "PermissionDenied",
    "Principal",
    "QueuePolicy",
    "Right",
    "Role",
    "UserInfo",
    "check_permission",
    "lockout_for",
    "parse_queue_policy",
    "password_problem",
    "valid_user_name",
]


class Role(StrEnum):
    MODERATOR = "moderator"
    SUPERVISOR = "supervisor"
    INVESTIGATOR = "investigator"
    ADMIN = "admin"


class Right(StrEnum):
    """What the core and supervision services let only some people do (the DSA services name theirs in
    :class:`moderator_app.domain.dsa.permissions.Permission`; both are checked the same way)."""

    REVIEW = "review"  # claim, decide, undo and release items of the queues the role may see
    QUALITY_REVIEW = "quality_review"  # agree with or overturn a sampled decision
    IMPORT = "import"  # import listings
    MANAGE_USERS = "manage_users"  # add, disable, change roles and passwords of other accounts
    VIEW_AUDIT = "view_audit"  # read, verify and export the audit log
    VIEW_DASHBOARD = "view_dashboard"  # the supervisor dashboard and report


_SUPERVISOR = frozenset(
    {
        Right.REVIEW,
        Right.QUALITY_REVIEW,
        Right.IMPORT,
        Right.VIEW_AUDIT,
        Right.VIEW_DASHBOARD,
        Permission.CONFIRM_MEASURE,
        Permission.EDIT_POLICY,
        Permission.DECIDE_APPEAL,
        Permission.MANAGE_TRUSTED_FLAGGERS,
        Permission.MARK_UNFOUNDED,
        Permission.EXPORT,
        Permission.ENTER_NOTICE,
        Permission.FILE_APPEAL,
    }
)

ROLE_RIGHTS: Mapping[Role, frozenset[str]] = {
    Role.MODERATOR: frozenset({Right.REVIEW, Permission.ENTER_NOTICE, Permission.FILE_APPEAL}),
    Role.SUPERVISOR: _SUPERVISOR,
    # Investigators read (listings, the audit log, the figures) and work offline with exports.
    Role.INVESTIGATOR: frozenset({Right.VIEW_AUDIT, Right.VIEW_DASHBOARD, Permission.EXPORT}),
    # Administrators look after the accounts and the data, not after listings: separation of duties.
    Role.ADMIN: frozenset({Right.MANAGE_USERS, Right.VIEW_AUDIT, Right.IMPORT, Permission.EXPORT}),
}


def roles_with(right: str) -> list[Role]:
    return [role for role in Role if right in ROLE_RIGHTS[role]]


def describe_right(right: str) -> str:
    return str(right).replace("_", " ")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting. ``managed=False``: the database has no accounts, the name is taken as given."""

    name: str
    roles: frozenset[Role] = frozenset()
    managed: bool = True

    def may(self, right: str) -> bool:
        return not self.managed or any(right in ROLE_RIGHTS[r] for r in self.roles)

    def has(self, role: Role) -> bool:
        return not self.managed or role in self.roles

    @property
    def roles_text(self) -> str:
        return ", ".join(sorted(r.value for r in self.roles)) or "no role"


def refusal_text(principal: Principal, right: str) -> str:
    needed = " or ".join(r.value for r in roles_with(right)) or "nobody"
    return f"{principal.name} ({principal.roles_text}) may not {describe_right(right)}: that needs the role {needed}"


def check_permission(principal: Principal, right: str) -> None:
    """Raise :class:`PermissionDenied` (a clear sentence for the person) unless the roles allow it."""
    if not principal.may(right):
        raise PermissionDenied(refusal_text(principal, right))


# -- queues -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """Which roles may see (count, claim, decide) which queue.

    ``restricted`` names queues open only to the roles listed; every other queue is open to
    ``default_roles``. In an unmanaged database every queue is open.
    """

    restricted: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    default_roles: frozenset[Role] = frozenset({Role.MODERATOR, Role.SUPERVISOR})

    def roles_for(self, queue: str) -> frozenset[Role]:
        return self.restricted.get(queue, self.default_roles)

    def may_see(self, principal: Principal, queue: str) -> bool:
        return not principal.managed or bool(principal.roles & self.roles_for(queue))

    def check(self, principal: Principal, queue: str) -> None:
        if not self.may_see(principal, queue):
            needed = " or ".join(sorted(r.value for r in self.roles_for(queue))) or "nobody"
            raise PermissionDenied(
                f"{principal.name} ({principal.roles_text}) may not work in the queue {queue}: "
                f"it is open to {needed}"
            )


def _roles(value: object, where: str) -> frozenset[Role]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"roles.json: {where} must be a list of role names")
    try:
        return frozenset(Role(v) for v in value)
    except ValueError:
        raise InvalidInput(
            f"roles.json: {where}: unknown role in {value}; roles are {', '.join(r.value for r in Role)}"
        ) from None


def parse_queue_policy(text: str) -> QueuePolicy:
    """``{"default_roles": [...], "restricted_queues": {"queue": [roles...]}}``; comments as ``"//"`` keys."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"roles.json: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(raw, dict):
        raise InvalidInput("roles.json: expected an object")
    queues = raw.get("restricted_queues", {})
    if not isinstance(queues, dict):
        raise InvalidInput("roles.json: restricted_queues must be an object of queue -> roles")
    return QueuePolicy(
        restricted={
            str(q): _roles(v, f"restricted_queues.{q}") for q, v in queues.items() if not q.startswith("//")
        },
        default_roles=_roles(raw.get("default_roles", ["moderator", "supervisor"]), "default_roles"),
    )


# -- users and passwords ----------------------------------------------------------------------------

MIN_PASSWORD = 10
MAX_PASSWORD = 1024


def valid_user_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a user name is needed")
    if len(name) > 100:
        raise InvalidInput("a user name is at most 100 characters")
    if any(c.isspace() for c in name) or not name.isprintable():
        raise InvalidInput(f"user name {name!r}: no spaces or control characters")
    return name


def password_problem(password: str, name: str) -> str | None:
    """Why a new password is refused (None when acceptable). Length beats composition rules (NIST 800-63B)."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password is at most {MAX_PASSWORD} characters"
    if password.strip().lower() == name.strip().lower():
        return "the password cannot be the user name"
    return None


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    out = set()
    for v in values:
        for raw in str(v).split(","):
            part = raw.strip().lower()
            if not part:
                continue
            try:
                out.add(Role(part))
            except ValueError:
                raise InvalidInput(
                    f"unknown role {part!r}; roles are {', '.join(r.value for r in Role)}"
                ) from None
    if not out:
        raise InvalidInput("at least one role is needed")
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    roles: frozenset[Role]
    disabled: bool
    created_at: datetime
    created_by: str
    password_changed_at: datetime
    last_login_at: datetime | None
    failed_logins: int
    locked_until: datetime | None

    @property
    def principal(self) -> Principal:
        return Principal(self.name, self.roles)


# -- logging in -------------------------------------------------------------------------------------

FREE_FAILURES = 3
"""Failed logins in a row that cost nothing (typos)."""

FIRST_LOCKOUT = timedelta(seconds=30)
MAX_LOCKOUT = timedelta(minutes=30)


def lockout_for(failures: int) -> timedelta:
    """How long a name must wait after ``failures`` failed logins in a row: nothing for the first three,
    then 30 s, 1 min, 2 min, ... doubling up to 30 minutes."""
    if failures < FREE_FAILURES + 1:
        return timedelta(0)
    return min(FIRST_LOCKOUT * int(2 ** (failures - FREE_FAILURES - 1)), MAX_LOCKOUT)


class LoginRefused(WorkstationError):
    """A login was refused (wrong name or password, disabled, or too many failures: wait)."""

    def __init__(self, message: str, retry_after: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def wait_text(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"


RECOVER_COMMAND = "moderator-app --db DATABASE user recover-admin NAME"


class AccountsLost(WorkstationError):
    """The database had accounts and has none now (removed outside the workstation). It never falls back
    to single-user mode, where every name would be taken as given."""

    def __init__(self) -> None:
        super().__init__(
            "this database had accounts and now has none (they were removed outside the workstation), "
            "so it is not opened in single-user mode. An administrator with access to the database file "
            f"or its credentials makes a new administrator with `{RECOVER_COMMAND}`; the recovery is "
            "written to the audit log, and `audit verify` shows what else changed."
        )
