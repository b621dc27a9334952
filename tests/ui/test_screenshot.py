"""``moderator-app screenshot``: the window rendered offscreen with the first item loaded."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from moderator_app.services.workstation import Workstation
from moderator_app.ui.screenshot import render_screenshot
from tests.ui.conftest import QUEUE


def test_a_screenshot_shows_the_first_item_and_gives_its_claims_back(
    qapp: object, review_ws: Workstation, tmp_path: Path
) -> None:
    out = render_screenshot(
        review_ws, tmp_path / "shots" / "review.png", "docs", queue=QUEUE, size=(1440, 900)
    )
    with Image.open(out) as im:
        assert im.format == "PNG" and im.size == (1440, 900)
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 500  # a drawn window with images, not a blank frame
    counts = {c.queue: c for c in review_ws.review.queue_counts()}
    assert counts[QUEUE].claimed == 0 and counts[QUEUE].pending == 10


def test_a_screenshot_of_an_empty_queue_is_the_calm_empty_page(
    qapp: object, review_ws: Workstation, tmp_path: Path
) -> None:
    out = render_screenshot(
        review_ws, tmp_path / "empty.png", "docs", queue="no-such-queue", size=(1280, 800)
    )
    with Image.open(out) as im:
        assert im.size == (1280, 800)
