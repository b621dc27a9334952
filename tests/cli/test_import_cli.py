"""``moderator-app import`` as a person runs it: exit status, one line per rejected record, notices' receipts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from moderator_app.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample-import.jsonl"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_reports_bad_lines_keeps_good_ones_and_records_notices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "import.db")
    expected_bad = sum(1 for line in SAMPLE.read_bytes().splitlines() if line.startswith(b"// expect:"))
    code, out, err = run(capsys, "--db", db, "import", str(SAMPLE), "--quiet")
    assert code == 1  # some lines were rejected
    rejected = [line for line in err.splitlines() if line.startswith("sample-import.jsonl: line ")]
    assert len(rejected) == expected_bad and "Traceback" not in err
    assert "listings added" in out and "notices recorded, their receipts are in the outbox" in out
    code, out, _ = run(capsys, "--db", db, "outbox", "list", "--json")
    assert code == 0 and "receipt" in out.lower()

    code, out, _ = run(capsys, "--db", db, "import", str(SAMPLE), "--quiet", "--json")
    again = json.loads(out)
    assert code == 1 and again["listings_added"] == 0 and again["flags_added"] == 0


def test_a_clean_file_exits_0_and_a_missing_file_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.jsonl"
    lines = SAMPLE.read_bytes().splitlines()  # bytes: one bad line is deliberately not UTF-8
    keep: list[bytes] = []
    skip_next = False
    for line in lines:
        if line.startswith(b"// expect:"):
            skip_next = True
            continue
        if skip_next:
            skip_next = False
            continue
        keep.append(line)
    good.write_bytes(b"\n".join(keep) + b"\n")
    shutil.copytree(SAMPLE.parent / "images", tmp_path / "images")
    db = str(tmp_path / "clean.db")
    code, _, err = run(capsys, "--db", db, "import", str(good), "--quiet")
    assert (code, err) == (0, "")
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "nope.jsonl"))
    assert code == 2 and err.strip().endswith("nope.jsonl")
