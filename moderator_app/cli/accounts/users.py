"""``user add|disable|enable|passwd|roles|list`` and logging in on the command line.

Logging in: while the database has no account, names are taken as given (single-user mode). Once
accounts exist, every command except ``gui`` (the window asks itself) runs as a logged-in account:
the name from ``--user``/``--reviewer`` or $MODERATOR_USER, the password from $MODERATOR_PASSWORD,
``--password-stdin`` (one line), or a prompt without echo. The first account is added without logging
in and must be an administrator; its password comes from $MODERATOR_ADMIN_PASSWORD, ``--password-stdin``
or the prompt. ``user recover-admin NAME`` runs without logging in (whoever holds the database file or
its credentials could change it anyway) but only while no enabled administrator exists, and is audited.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any

from moderator_app.cli.output import dumps
from moderator_app.domain.accounts.roles import LoginRefused, UserInfo
from moderator_app.domain.errors import InvalidInput
from moderator_app.services.workstation import Workstation

Handler = Callable[[Workstation, argparse.Namespace], int]

ENV_PASSWORD = "MODERATOR_PASSWORD"
ENV_ADMIN_PASSWORD = "MODERATOR_ADMIN_PASSWORD"
ENV_NEW_PASSWORD = "MODERATOR_NEW_PASSWORD"
NO_LOGIN = frozenset({"gui"})


def add_commands(sub: Any) -> dict[str, Handler]:
    u = sub.add_parser("user", help="accounts: add, disable, enable, passwd, roles, list (administrators)")
    us = u.add_subparsers(dest="user_kind", metavar="KIND", required=True)
    add = us.add_parser("add", help="add an account (the first one, an admin, needs no login)")
    add.add_argument("name")
    add.add_argument(
        "--role", action="append", required=True, help="moderator, supervisor, investigator, admin (repeat)"
    )
    dis = us.add_parser("disable", help="disable an account (it can no longer log in or act)")
    dis.add_argument("name")
    en = us.add_parser("enable", help="enable a disabled account")
    en.add_argument("name")
    pw = us.add_parser("passwd", help="change your password, or reset another's (administrators)")
    pw.add_argument("name", nargs="?", help="default: yourself")
    ro = us.add_parser("roles", help="set the roles of an account")
    ro.add_argument("name")
    ro.add_argument("--role", action="append", required=True)
    li = us.add_parser("list", help="list the accounts")
    li.add_argument("--json", action="store_true")
    rec = us.add_parser(
        "recover-admin",
        help="make NAME an administrator again without logging in, when the database has no enabled "
        "administrator (needs the database file or its credentials; audited)",
    )
    rec.add_argument("name")
    return {"user": cmd_user}


def _read_secret(prompt: str, env: str, a: argparse.Namespace) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if getattr(a, "password_stdin", False):
        if getattr(a, "_stdin_used", False):
            raise InvalidInput("--password-stdin gives one password; set the other in the environment")
        a._stdin_used = True
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput(f"a password is needed: set ${env}, use --password-stdin, or run in a terminal")
    return getpass.getpass(prompt)


def _new_password(a: argparse.Namespace, name: str, env: str) -> str:
    value = os.environ.get(env)
    if value or getattr(a, "password_stdin", False) or not sys.stdin.isatty():
        return _read_secret("", env, a)
    first = getpass.getpass(f"new password for {name}: ")
    if getpass.getpass("the same again: ") != first:
        raise InvalidInput("the two passwords differ; nothing was changed")
    return first


def login(ws: Workstation, a: argparse.Namespace) -> None:
    """Before a command runs: in a managed database, log in as ``a.reviewer`` (it stays the name). A
    database whose accounts were removed is refused here (AccountsLost), except to recover it."""
    if a.command == "user" and a.user_kind == "recover-admin":
        return
    if a.command in NO_LOGIN or not ws.accounts.managed():
        return
    if a.command == "user" and a.user_kind == "add" and not ws.accounts.managed():
        return
    password = _read_secret(f"password for {a.reviewer}: ", ENV_PASSWORD, a)
    try:
        principal = ws.accounts.login(a.reviewer, password)
    except LoginRefused as exc:
        raise LoginRefused(f"login refused: {exc}") from None
    a.reviewer = principal.name
    a.principal = principal
    a.login_password = password


def user_line(u: UserInfo) -> str:
    state = "disabled" if u.disabled else "enabled"
    last = f"last login {u.last_login_at:%Y-%m-%d %H:%M} UTC" if u.last_login_at else "never logged in"
    waits = f", waits until {u.locked_until:%H:%M:%S} UTC" if u.locked_until else ""
    roles = ",".join(sorted(r.value for r in u.roles))
    return f"{u.name:<20} {roles:<30} {state:<9} {last}{waits}"


def cmd_user(ws: Workstation, a: argparse.Namespace) -> int:
    acc = ws.accounts
    kind = a.user_kind
    if kind == "add":
        first = not acc.managed()
        env = ENV_ADMIN_PASSWORD if first else ENV_NEW_PASSWORD
        password = _new_password(a, a.name, env)
        u = acc.add(a.name, password, a.role, a.reviewer if not first else a.name)
        note = " (the first account: from now on everyone logs in)" if first else ""
        sys.stdout.write(f"added {user_line(u)}{note}\n")
    elif kind in ("disable", "enable"):
        u = acc.disable(a.name, a.reviewer, disabled=kind == "disable")
        sys.stdout.write(f"{kind}d {user_line(u)}\n")
    elif kind == "roles":
        u = acc.set_roles(a.name, a.role, a.reviewer)
        sys.stdout.write(f"roles set: {user_line(u)}\n")
    elif kind == "passwd":
        name = a.name or a.reviewer
        own = name == a.reviewer
        old = getattr(a, "login_password", None) if own else None
        acc.set_password(name, _new_password(a, name, ENV_NEW_PASSWORD), a.reviewer, old_password=old)
        sys.stdout.write(f"password of {name} changed\n")
    elif kind == "recover-admin":
        password = _new_password(a, a.name, ENV_ADMIN_PASSWORD)
        u = acc.recover_admin(a.name, password, a.reviewer)
        sys.stdout.write(f"recovered {user_line(u)} (written to the audit log)\n")
    else:
        users = acc.users(a.reviewer)
        sys.stdout.write(
            (dumps(users) if a.json else "\n".join(user_line(u) for u in users) or "No accounts.") + "\n"
        )
    return 0
