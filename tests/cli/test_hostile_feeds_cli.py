"""Issue 10, hostile feeds, through the real command line: ``moderator-app import`` of hostile files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from moderator_app.cli import main
from tests.services.test_hostile_feeds import TRADER, listing_line


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
