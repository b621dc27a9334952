"""``moderator-app score`` and ``moderator-app predict`` as a person or a script uses them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from moderator_app.cli import main
from moderator_app.services.workstation import open_workstation
from tests.factories import seed
from tests.prediction_data import EVAL, ROOT, add_images, text_image

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "images"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _db(tmp_path: Path, listings: int) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ws = open_workstation(url)
    try:
        s = seed(ws, listings=listings, queue="health")
        for i, lid in enumerate(s.listing_ids):
            add_images(
                ws,
                lid,
                [text_image([f"Shop {i}", "WhatsApp +86 138 0013 8000"], size=(500, 260), font_size=30)],
            )
    finally:
        ws.close()
    return url


def test_predict_prints_each_result_and_one_line_per_unreadable_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "predict", str(EVAL / "photos/coffee.jpg"), str(SAMPLES / "corrupt.png"), "--no-ocr"
    )
    assert code == 1  # one file could not be read
    assert err.strip() == (
        f"moderator-app: {SAMPLES / 'corrupt.png'}: cannot read the image: "
        "corrupt or truncated image (broken data stream when reading image file)"
    )
    assert "coffee.jpg (600x400):" in out
    assert "The photo does not clearly show one of the watched product types (closest labels: espresso" in out
    assert "top labels: espresso 9" in out
    assert re.search(r"\n  adult content: \d%\n", out) and "blurred" not in out
    assert "models: product-type v1 (a76620558fea), adult-content v1 (9f56234c7329)" in out
    assert "unsafe" not in out and "counterfeit" not in out


def test_predict_json_for_scripts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    label = tmp_path / "label.jpg"
    label.write_bytes(text_image(["Telegram @cheap_meds_eu"]))
    code, out, err = run(capsys, "predict", str(label), str(EVAL / "photos/rocket.jpg"), "--json")
    assert code == 0 and err == ""
    first, rocket = json.loads(out)
    assert first["ok"] and [line["text"] for line in first["ocr"]] == ["Telegram @cheap_meds_eu"]
    assert [(f["kind"], f["matched_text"]) for f in first["findings"]] == [
        ("hidden_link", "Telegram @cheap_meds_eu")
    ]
    assert first["findings"][0]["location"]["box"] is not None
    assert rocket["product"]["top_labels"][0]["label"] == "missile"
    assert rocket["sentence"].startswith("The photo appears to show weapons or military gear")
    assert rocket["blur"] is False and rocket["adult"]["score"] < 0.1


def test_score_reports_what_it_did_and_a_second_run_has_nothing_left(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = _db(tmp_path, listings=3)
    code, out, err = run(capsys, "--db", db, "score", "--queue", "health", "--limit", "2")
    assert code == 0
    assert out.startswith(
        "scoring done: 2 listings scanned, 2 images scored (0 already cached, 0 unreadable), "
    )
    assert "2 review items reprioritised" in out and "ocr 2" in out
    assert (
        "scoring: 100.0% 2/2 listings, 2 images" in err
    )  # progress (a plain line: stderr is not a terminal)

    code, out, _ = run(capsys, "--db", db, "score", "--json", "--quiet")
    report = json.loads(out)
    assert code == 0 and report["listings_scanned"] == 1 and report["model_runs"]["ocr"] == 1
    code, out, _ = run(capsys, "--db", db, "score")
    assert code == 0 and out.startswith("scoring done: 0 listings scanned")


def test_score_rejects_a_bad_limit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["score", "--limit", "0"])
    assert exc.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.slow
def test_ctrl_c_stops_scoring_keeping_finished_work_and_the_next_run_finishes(tmp_path: Path) -> None:
    db = _db(tmp_path, listings=24)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "moderator_app", "--db", db, "score"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the first progress line: one chunk is committed
    assert first.startswith("scoring:  16.7% 4/24 listings"), first
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert out.startswith("scoring interrupted; kept so far: ")
    assert "run the same command again to finish: nothing is scored twice" in out
    assert "Traceback" not in err
    kept = int(out.split("kept so far: ")[1].split(" listings")[0])
    assert 4 <= kept < 24

    again = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"scoring done: {24 - kept} listings scanned, {24 - kept} images scored")
