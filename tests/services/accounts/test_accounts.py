"""Accounts and logging in: hashes, refusals that are logged, a wait that grows and survives a restart."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from moderator_app.domain.accounts.roles import LoginRefused, PermissionDenied, Role
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.services.accounts.service import AccountService, strong_hasher
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.storage.schema import metadata
from tests.conftest import CHEAP_HASHER, FakeClock
from tests.services.supervision.helpers import PASSWORDS, add_accounts


def _events(ws: Workstation, action: AuditAction) -> list[str]:
    return [e.actor + ": " + e.detail for e in ws.audit.events("root") if e.action == action]


def test_without_accounts_names_are_taken_as_given_and_the_first_account_must_be_an_admin(
    ws: Workstation,
) -> None:
    assert not ws.accounts.managed()
    assert ws.review.queue_counts("anyone") == []  # nobody is refused in unmanaged mode
    with pytest.raises(InvalidInput, match="first account must be an administrator"):
        ws.accounts.add("a.moreau", PASSWORDS["a.moreau"], ["moderator"], "a.moreau")
    ws.accounts.add("root", PASSWORDS["root"], ["admin"], "")
    assert ws.accounts.managed()
    with pytest.raises(PermissionDenied, match="not an enabled account"):
        ws.review.claim_next("general", "anyone")


STRONG = "$argon2id$v=19$m=65536,t=3,p=4$"  # RFC 9106's second recommendation: 64 MiB, 3 passes, 4 lanes


def test_the_app_hashes_with_the_strong_parameters_and_only_the_tests_swap_in_cheap_ones() -> None:
    """The tests hash cheaply (tests/conftest.py); a fresh interpreter, as the app starts, does not."""
    probe = (
        "from moderator_app.services.accounts.service import DEFAULT_HASHER as h;"
        "print(h.type.name, h.time_cost, h.memory_cost, h.parallelism, h.hash_len, h.salt_len)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.stdout.split() == ["ID", "3", "65536", "4", "32", "16"]
    assert strong_hasher().hash("x").startswith(STRONG)
    assert not CHEAP_HASHER.hash("x").startswith(STRONG)  # the swap is real


def test_a_cheaply_hashed_password_is_rehashed_strongly_at_the_next_login(sqlite_ws: Workstation) -> None:
    cheap = AccountService(sqlite_ws.db, sqlite_ws.clock, sqlite_ws.access, hasher=CHEAP_HASHER)
    cheap.add("root", PASSWORDS["root"], ["admin"], "")
    strong = AccountService(sqlite_ws.db, sqlite_ws.clock, sqlite_ws.access, hasher=strong_hasher())
    assert strong.login("root", PASSWORDS["root"]).name == "root"
    with sqlite_ws.db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users WHERE name = 'root'")).scalar_one()
    assert stored.startswith(STRONG)
    assert strong.login("root", PASSWORDS["root"]).name == "root"


def test_passwords_are_hashed_and_the_clear_text_is_nowhere_in_the_database_or_the_logs(
    ws: Workstation, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    add_accounts(ws, ["a.moreau"])
    assert ws.accounts.login("a.moreau", PASSWORDS["a.moreau"]).roles == frozenset({Role.MODERATOR})
    with pytest.raises(LoginRefused):
        ws.accounts.login("a.moreau", PASSWORDS["root"])  # someone else's password: in no log either
    ws.accounts.set_password(
        "a.moreau", "a-new-long-password-1", "a.moreau", old_password=PASSWORDS["a.moreau"]
    )
    assert ws.accounts.login("a.moreau", "a-new-long-password-1").name == "a.moreau"
    secrets = [PASSWORDS["a.moreau"], PASSWORDS["root"], "a-new-long-password-1"]
    # every row of every table, as text
    with ws.db.engine.connect() as conn:
        dump = "\n".join(
            repr(tuple(row)) for table in metadata.sorted_tables for row in conn.execute(sa.select(table))
        )
        stored = conn.execute(sa.text("SELECT password_hash FROM users WHERE name = 'a.moreau'")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert "a.moreau" in dump and "$argon2id$" in dump  # the dump is real
    for secret in secrets:
        assert secret not in dump
        assert secret not in caplog.text
    path = ws.db.sqlite_path
    if path is not None:  # the SQLite file and its write-ahead log, byte for byte
        raw = b"".join(p.read_bytes() for p in [path, Path(str(path) + "-wal")] if p.exists())
        assert b"$argon2id$" in raw
        for secret in secrets:
            assert secret.encode() not in raw


def test_a_wrong_password_is_refused_and_logged_and_repeated_failures_make_the_name_wait(
    ws: Workstation, clock: FakeClock, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    add_accounts(ws, ["a.moreau"])
    for _ in range(3):  # typos cost nothing
        with pytest.raises(LoginRefused, match="wrong name or password") as refused:
            ws.accounts.login("a.moreau", "not-my-password")
        assert refused.value.retry_after is None
    with pytest.raises(LoginRefused, match="wait 30 seconds"):
        ws.accounts.login("a.moreau", "not-my-password")
    # while the name waits, even the right password is refused
    with pytest.raises(LoginRefused, match="try again in 30 seconds"):
        ws.accounts.login("a.moreau", PASSWORDS["a.moreau"])
    # the wait is in the database: another workstation (a restart) sees it
    clock.advance(seconds=20)
    other = open_workstation(db_url, clock=clock)
    try:
        with pytest.raises(LoginRefused, match="try again in 10 seconds"):
            other.accounts.login("a.moreau", PASSWORDS["a.moreau"])
    finally:
        other.close()
    clock.advance(seconds=11)
    with pytest.raises(LoginRefused, match="wait 60 seconds"):  # the fifth failure doubles the wait
        ws.accounts.login("a.moreau", "still-not-it")
    assert ws.accounts.user("a.moreau").locked_until == clock.now + timedelta(minutes=1)
    clock.advance(minutes=1)
    assert ws.accounts.login("a.moreau", PASSWORDS["a.moreau"]).name == "a.moreau"
    assert ws.accounts.user("a.moreau").failed_logins == 0  # a success starts the count again
    refusals = _events(ws, AuditAction.LOGIN_REFUSED)
    assert len(refusals) == 7 and all(r.startswith("a.moreau: ") for r in refusals)
    assert sum("too many failed logins" in r for r in refusals) == 2
    assert "login refused for 'a.moreau'" in caplog.text
    # unknown names are refused the same way (and counted too)
    with pytest.raises(LoginRefused, match="wrong name or password"):
        ws.accounts.login("nobody", "whatever-it-is")


def test_only_admins_manage_accounts_and_the_last_admin_stays(ws: Workstation) -> None:
    add_accounts(ws, ["a.moreau", "s.supervisor"])
    for actor in ("a.moreau", "s.supervisor"):
        with pytest.raises(PermissionDenied, match="may not manage users"):
            ws.accounts.add("x.new", "x-new-password-1", ["moderator"], actor)
        with pytest.raises(PermissionDenied):
            ws.accounts.users(actor)
    with pytest.raises(InvalidInput, match="last enabled administrator"):
        ws.accounts.disable("root", "root")
    ws.accounts.disable("a.moreau", "root")
    with pytest.raises(LoginRefused, match="wrong name or password"):
        ws.accounts.login("a.moreau", PASSWORDS["a.moreau"])
    with pytest.raises(PermissionDenied, match="not an enabled account"):
        ws.review.claim_next("general", "a.moreau")
    ws.accounts.disable("a.moreau", "root", disabled=False)
    ws.accounts.set_roles("a.moreau", ["moderator", "supervisor"], "root")
    users = {u.name: u for u in ws.accounts.users("root")}
    assert users["a.moreau"].roles == {Role.MODERATOR, Role.SUPERVISOR} and not users["a.moreau"].disabled
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        ws.accounts.add("x.new", "short", ["moderator"], "root")
    changes = [e.action for e in ws.audit.events("root") if e.subject.startswith("user:")]
    assert changes.count(AuditAction.USER_ADD) == 3
    assert AuditAction.USER_DISABLE in changes and AuditAction.USER_ROLES in changes


def test_guesses_in_parallel_after_three_failures_are_held_to_one_check(ws: Workstation) -> None:
    """Issue 10 item 8: the attempt is counted before the slow password check, so twelve guesses sent
    at once after three failures get exactly one check between them, and the right password sent
    after them waits too. (All twelve are wrong: a right one checked first would, correctly, clear
    the count, and whether it is checked first depends on thread timing.)"""
    add_accounts(ws, ["a.moreau"])
    for _ in range(3):
        with pytest.raises(LoginRefused, match="wrong name or password"):
            ws.accounts.login("a.moreau", "not-my-password")
    guesses = [f"guess-number-{i:02d}" for i in range(12)]
    start = threading.Barrier(len(guesses))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(password: str) -> None:
        start.wait()
        try:
            ws.accounts.login("a.moreau", password)
            result = "logged in"
        except LoginRefused as exc:
            result = "waits" if "too many failed logins" in str(exc) else "checked: wrong"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(g,)) for g in guesses]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(outcomes) == len(guesses)
    assert sorted(outcomes) == ["checked: wrong"] + ["waits"] * (len(guesses) - 1), outcomes
    user = ws.accounts.user("a.moreau")
    assert user.failed_logins == 4 and user.locked_until is not None
    with pytest.raises(LoginRefused, match="too many failed logins"):  # the right one is not let in now
        ws.accounts.login("a.moreau", PASSWORDS["a.moreau"])


def test_starting_the_command_line_hashes_no_password() -> None:
    """Issue 10 item 12: every command paid one argon2 hash at import time (the dummy hash for unknown
    names). Importing the command line now hashes nothing; the dummy hash still costs what a real one
    costs to check."""
    probe = (
        "import argon2\n"
        "calls = []\n"
        "real = argon2.PasswordHasher.hash\n"
        "argon2.PasswordHasher.hash = lambda self, *a, **k: calls.append(1) or real(self, *a, **k)\n"
        "import moderator_app.cli.main\n"
        "from moderator_app.services.accounts import service\n"
        "print('hashes at import:', len(calls), flush=True)\n"
        "print('dummy needs rehash:', service.DEFAULT_HASHER.check_needs_rehash(service.SHIPPED_DUMMY_HASH))\n"
        "print('hashes after:', len(calls))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    assert done.stdout.splitlines() == [
        "hashes at import: 0",
        "dummy needs rehash: False",
        "hashes after: 0",
    ], done.stderr


def test_a_disabled_account_is_refused_like_a_wrong_password_after_the_same_check(
    ws: Workstation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10 item 12: "the account is disabled" told a guesser that the password was right. The
    refusal is now word for word the one of a wrong password, after the same password check."""
    from moderator_app.services.accounts import service

    add_accounts(ws, ["a.moreau", "b.bauer"])
    ws.accounts.disable("b.bauer", "root")
    checks: list[str] = []
    real = service._verify
    monkeypatch.setattr(
        service, "_verify", lambda hasher, stored, pw: checks.append(pw) or real(hasher, stored, pw)
    )
    answers = []
    for name, password in (
        ("b.bauer", PASSWORDS["b.bauer"]),  # disabled, right password
        ("b.bauer", "not-the-password"),  # disabled, wrong password
        ("a.moreau", "not-the-password"),  # enabled, wrong password
        ("nobody", "not-the-password"),  # no such account
    ):
        with pytest.raises(LoginRefused) as refused:
            ws.accounts.login(name, password)
        answers.append(str(refused.value))
    assert answers == ["wrong name or password"] * 4
    assert len(checks) == 4  # each one paid for a password check
    assert "b.bauer: account disabled" in _events(ws, AuditAction.LOGIN_REFUSED)  # the audit log says
