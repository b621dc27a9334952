"""The command line as a person (or a script) uses it: one clear line on error, JSON where asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from moderator_app.cli import main
from moderator_app.services.workstation import open_workstation
from tests.factories import seed


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ws = open_workstation(url)
    try:
        seed(ws, traders=1, listings=3, queue="product-safety")
    finally:
        ws.close()
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_queue_json_lists_pending_counts(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "queue", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["queue"], r["pending"], r["claimed"]) for r in rows] == [("product-safety", 3, 0)]


def test_next_decide_undo_and_trader_from_the_command_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", db, "--reviewer", "ana", "next", "--queue", "product-safety", "--json")
    assert code == 0
    case = json.loads(out)
    assert case["item"]["claimed_by"] == "ana"
    listing = case["listing"]["external_id"]

    code, out, err = run(
        capsys,
        "--db",
        db,
        "--reviewer",
        "ana",
        "decide",
        listing,
        "--action",
        "remove",
        "--category",
        "unsafe_toy",
        "--explanation",
        "Magnets come loose.",
        "--json",
    )
    assert (code, err) == (0, "")
    decision = json.loads(out)
    assert (decision["action"], decision["ground"], decision["reviewer"]) == (
        "remove",
        "illegal_content",
        "ana",
    )

    code, out, _ = run(capsys, "--db", db, "trader", "T-0000", "--json")
    trader = json.loads(out)
    assert trader["counters"]["violations_total"] == 1
    assert trader["counters"]["violations_90d"] == 1
    assert trader["counters"]["status"] == "active"
    assert trader["trader"]["external_id"] == "T-0000"

    code, out, _ = run(capsys, "--db", db, "--reviewer", "ana", "undo")
    assert code == 0 and "undone" in out
    code, out, _ = run(capsys, "--db", db, "trader", "T-0000", "--json")
    assert json.loads(out)["counters"]["violations_total"] == 0
    code, out, _ = run(capsys, "--db", db, "listing", listing)
    assert code == 0 and "(live)" in out and "(undone)" in out


def test_an_incomplete_decision_is_one_clear_line_and_changes_nothing(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", db, "--reviewer", "ana", "decide", "L-00000", "--action", "remove")
    assert code == 1 and out == ""
    assert err.strip() == (
        "moderator-app: the decision is missing: policy category, "
        "ground (illegal content or terms of service), explanation"
    )
    code, out, _ = run(capsys, "--db", db, "queue", "--json")
    assert json.loads(out)[0]["pending"] == 3  # the claim taken for the decision was given back


def test_usage_errors_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "decide", "L-00000", "--action", "delete-everything"])
    assert exc.value.code == 2
    assert "unknown action 'delete-everything'" in capsys.readouterr().err
    code, _, err = run(capsys, "--db", db, "trader", "T-9999")
    assert (code, err.strip()) == (1, "moderator-app: no trader T-9999")


def test_an_unreachable_database_server_is_one_line_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "moderator_app", "--db", "postgresql://nobody@127.0.0.1:9/none", "queue"],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "MODERATOR_DATA_DIR": str(tmp_path)},
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "cannot be reached" in proc.stderr


def test_the_statement_of_reasons_can_name_the_law_from_the_command_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = [
        "--db",
        db,
        "--reviewer",
        "ana",
        "decide",
        "L-00001",
        "--action",
        "remove",
        "--category",
        "hidden_link",
        "--ground",
        "illegal_content",
        "--explanation",
        "Sends buyers to an off-platform shop.",
    ]
    code, _, err = run(capsys, *base)
    assert code == 1 and "legal ground" in err and err.count("\n") == 1
    code, out, err = run(
        capsys,
        *base,
        "--legal-ground",
        "Art. 6 Directive 2005/29/EC (unfair commercial practices)",
        "--territorial-scope",
        "de, at",
        "--json",
    )
    assert (code, err) == (0, "")
    decision = json.loads(out)
    code, out, _ = run(capsys, "--db", db, "statement", "--decision", str(decision["id"]), "--json")
    assert code == 0  # the statement as it will be exported carries the law and the scope
    text = out
    assert "2005/29/EC" in text and '"DE"' in text and '"AT"' in text
