"""The DSA commands: what a person types, what they read, one clear line when something is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderator_app.cli.main import main
from moderator_app.domain.enums import Action
from moderator_app.services.workstation import Workstation
from tests.services.dsa.helpers import NOTIFIER_NAME, TRADER_NAME, decide, flag, make_trader


def run(db_url: str, *args: str, reviewer: str = "ana") -> int:
    return main(["--db", db_url, "--reviewer", reviewer, *args])


def test_export_notice_flagger_and_appeal_from_the_command_line(
    ws: Workstation, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = make_trader(ws, listings=2)
    flag(ws, t.listing_ids[0])
    d = decide(ws, t.listing_exts[0])

    out = tmp_path / "sor.jsonl"
    assert run(db_url, "export", "sor", "--out", str(out), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] == 1 and report["failed"] == []
    assert json.loads(out.read_text())["statements"][0]["puid"] == d.puid
    assert run(db_url, "export", "sor", "--out", str(tmp_path / "new.jsonl"), "--since", "last") == 0
    assert "wrote 0 statements" in capsys.readouterr().out

    assert (
        run(
            db_url,
            "flagger",
            "add",
            "Consumer Safety Network e.V.",
            "--areas",
            "unsafe_toy, unsafe-electrical",
        )
        == 0
    )
    assert run(db_url, "flagger", "list", "--json") == 0
    [registered] = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert registered["areas"] == ["unsafe_toy", "unsafe_electrical"]

    assert (
        run(
            db_url,
            "notice",
            "add",
            t.listing_exts[1],
            "--category",
            "unsafe_toy",
            "--explanation",
            "Loose magnets",
            "--notifier",
            NOTIFIER_NAME,
            "--email",
            "m@example.at",
            "--url",
            "https://m.example/x",
            "--good-faith",
            "--json",
        )
        == 0
    )
    added = json.loads(capsys.readouterr().out)
    assert added["missing"] == [] and added["notifier"] == NOTIFIER_NAME
    assert run(db_url, "notice", "list", "--incomplete") == 0
    listed = capsys.readouterr().out
    assert (
        f"N-{added['flag_id']}" not in listed and "INCOMPLETE" in listed
    )  # the imported one lacks good faith

    assert run(db_url, "appeal", "file", d.puid, "--by", "trader", "--reason", "It has a CE mark.") == 0
    assert "recorded C-" in capsys.readouterr().out
    assert run(db_url, "appeal", "next") == 0
    assert "No complaint waits for you." in capsys.readouterr().out  # ana made the decision
    assert run(db_url, "appeal", "next", "--json", reviewer="ben") == 0
    case = json.loads(capsys.readouterr().out)
    appeal_id = case["appeal"]["id"]
    assert (
        run(
            db_url,
            "appeal",
            "decide",
            str(appeal_id),
            "--reverse",
            "--reason",
            "CE mark verified.",
            reviewer="ben",
        )
        == 0
    )
    assert "reversed by ben" in capsys.readouterr().out
    assert ws.lookup.listing(t.listing_exts[0]).listing.status.value == "live"

    assert run(db_url, "outbox", "export", "--out", str(tmp_path / "mail.jsonl")) == 0
    mails = [json.loads(line) for line in (tmp_path / "mail.jsonl").read_text().splitlines()]
    assert {m["kind"] for m in mails} >= {"statement", "notice_receipt", "appeal_receipt", "appeal_outcome"}
    assert any(m["to"]["name"] == TRADER_NAME for m in mails)  # the outbox is for sending: names belong here
    capsys.readouterr()
    assert run(db_url, "outbox", "export", "--out", str(tmp_path / "again.jsonl")) == 0
    assert (tmp_path / "again.jsonl").read_text() == ""  # each message goes out once


def test_mistakes_get_one_clear_line(
    ws: Workstation, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0])
    decide(ws, t.listing_exts[0], Action.REMOVE)
    assert run(db_url, "export", "sor", "--out", str(tmp_path / "missing-dir" / "x.jsonl")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("moderator-app: cannot write")
    assert run(db_url, "offenders", "confirm", t.trader_ext, "--step", "suspension") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not call for a suspension" in err
    assert run(db_url, "appeal", "file", "999", "--by", "trader", "--reason", "x") == 1
    assert capsys.readouterr().err == "moderator-app: no decision 999\n"
    assert run(db_url, "policy", "set", str(tmp_path / "nope.json")) == 1
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"window_days": 0}')
    assert run(db_url, "policy", "set", str(bad)) == 1
    assert "gravity_weights" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run(db_url, "report", "transparency", "--from", "2026-02-30", "--to", "2026-03-01")
    assert exc.value.code == 2 and "is not a date" in capsys.readouterr().err
