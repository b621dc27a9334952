"""Text in images with rapidocr: read as a person reads it, with boxes in full-size image pixels."""

from __future__ import annotations

import pytest
from PIL import ImageFont

from moderator_app.domain.predictions.ocr import OcrLine
from moderator_app.inference.images import prepare
from moderator_app.inference.manifest import InputSpec
from moderator_app.inference.ocr import OcrEngine, merge_into_lines
from tests.prediction_data import FONT, text_image

SPECS = (InputSpec(224, "shorter_side", 256),)


@pytest.fixture(scope="module")
def ocr() -> OcrEngine:
    engine = OcrEngine(threads=2)
    assert engine.available, engine.problem
    return engine


def test_a_phone_number_is_read_exactly_with_its_box_in_full_size_pixels(ocr: OcrEngine) -> None:
    # a large photo (read at a reduced size) with the number at a known place
    data = text_image(["WhatsApp +86 138 0013 8000"], size=(3200, 1200), font_size=120, at=(200, 500))
    image = prepare(data, SPECS, ocr=True)
    assert image.ocr is not None and image.ocr.shape[1] == 1600

    lines = ocr.read(image.ocr, image.ocr_scale)

    assert [line.text for line in lines] == ["WhatsApp +86 138 0013 8000"]
    # where Pillow drew it, in pixels of the 3200 x 1200 picture (within a few pixels of the 1600 read)
    left, top, right, bottom = ImageFont.truetype(FONT, 120).getbbox("WhatsApp +86 138 0013 8000")
    (x0, y0), _, (x1, y1), _ = lines[0].box
    assert x0 == pytest.approx(200 + left, abs=40) and x1 == pytest.approx(200 + right, abs=40)
    assert y0 == pytest.approx(500 + top, abs=40) and y1 == pytest.approx(500 + bottom, abs=40)
    assert lines[0].score > 0.9


def test_several_lines_come_in_reading_order(ocr: OcrEngine) -> None:
    image = prepare(text_image(["Cures diabetes", "no side effects"]), SPECS, ocr=True)
    assert image.ocr is not None
    assert [line.text for line in ocr.read(image.ocr)] == ["Cures diabetes", "no side effects"]


def test_a_picture_without_text_gives_no_lines(ocr: OcrEngine) -> None:
    image = prepare(text_image([]), SPECS, ocr=True)
    assert image.ocr is not None
    assert ocr.read(image.ocr) == ()
    assert ocr.ref is not None and ocr.ref.id == "ocr" and len(ocr.ref.sha256) == 64


def test_words_side_by_side_are_joined_into_the_line_a_person_sees() -> None:
    def word(text: str, x0: float, x1: float, y0: float = 20) -> OcrLine:
        return OcrLine(text, 0.99, ((x0, y0), (x1, y0), (x1, y0 + 40), (x0, y0 + 40)))

    lines = merge_into_lines(
        [word("138", 210, 290), word("WhatsApp", 10, 200), word("+86", 205, 208), word("Price", 10, 120, 200)]
    )
    assert [line.text for line in lines] == ["WhatsApp +86 138", "Price"]
    assert lines[0].box == ((10, 20), (290, 20), (290, 60), (10, 60))
