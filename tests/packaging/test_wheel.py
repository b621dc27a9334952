"""The wheel carries everything the app reads at run time, and an installed wheel starts from anywhere.

Issue 9: resources/ and models/ used to sit beside the package, so ``pip install .`` gave an app that
could not start. The first test builds the wheel and compares it with the package folder; the second
installs it into a fresh virtual environment and runs the commands a person would try first, from a
folder that is not the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "moderator_app"
PHOTO = ROOT / "scripts" / "models" / "eval" / "photos" / "coffee.jpg"
DEMO_USER, DEMO_PASSWORD = "a.moreau", "a.moreau-demo-2025"  # scripts/run.sh


def _clean_env(**extra: str) -> dict[str, str]:
    """No PYTHONPATH (the checkout must not be importable) and nothing of the caller's configuration."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("MODERATOR_")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    src = tmp_path_factory.mktemp("src") / "moderator"
    # Build from a copy, so the checkout gets no build/ or *.egg-info folders.
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "__pycache__", "build", "dist", "*.egg-info", "benchmarks", "tests", "docs"
        ),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=_clean_env(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (built,) = out.glob("moderator_workstation-*.whl")
    return built


def _package_files() -> set[str]:
    return {
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_the_wheel_carries_resources_models_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "moderator_app/resources/text_rules.json",
        "moderator_app/resources/sor_templates.json",
        "moderator_app/resources/i18n/moderator_de.ts",
        "moderator_app/resources/models/manifest.json",
        "moderator_app/resources/models/product-type-v1.onnx",
        "moderator_app/resources/models/adult-content-v1.onnx",
        "moderator_app/storage/migrations/env.py",
        "moderator_app/storage/migrations/script.py.mako",
        "moderator_app/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert needed in names
    # Everything in the package folder ships: a new resource or migration cannot be forgotten.
    assert _package_files() - names == set()
    with zipfile.ZipFile(wheel) as zf:
        assert zf.getinfo("moderator_app/resources/models/product-type-v1.onnx").file_size > 1_000_000
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "moderator-app = moderator_app.cli:main" in zf.read(entry_points).decode()


@pytest.mark.slow
def test_an_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    purelib = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    # Install the wheel alone into the new environment (pip --python: its scripts start that interpreter)...
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
         "--no-deps", "--no-compile", str(wheel)],
        check=True,
        timeout=120,
        env=_clean_env(),
    )
    # ...and reuse the dependencies this test runs with: a .pth line adds their folder (and only it: the
    # project's own editable install there is a .pth that a plain path line does not run).
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "deps-of-the-test-run.pth").write_text("\n".join(sorted(here)) + "\n", encoding="utf-8")
    app = venv / "bin" / "moderator-app"
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _clean_env(
        MODERATOR_DATA_DIR=str(tmp_path / "data"),
        QT_QPA_PLATFORM="offscreen",
        MODERATOR_USER=DEMO_USER,
        MODERATOR_PASSWORD=DEMO_PASSWORD,
    )
    db = str(work / "demo.db")

    def run(*args: str) -> str:
        proc = subprocess.run(
            [str(app), "--db", db, *args], cwd=work, env=env, capture_output=True, text=True, timeout=60,
            check=False,
        )
        assert proc.returncode == 0, (args, proc.stderr[-2000:])
        return proc.stdout

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import moderator_app; print(moderator_app.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    assert where.startswith(str(venv)), where  # the installed copy, not the checkout

    assert '"listings": 40' in run("demo", "--listings", "40", "--traders", "12")
    assert "pending" in run("queue").lower()
    predicted = run("predict", str(PHOTO))
    assert "espresso" in predicted and "product-type v1" in predicted  # the shipped models were found
    run("screenshot", str(work / "shot.png"))
    assert (work / "shot.png").stat().st_size > 20_000
