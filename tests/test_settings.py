"""One settings object, built at the entry point from the environment and the command line (issue 9)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import moderator_app
from moderator_app import paths
from moderator_app.cli.main import main
from moderator_app.services.workstation import open_workstation
from moderator_app.settings import Settings

PACKAGE = Path(moderator_app.__file__).parent
# The entry points: the CLI's main() builds Settings; ensure_app() tells Qt to render offscreen.
ENTRY_POINTS = {"cli/main.py", "ui/app.py"}


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv", "putenv"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "environb", "getenv") for a in node.names)
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_but_the_entry_points_reads_the_environment() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        lines = _reads_environment(ast.parse(path.read_text(encoding="utf-8")))
        if lines and rel not in ENTRY_POINTS:
            offenders[rel] = lines
    assert offenders == {}


def test_the_scan_sees_each_way_of_reading_it() -> None:
    for source in ("import os\nos.environ.get('X')", "import os\nos.getenv('X')", "from os import environ"):
        assert _reads_environment(ast.parse(source))


def test_settings_from_the_environment_and_the_command_line(tmp_path: Path) -> None:
    env = {
        "MODERATOR_DATA_DIR": str(tmp_path / "data"),
        "MODERATOR_DB_URL": "postgresql+psycopg://u@h/db",
        "MODERATOR_MODELS_DIR": str(tmp_path / "models"),
        "MODERATOR_TEXT_RULES": str(tmp_path / "rules.json"),
        "MODERATOR_REVIEWER": "r.env",
        "MODERATOR_PASSWORD": "secret",
        "HOME": "/nowhere",
    }
    s = Settings.from_environ(env)
    assert (s.data_dir, s.database, s.user) == (tmp_path / "data", "postgresql+psycopg://u@h/db", "r.env")
    assert (s.models_dir, s.rules_path) == (tmp_path / "models", tmp_path / "rules.json")
    assert s.log_folder == tmp_path / "data" / "logs"
    assert s.secret("MODERATOR_PASSWORD") == "secret" and "secret" not in repr(s)
    given = Settings.from_environ(env, db=str(tmp_path / "x.db"), user="r.arg")
    assert (given.database, given.user) == (str(tmp_path / "x.db"), "r.arg")
    bare = Settings.from_environ({"MODERATOR_DATA_DIR": str(tmp_path)})
    assert bare.database == str(tmp_path / "moderator.db")
    assert bare.models_dir == paths.models_dir() and (bare.models_dir / "manifest.json").is_file()
    assert bare.rules_path.is_file()


def test_the_workstation_uses_the_folders_it_is_handed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, models_dir=tmp_path / "no-models", media_dir=tmp_path / "media")
    ws = open_workstation(settings=settings)
    try:
        assert ws.db.sqlite_path == tmp_path / "moderator.db"
        assert ws.db.media.root == tmp_path / "media"
        assert any("no-models" in p for p in ws.predictions.engines().model_problems)
    finally:
        ws.close()


def test_the_cli_takes_its_folders_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MODERATOR_DATA_DIR", str(tmp_path / "data"))
    assert main(["queue"]) == 0
    assert (tmp_path / "data" / "moderator.db").is_file()
    assert "No open review items." in capsys.readouterr().out
