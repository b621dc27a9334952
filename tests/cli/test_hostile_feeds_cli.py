"""Issue 10, hostile feeds, through the real command line: ``moderator-app import`` of hostile files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from moderator_app.cli import main
from tests.services.imports.test_hostile_feeds import TRADER, listing_line


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_overflowing_date_and_a_bug_are_one_line_each_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from moderator_app.services.imports import importer

    real = importer.parse_record

    def parse(obj: Any, raw: str = "") -> Any:
        if isinstance(obj, dict) and obj.get("title") == "boom":
            raise KeyError("a bug")
        return real(obj, raw)

    monkeypatch.setattr(importer, "parse_record", parse)
    feed = tmp_path / "feed.jsonl"
    lines = [
        TRADER,
        listing_line("L-1"),
        listing_line("L-2", created_at="9999-12-31T23:59:59-23:59"),
        listing_line("L-3", title="boom"),
        listing_line("L-4"),
    ]
    feed.write_text("\n".join(lines) + "\n")

    code, out, err = run(capsys, "--db", str(tmp_path / "m.db"), "import", str(feed), "--quiet", "--json")

    assert code == 1 and json.loads(out)["listings_added"] == 2
    assert "Traceback" not in err
    rejected = [line for line in err.splitlines() if line.startswith("feed.jsonl: line ")]
    assert rejected == [
        "feed.jsonl: line 3: field 'created_at' is outside the years 1 to 9999 once converted to UTC: "
        "'9999-12-31T23:59:59-23:59'",
        "feed.jsonl: line 4: internal error (KeyError); this is a bug, the details are in the log",
    ]
    log = Path(os.environ["MODERATOR_DATA_DIR"]) / "logs" / "moderator-app.log"
    assert "Traceback" in log.read_text() and "KeyError: 'a bug'" in log.read_text()


# -- 4. nothing from a listing reaches a terminal as a control sequence ------------------------------------

HOSTILE = "Toy \x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b0m\x85\x7f\rend\ttab"


def controls(text: str) -> list[str]:
    return [ch for ch in text if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0]


def test_hostile_titles_names_and_reasons_are_printed_without_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.jsonl"
    trader = {"record": "trader", "id": "T-1", "name": "Shop " + HOSTILE, "kind": "business"}
    lines = [
        json.dumps(trader),
        listing_line(
            "L-1",
            title=HOSTILE,
            flags=[
                {
                    "source": "user_notice",
                    "category": "unsafe_toy",
                    "received_at": "2026-10-03T10:00:00Z",
                    "explanation": HOSTILE,
                }
            ],
        ),
        listing_line("L-2", currency="\x1b[31mEU"),
    ]
    feed.write_text("\n".join(lines) + "\n")
    db = str(tmp_path / "m.db")

    outputs = [run(capsys, "--db", db, "import", str(feed))]
    outputs.append(run(capsys, "--db", db, "listing", "L-1"))
    outputs.append(run(capsys, "--db", db, "trader", "T-1"))
    outputs.append(run(capsys, "--db", db, "--reviewer", "r", "next", "--queue", "product-safety"))
    code, as_json, _ = run(capsys, "--db", db, "listing", "L-1", "--json")
    outputs.append((code, as_json, ""))

    assert "field 'currency' must be a three-letter ISO 4217 code (got '\\u001b[31MEU')" in outputs[0][2]
    assert "\\u001b]0;pwned\\u0007" in outputs[1][1]
    assert "Shop Toy \\u001b]0;pwned" in outputs[2][1]
    assert "flag: user_notice / unsafe_toy: Toy \\u001b]0;pwned" in outputs[3][1]
    for _, out, err in outputs:
        assert controls(out + err) == []
    assert json.loads(as_json)["listing"]["title"] == HOSTILE  # the JSON still says exactly what was given


# -- 12 (part). importing something that is not a file says what it is --------------------------------------


def test_importing_a_folder_a_fifo_or_a_device_says_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "feed.fifo")
    (tmp_path / "folder.jsonl").mkdir()
    db = str(tmp_path / "m.db")
    cases = {
        tmp_path / "folder.jsonl": "it is a folder, not a file",
        tmp_path / "feed.fifo": "not a regular file",
        Path("/dev/urandom"): "not a regular file",
        tmp_path / "missing.jsonl": "no such file",
    }
    for path, reason in cases.items():
        code, out, err = run(capsys, "--db", db, "import", str(path), "--quiet")
        assert (code, out) == (2, ""), path
        assert [line for line in err.splitlines() if line] == [err.strip()] and reason in err, path


def test_the_import_service_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    import threading

    from moderator_app.domain.errors import InvalidInput
    from moderator_app.services.workstation import open_workstation

    os.mkfifo(tmp_path / "feed.jsonl")
    ws = open_workstation(f"sqlite:///{tmp_path / 'm.db'}")
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            ws.importer.import_file(tmp_path / "feed.jsonl")
        except BaseException as exc:  # the test looks at whatever came out
            errors.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=20)
    blocked = worker.is_alive()
    if blocked:  # unblock the open so the thread can end
        with open(tmp_path / "feed.jsonl", "wb"):
            pass
        worker.join(timeout=20)
    ws.close()
    assert not blocked
    [error] = errors
    assert isinstance(error, InvalidInput) and str(error).endswith("not a regular file")
