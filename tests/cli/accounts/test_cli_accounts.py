"""Accounts, the audit log and the supervisor report on the command line, as a script would use them."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from moderator_app.cli import main
from moderator_app.services.workstation import open_workstation
from moderator_app.storage.supervision import append_only
from tests.factories import seed

ADMIN_PW = "root-secret-pass-1"
MOD_PW = "moreau-secret-pass-2"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ws = open_workstation(url)
    try:
        seed(ws, traders=1, listings=3, queue="general")
    finally:
        ws.close()
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_first_admin_then_everyone_logs_in(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # no account yet: names are taken as given
    assert run(capsys, "--db", db, "--user", "whoever", "queue")[0] == 0
    monkeypatch.setenv("MODERATOR_ADMIN_PASSWORD", ADMIN_PW)
    code, out, _ = run(capsys, "--db", db, "user", "add", "root", "--role", "admin")
    assert code == 0 and "first account" in out
    monkeypatch.delenv("MODERATOR_ADMIN_PASSWORD")
    # from now on: a password is needed, and nothing is shown without it
    code, out, err = run(capsys, "--db", db, "--user", "root", "queue")
    assert code == 1 and out == "" and "a password is needed" in err
    monkeypatch.setenv("MODERATOR_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("MODERATOR_NEW_PASSWORD", MOD_PW)
    code, out, _ = run(capsys, "--db", db, "--user", "root", "user", "add", "a.moreau", "--role", "moderator")
    assert code == 0 and "a.moreau" in out
    code, out, _ = run(capsys, "--db", db, "--user", "root", "user", "list")
    assert code == 0 and "a.moreau" in out and "moderator" in out and ADMIN_PW not in out
    # a wrong password: one line, exit 1
    monkeypatch.setenv("MODERATOR_PASSWORD", "not-the-password")
    code, out, err = run(capsys, "--db", db, "--user", "a.moreau", "next", "--queue", "general")
    assert code == 1 and out == "" and err.strip() == "moderator-app: login refused: wrong name or password"
    # the password on standard input
    monkeypatch.delenv("MODERATOR_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(MOD_PW + "\n"))
    code, out, _ = run(
        capsys, "--db", db, "--user", "a.moreau", "--password-stdin", "next", "--queue", "general"
    )
    assert code == 0 and "claimed by a.moreau" in out
    # a moderator cannot add users: refused in the service, one line
    monkeypatch.setenv("MODERATOR_PASSWORD", MOD_PW)
    code, _, err = run(capsys, "--db", db, "--user", "a.moreau", "user", "add", "x.y", "--role", "admin")
    assert code == 1 and "a.moreau (moderator) may not manage users" in err


def test_audit_verify_names_the_broken_event_and_export_writes_csv(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("ana", "ben", "cleo", "ana"):  # ana's second call resumes her claim: no new event
        assert run(capsys, "--db", db, "--user", name, "next", "--queue", "general")[0] == 0
    code, out, _ = run(capsys, "--db", db, "audit", "verify")
    assert code == 0 and out.startswith("audit log intact: 3 events")
    out_file = tmp_path / "audit.csv"
    code, _, err = run(capsys, "--db", db, "audit", "export", "--csv", "--out", str(out_file))
    assert code == 0 and "wrote 3 events" in err
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert [(r["seq"], r["actor"], r["action"]) for r in rows] == [
        ("1", "ana", "claim"),
        ("2", "ben", "claim"),
        ("3", "cleo", "claim"),
    ]
    path = db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        for statement in append_only.remove_statements("sqlite"):  # as the file's owner can
            conn.execute(statement)
        conn.execute("UPDATE audit_events SET actor = 'someone else' WHERE seq = 2")
    code, out, err = run(capsys, "--db", db, "audit", "verify")
    assert code == 1 and out == "" and "BROKEN at event #2" in err


def test_report_supervisor_writes_a_pdf(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", db, "report", "supervisor", "--from", "2026-11-01", "--to", "2026-11-02"
    )
    assert code == 0 and "backlog now: 3 open items" in out
    pdf = tmp_path / "report.pdf"
    code, _, err = run(
        capsys,
        "--db",
        db,
        "report",
        "supervisor",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-02",
        "--pdf",
        str(pdf),
    )
    assert code == 0 and "pages" in err
    assert pdf.read_bytes().startswith(b"%PDF")
    # the DSA report of the same group still answers
    code, out, _ = run(
        capsys, "--db", db, "report", "transparency", "--from", "2026-11-01", "--to", "2026-11-02"
    )
    assert code == 0 and out
