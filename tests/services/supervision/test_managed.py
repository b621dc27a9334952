"""A database that once had accounts never falls back to single-user mode: with its accounts removed
outside the workstation it is refused, with a message that says how to recover; ``user recover-admin``
makes an administrator again (only while none is enabled), and is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from moderator_app.cli import main
from moderator_app.domain.accounts.roles import AccountsLost
from moderator_app.domain.errors import InvalidInput
from moderator_app.services.workstation import Workstation
from moderator_app.storage import migrate
from moderator_app.storage.accounts import account_repo
from moderator_app.storage.db import Database
from tests.factories import seed
from tests.services.supervision.helpers import add_accounts
from tests.services.supervision.tamper import tamper

WIPE = ("DELETE FROM login_throttle", "DELETE FROM users")
NEW_PW = "recovered-pass-77c1e0"


def test_removing_every_account_does_not_make_a_single_user_database(ws: Workstation) -> None:
    seed(ws, listings=1)
    add_accounts(ws, ["a.moreau"])
    tamper(ws, *WIPE)
    with pytest.raises(AccountsLost, match="recover-admin"):
        ws.accounts.managed()
    with pytest.raises(AccountsLost):  # no name is taken as given
        ws.review.claim_next("general", "anyone")
    with pytest.raises(AccountsLost):  # and nobody becomes "the first account" without permission
        ws.accounts.add("mallory", "mallory-pass-123456", ["admin"], "mallory")


def test_a_database_that_never_had_accounts_stays_single_user(ws: Workstation) -> None:
    seed(ws, listings=1)
    assert ws.accounts.managed() is False
    assert ws.review.claim_next("general", "ana") is not None


def test_recover_admin_makes_an_administrator_again_and_is_audited(ws: Workstation) -> None:
    add_accounts(ws, ["a.moreau"])
    tamper(ws, *WIPE)
    u = ws.accounts.recover_admin("boss", NEW_PW, "ops")
    assert u.name == "boss" and {r.value for r in u.roles} == {"admin"}
    assert ws.accounts.managed() is True
    assert ws.accounts.login("boss", NEW_PW).name == "boss"
    event = next(e for e in ws.audit.events("boss") if e.action == "user_recover")
    assert event.actor == "recover-admin:ops" and event.subject == "user:boss"
    # the cross-check still names the accounts that vanished without an event
    texts = [m.text for m in ws.audit.crosscheck("boss").mismatches]
    assert any("account 'a.moreau'" in t and "no such account" in t for t in texts)
    assert not any("'boss'" in t for t in texts)


def test_recover_admin_is_refused_while_an_administrator_is_enabled(ws: Workstation) -> None:
    add_accounts(ws, ["a.moreau"])
    with pytest.raises(InvalidInput, match=r"enabled administrator \(root\)"):
        ws.accounts.recover_admin("a.moreau", NEW_PW, "ops")
    assert {r.value for r in ws.accounts.user("a.moreau").roles} == {"moderator"}


def test_recover_admin_enables_a_disabled_administrator_with_a_new_password(ws: Workstation) -> None:
    add_accounts(ws, ["a.moreau"])
    tamper(ws, "UPDATE users SET disabled = true WHERE name = 'root'")
    ws.accounts.recover_admin("root", NEW_PW, "ops")
    assert ws.accounts.login("root", NEW_PW).name == "root"


def test_on_the_command_line_the_refusal_says_how_to_recover(
    sqlite_ws: Workstation, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sqlite_ws, listings=1)
    add_accounts(sqlite_ws, ["a.moreau"])
    tamper(sqlite_ws, *WIPE)
    url = f"sqlite:///{sqlite_ws.db.sqlite_path}"
    assert main(["--db", url, "--user", "a.moreau", "queue"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("moderator-app: this database had accounts and now has none")
    assert "user recover-admin NAME" in err and "Traceback" not in err
    monkeypatch.setenv("MODERATOR_ADMIN_PASSWORD", NEW_PW)
    assert main(["--db", url, "--user", "ops", "user", "recover-admin", "boss"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("recovered boss") and "audit log" in out
    monkeypatch.setenv("MODERATOR_PASSWORD", NEW_PW)
    assert main(["--db", url, "--user", "boss", "user", "list"]) == 0
    assert "boss" in capsys.readouterr()[0]
    # a second recovery, now that boss is an enabled administrator, is refused
    assert main(["--db", url, "--user", "ops", "user", "recover-admin", "eve"]) == 1
    assert "enabled administrator (boss)" in capsys.readouterr()[1]


def test_an_older_database_with_accounts_is_marked_managed_when_upgraded(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        migrate.upgrade(db, to="0006")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (name, password_hash, roles, disabled, created_at, created_by, "
                    "password_changed_at) VALUES ('root', 'x', 'admin', false, :t, 'root', :t)"
                ),
                {"t": "2026-11-01 00:00:00.000000"},
            )
        migrate.upgrade(db)
        with db.read() as s:
            assert account_repo.marked_managed(s)
    finally:
        db.dispose()
