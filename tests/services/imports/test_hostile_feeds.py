"""Issue 10, hostile feeds: what a marketplace feed written by an attacker can and cannot do to an import."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import EpsImagePlugin, Image

from moderator_app.domain.image_limits import DECODABLE_FORMATS, UNSUPPORTED_FORMAT
from moderator_app.inference.images import ImageUnreadable, prepare
from moderator_app.inference.manifest import InputSpec
from moderator_app.services.workstation import Workstation
from moderator_app.storage.media import probe_image
from tests.services.imports.test_importer import TRADER, flag, listing_line

EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
    b"newpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
)
def saved(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buf, fmt)
    return buf.getvalue()


def foreign_formats() -> dict[str, bytes]:
    """Files Pillow could decode but a feed never needs, each one under a .png name below."""
    return {"EPS": EPS, **{f: saved(f) for f in ("PCX", "TGA", "BMP", "TIFF", "PPM", "SGI")}}


def spy_on_ghostscript(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every time Pillow would hand a file to Ghostscript."""
    calls: list[object] = []

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(args)
        raise OSError("Ghostscript was called")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", spy)
    return calls


@pytest.fixture
def ghostscript_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    return spy_on_ghostscript(monkeypatch)


# -- 1. only the formats a feed needs are decoded ----------------------------------------------------------


def test_the_shared_list_holds_the_feed_formats() -> None:
    assert set(DECODABLE_FORMATS) == {"JPEG", "PNG", "GIF", "WEBP"}
    for fmt in ("JPEG", "PNG", "GIF", "WEBP"):
        probe = probe_image(saved(fmt))
        assert probe.readable and probe.format == fmt


@pytest.mark.parametrize("fmt", sorted(foreign_formats()))
def test_the_media_probe_refuses_other_formats(fmt: str, ghostscript_calls: list[object]) -> None:
    probe = probe_image(foreign_formats()[fmt])
    assert (probe.readable, probe.problem) == (False, UNSUPPORTED_FORMAT)
    assert ghostscript_calls == []


@pytest.mark.parametrize("fmt", sorted(foreign_formats()))
def test_the_model_input_loader_refuses_other_formats(fmt: str, ghostscript_calls: list[object]) -> None:
    with pytest.raises(ImageUnreadable, match=r"not an image of a supported format"):
        prepare(foreign_formats()[fmt], [InputSpec(224, "shorter_side", 256)])
    assert ghostscript_calls == []


def test_an_eps_named_png_is_imported_as_an_unreadable_image_the_listing_kept(
    sqlite_ws: Workstation, tmp_path: Path, ghostscript_calls: list[object]
) -> None:
    (tmp_path / "x.png").write_bytes(EPS)
    (tmp_path / "y.png").write_bytes(saved("TGA"))
    lines = [TRADER, listing_line("L-1", images=["x.png", "y.png"], flags=[flag()])]

    report = sqlite_ws.importer.import_lines(lines, base_dir=tmp_path)

    assert (report.listings_added, report.images_stored, report.images_unreadable) == (1, 0, 2)
    images = sqlite_ws.lookup.listing("L-1").images
    assert [(i.readable, i.problem) for i in images] == [(False, UNSUPPORTED_FORMAT)] * 2
    assert ghostscript_calls == []


# -- 2. one bad line never aborts an import ----------------------------------------------------------------

OVERFLOWING = ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00")


def trader_line(ext: str, **fields: Any) -> str:
    return json.dumps({"record": "trader", "id": ext, "name": f"Shop {ext}", "kind": "business", **fields})


def hostile_date_lines(field: str, value: str) -> str:
    if field == "created_at":
        return listing_line("L-BAD", created_at=value)
    if field == "received_at":
        return listing_line("L-BAD", flags=[flag(received_at=value)])
    if field == "suspended_until":
        return trader_line("T-BAD", status="suspended", suspended_until=value)
    trader = json.loads(trader_line("T-BAD", status="suspended", suspended_until=value))
    del trader["record"]
    return listing_line("L-BAD", trader=trader)


@pytest.mark.parametrize("value", OVERFLOWING)
@pytest.mark.parametrize("field", ["created_at", "received_at", "suspended_until", "trader.suspended_until"])
def test_a_date_that_overflows_in_utc_is_one_rejected_line(ws: Workstation, field: str, value: str) -> None:
    lines = [
        TRADER,
        listing_line("L-1", flags=[flag()]),
        hostile_date_lines(field, value),
        listing_line("L-2"),
    ]

    report = ws.importer.import_lines(lines, base_dir=Path())

    where = {"received_at": "flags[0].received_at"}.get(field, field)
    assert report.rejected == [
        (3, f"field '{where}' is outside the years 1 to 9999 once converted to UTC: '{value}'")
    ]
    assert report.listings_added == 2 and not report.interrupted


def test_the_extreme_dates_themselves_are_imported(ws: Workstation) -> None:
    lines = [
        trader_line("T-1", status="suspended", suspended_until="9999-12-31T23:59:59Z"),
        listing_line(
            "L-1", created_at="0001-01-01T00:00:00Z", flags=[flag(received_at="9999-12-31T23:59:59+00:00")]
        ),
        listing_line(
            "L-2", created_at="9999-12-31T23:59:59Z", flags=[flag(received_at="0001-01-01T00:00:00")]
        ),
    ]
    report = ws.importer.import_lines(lines, base_dir=Path())
    assert (report.rejected, report.listings_added, report.items_opened) == ([], 2, 2)


def test_a_symlink_loop_in_the_import_folder_is_one_unreadable_image(
    sqlite_ws: Workstation, tmp_path: Path
) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "ok.png").write_bytes(saved("PNG"))
    lines = [
        TRADER,
        listing_line("L-1", images=["loop"]),
        listing_line("L-2", images=["a/x.png", "ok.png"]),
        listing_line("L-3"),
    ]

    report = sqlite_ws.importer.import_lines(lines, base_dir=tmp_path)

    assert (report.rejected, report.listings_added) == ([], 3)
    assert (report.images_stored, report.images_unreadable) == (1, 2)
    [loop] = sqlite_ws.lookup.listing("L-1").images
    assert not loop.readable and "symbolic link" in (loop.problem or "")


def test_an_unexpected_error_while_checking_a_line_is_that_lines_failure(
    sqlite_ws: Workstation, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from moderator_app.services.imports import importer

    real = importer.parse_record

    def parse(obj: Any, raw: str = "") -> Any:
        if isinstance(obj, dict) and obj.get("title") == "boom":
            raise KeyError("a bug")
        return real(obj, raw)

    monkeypatch.setattr(importer, "parse_record", parse)
    lines = [TRADER, listing_line("L-1"), listing_line("L-2", title="boom"), listing_line("L-3")]

    report = sqlite_ws.importer.import_lines(lines, base_dir=Path())

    assert report.listings_added == 2
    [(number, reason)] = report.rejected
    assert number == 3 and reason.startswith("internal error (KeyError); this is a bug")
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


def test_an_unexpected_error_while_writing_a_record_is_that_lines_failure(
    ws: Workstation, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from moderator_app.storage.imports import import_repo

    real = import_repo.insert_listings

    def insert(session: Any, rows: Any, now: Any) -> Any:
        if any(r.external_id == "L-BAD" for r, _ in rows):
            raise ValueError("a bug in the storage layer")
        return real(session, rows, now)

    monkeypatch.setattr(import_repo, "insert_listings", insert)
    lines = [
        TRADER,
        listing_line("L-1", flags=[flag()]),
        listing_line("L-BAD"),
        listing_line("L-BAD"),
        listing_line("L-3"),
    ]

    report = ws.importer.import_lines(lines, base_dir=Path())

    assert (report.listings_added, report.traders_added, report.items_opened) == (2, 1, 1)
    assert [n for n, _ in report.rejected] == [3, 4]
    assert all(reason.startswith("internal error (ValueError)") for _, reason in report.rejected)
    assert report.lines_read == 5
    assert {d.listing.external_id for d in map(ws.lookup.listing, ["L-1", "L-3"])} == {"L-1", "L-3"}
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


# -- 3. limits on untrusted text ---------------------------------------------------------------------------


def inline_trader(**fields: Any) -> dict[str, Any]:
    trader = json.loads(trader_line("T-2", **fields))
    del trader["record"]
    return trader


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "t" * 1001}, "field 'title' is longer than 1000 characters"),
        ({"description": "d" * 20_001}, "field 'description' is longer than 20000 characters"),
        (
            {"flags": [flag(explanation="e" * 5001)]},
            "field 'flags[0].explanation' is longer than 5000 characters",
        ),
        ({"url": "https://x.example/" + "u" * 2048}, "field 'url' is longer than 2048 characters"),
        ({"images": ["i" * 1025]}, "'images[0]' is longer than 1024 characters"),
        ({"images": ["a.png"] * 21}, "field 'images' has more than 20 entries (21)"),
        ({"flags": [flag(id=str(i)) for i in range(21)]}, "field 'flags' has more than 20 entries (21)"),
        (
            {"trader": inline_trader(address="a" * 1001)},
            "field 'trader.address' is longer than 1000 characters",
        ),
        (
            {"trader": inline_trader(kind="k" * 100_000)},
            "must be one of business, private (got 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk')",
        ),
    ],
)
def test_free_text_over_its_limit_is_rejected_naming_the_limit(
    sqlite_ws: Workstation, fields: dict[str, Any], reason: str
) -> None:
    lines = [TRADER, listing_line("L-1", **fields), listing_line("L-2")]
    report = sqlite_ws.importer.import_lines(lines, base_dir=Path())
    [(number, message)] = report.rejected
    assert number == 2 and message.endswith(reason)
    assert report.listings_added == 1


def test_the_largest_valid_values_are_accepted(sqlite_ws: Workstation) -> None:
    line = listing_line(
        "L-1",
        title="t" * 1000,
        description="d" * 20_000,
        flags=[flag(id=str(i), explanation="e" * 5000) for i in range(20)],
        trader=inline_trader(address="a" * 1000),
    )
    report = sqlite_ws.importer.import_lines([line], base_dir=Path())
    assert (report.rejected, report.listings_added, report.flags_added) == ([], 1, 20)


@pytest.mark.parametrize("at_the_end", [False, True])
def test_a_line_over_the_maximum_is_rejected_without_being_read_whole(
    sqlite_ws: Workstation, tmp_path: Path, at_the_end: bool
) -> None:
    import tracemalloc

    huge = 40 * 1024 * 1024
    feed = tmp_path / "feed.jsonl"
    with feed.open("wb") as fh:
        fh.write((TRADER + "\n" + listing_line("L-1") + "\n").encode())
        fh.write(b'{"id": "L-2", "title": "')
        chunk = b"x" * (1024 * 1024)
        for _ in range(huge // len(chunk)):
            fh.write(chunk)
        if not at_the_end:
            fh.write(b'"}\n' + listing_line("L-3").encode() + b"\n")

    tracemalloc.start()
    try:
        report = sqlite_ws.importer.import_file(feed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    [(number, reason)] = report.rejected
    assert number == 3 and reason.startswith("the line is longer than 1,048,576 bytes")
    assert report.listings_added == (1 if at_the_end else 2)
    assert peak < 16 * 1024 * 1024  # a block and a limit, not the 40 MB line


@pytest.mark.parametrize(
    "hostile", ["a." * 3000, "a-" * 5000, "a dot " * 2000, "a [dot] " * 1500, "a.b+" * 2500]
)
def test_contact_patterns_take_linear_time_on_hostile_text(hostile: str) -> None:
    import time

    from moderator_app.domain.review.contact_patterns import find_contacts

    started = time.perf_counter()
    find_contacts(hostile)  # 6,000 to 12,000 characters: seconds with the quadratic patterns
    assert time.perf_counter() - started < 1.0


# -- 5. no file from outside the import folder, even in a race ---------------------------------------------


def test_a_link_swapped_in_between_check_and_read_cannot_bring_in_an_outside_file(
    sqlite_ws: Workstation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    feed_dir = tmp_path / "feed"
    feed_dir.mkdir()
    inside, outside = saved("PNG"), saved("GIF")
    (feed_dir / "a.png").write_bytes(inside)
    (tmp_path / "secret.gif").write_bytes(outside)
    real_stat, real_fstat = os.stat, os.fstat
    swapped: list[str] = []

    def swap() -> None:  # what an attacker's process does while the import runs
        if not swapped:
            swapped.append("now")
            (feed_dir / "a.png").unlink()
            (feed_dir / "a.png").symlink_to(tmp_path / "secret.gif")

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        result = real_stat(path, *args, **kwargs)
        if str(path).endswith("a.png"):
            swap()
        return result

    def fstat(fd: int) -> Any:
        result = real_fstat(fd)
        swap()
        return result

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "fstat", fstat)
    report = sqlite_ws.importer.import_lines(
        [TRADER, listing_line("L-1", images=["a.png"])], base_dir=feed_dir
    )
    monkeypatch.undo()

    assert swapped and report.listings_added == 1
    [image] = sqlite_ws.lookup.listing("L-1").images
    assert image.format != "GIF" and image.sha256 != hashlib.sha256(outside).hexdigest()
    assert not any(p.read_bytes() == outside for p in sqlite_ws.db.media.root.rglob("*") if p.is_file())


def test_no_symbolic_link_is_followed_below_the_import_folder(sqlite_ws: Workstation, tmp_path: Path) -> None:
    feed_dir = tmp_path / "feed"
    (feed_dir / "pics").mkdir(parents=True)
    (feed_dir / "pics" / "ok.png").write_bytes(saved("PNG"))
    (tmp_path / "secret.png").write_bytes(saved("PNG"))
    (feed_dir / "out.png").symlink_to(tmp_path / "secret.png")
    (feed_dir / "alias").symlink_to(feed_dir / "pics")
    (feed_dir / "up").symlink_to(tmp_path)
    names = [
        "pics/ok.png",
        "out.png",
        "alias/ok.png",
        "up/secret.png",
        "pics/../pics/ok.png",
        "pics/../../secret.png",
    ]

    report = sqlite_ws.importer.import_lines([TRADER, listing_line("L-1", images=names)], base_dir=feed_dir)

    problems = [i.problem for i in sqlite_ws.lookup.listing("L-1").images]
    link = "refused: the path goes through a symbolic link"
    outside = "refused: the path leads outside the folder of the import file"
    assert problems == [None, link, link, link, None, outside]
    assert report.images_stored == 2


def test_a_fifo_or_a_folder_named_as_an_image_never_blocks_the_import(
    sqlite_ws: Workstation, tmp_path: Path
) -> None:
    import os

    os.mkfifo(tmp_path / "fifo.png")
    (tmp_path / "folder.png").mkdir()
    report = sqlite_ws.importer.import_lines(
        [TRADER, listing_line("L-1", images=["fifo.png", "folder.png"])], base_dir=tmp_path
    )
    problems = [i.problem for i in sqlite_ws.lookup.listing("L-1").images]
    assert problems == ["not a regular file", "not a regular file (a folder)"]
    assert report.listings_added == 1


# -- 6. look-alike ids and queues -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"id": "L-\u200b1"}, "id"),
        ({"trader": "T-\u20621"}, "trader"),
        ({"queue": "product\u200d-safety", "flags": [flag()]}, "queue"),
        ({"trader": inline_trader(id="T-\u202e2")}, "trader.id"),
        ({"flags": [flag(id="N-\ufeff1")]}, "flags[0].id"),
    ],
)
def test_format_characters_in_ids_and_queues_are_refused(
    sqlite_ws: Workstation, fields: dict[str, Any], field: str
) -> None:
    lines = [TRADER, listing_line("L-1", **fields), listing_line("L-2")]
    report = sqlite_ws.importer.import_lines(lines, base_dir=Path())
    [(number, reason)] = report.rejected
    assert number == 2 and reason.startswith(f"field '{field}' contains an invisible format character (U+")
    assert report.listings_added == 1


def test_ids_trader_ids_and_queues_are_normalised_so_look_alikes_are_one(sqlite_ws: Workstation) -> None:
    composed, decomposed = "L-caf\u00e9", "L-cafe\u0301"
    trader = json.dumps({"record": "trader", "id": "T-\u00e9", "name": "Shop", "kind": "business"})
    lines = [
        trader,
        listing_line(composed, trader="T-e\u0301", flags=[flag()], queue="q-\u00e9", title="Same"),
        listing_line(decomposed, trader="T-\u00e9", flags=[flag()], queue="q-e\u0301", title="Same"),
    ]

    report = sqlite_ws.importer.import_lines(lines, base_dir=Path())

    assert (report.rejected, report.traders_added, report.listings_added) == ([], 1, 1)
    assert report.listings_already_present == 1  # the decomposed id is the same listing
    detail = sqlite_ws.lookup.listing(composed)
    assert detail.trader.external_id == "T-\u00e9"
    assert [i.queue for i in detail.items] == ["q-\u00e9"]
