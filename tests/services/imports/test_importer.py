"""The JSONL import, on SQLite and PostgreSQL: what gets in, what is refused and why, and that an
interrupted or repeated import never leaves a half-written listing."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PIL import Image

from moderator_app.domain.dsa.model import OutboxKind
from moderator_app.domain.enums import Action, Ground, ItemState, ListingStatus, PolicyCategory, TraderStatus
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.image_limits import UNSUPPORTED_FORMAT
from moderator_app.domain.imports.import_parsing import RecordError, parse_record
from moderator_app.domain.imports.imports import ImportProgress
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.storage import orm

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLE = DATA / "sample-import.jsonl"
TABLES = ("traders", "listings", "listing_images", "flags", "review_items")


def sample_lines() -> list[bytes]:
    return SAMPLE.read_bytes().splitlines()


def expected_rejections() -> dict[int, str]:
    """Line number -> text its reason must contain, from the sample's ``// expect:`` comments."""
    expected = {}
    for number, raw in enumerate(sample_lines(), start=1):
        if raw.startswith(b"// expect: "):
            expected[number + 1] = raw.decode()[len("// expect: ") :]
    return expected


def good_listing_ids() -> set[str]:
    bad = expected_rejections()
    ids = set()
    for number, raw in enumerate(sample_lines(), start=1):
        if number in bad or not raw.startswith(b"{"):
            continue
        obj = json.loads(raw)
        if obj.get("record", "listing") == "listing":
            ids.add(obj["id"])
    return ids


def snapshot(ws: Workstation) -> dict[str, list[tuple[Any, ...]]]:
    with ws.db.engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {t} ORDER BY id"))] for t in TABLES
        }


def counts(ws: Workstation) -> dict[str, int]:
    return {t: len(rows) for t, rows in snapshot(ws).items()}


def listing_line(ext: str, trader: str = "T-1", **fields: Any) -> str:
    record = {
        "id": ext,
        "trader": trader,
        "title": f"Listing {ext}",
        "category": "Toys & Games",
        "created_at": "2026-10-02T08:15:00Z",
    }
    record.update(fields)
    return json.dumps(record)


def flag(category: str = "unsafe_toy", source: str = "user_notice", **fields: Any) -> dict[str, Any]:
    return {"source": source, "category": category, "received_at": "2026-10-03T10:00:00Z", **fields}


TRADER = json.dumps({"record": "trader", "id": "T-1", "name": "Toy Shop", "kind": "business"})


# -- good records ---------------------------------------------------------------------------------------


def test_good_records_are_imported_with_all_their_fields(ws: Workstation) -> None:
    report = ws.importer.import_file(SAMPLE)

    assert not report.interrupted
    assert report.listings_added == len(good_listing_ids())
    assert report.listings_already_present == 1  # the line repeated on purpose
    detail = ws.lookup.listing("L-1001")
    listing = detail.listing
    assert listing.title == "Kids magnetic building set 120 pcs"
    assert listing.description == "Colourful magnetic tiles.\nAges 3+."
    assert (listing.price_minor, listing.currency, listing.price_text) == (2490, "EUR", "24.90 EUR")
    assert listing.category == "Toys & Games"
    assert listing.url == "https://marketplace.example/item/L-1001"
    assert listing.ean == "4006381333931"
    assert listing.created_at == datetime(2026, 10, 2, 8, 15, tzinfo=UTC)
    assert listing.status is ListingStatus.LIVE
    trader = detail.trader
    assert trader.external_id == "T-1001"
    assert trader.legal_name == "Shenzhen Bright Toys Co., Ltd."
    assert trader.country == "CN"  # given as "cn"
    assert trader.missing_traceability() == []
    [f] = detail.flags
    assert (f.source.value, f.category, f.notifier) == ("user_notice", PolicyCategory.UNSAFE_TOY, "Jane Roe")
    assert f.explanation == "Small magnets come loose; no CE mark."

    charger = ws.lookup.listing("L-1002")
    assert charger.listing.price_minor == 1250  # given as the JSON number 12.5
    assert charger.listing.created_at == datetime(2026, 10, 4, 9, 30, tzinfo=UTC)  # no offset: UTC
    assert charger.flags[0].received_at == datetime(2026, 10, 4, 7, 31, tzinfo=UTC)  # from +02:00
    assert "trade register number" in charger.trader.missing_traceability()

    assert ws.lookup.listing("L-1008").listing.price_text == "1500 JPY"
    assert ws.lookup.trader("T-1004").trader.status is TraderStatus.WARNED
    inline = ws.lookup.listing("L-1004").trader  # given inside the listing line
    assert (inline.external_id, inline.display_name, inline.country) == ("T-2001", "Best Brand Outlet", "TR")
    unflagged = ws.lookup.listing("L-1006")
    assert unflagged.flags == [] and unflagged.items == []


def test_import_lines_takes_records_made_in_memory(ws: Workstation, tmp_path: Path) -> None:
    (tmp_path / "pics").mkdir()
    Image.new("RGB", (30, 20), "red").save(tmp_path / "pics" / "a.png")
    lines = [TRADER, listing_line("L-1", images=["pics/a.png"], flags=[flag()])]

    report = ws.importer.import_lines(lines, base_dir=tmp_path)

    assert (report.traders_added, report.listings_added, report.images_stored) == (1, 1, 1)
    [image] = ws.lookup.listing("L-1").images
    assert (image.width, image.height, image.format, image.readable) == (30, 20, "PNG", True)


# -- bad lines ----------------------------------------------------------------------------------------------


def test_each_bad_line_is_reported_with_its_number_and_reason(ws: Workstation) -> None:
    expected = expected_rejections()
    report = ws.importer.import_file(SAMPLE)

    assert [n for n, _ in report.rejected] == sorted(expected)
    for number, reason in report.rejected:
        assert expected[number] in reason, f"line {number}: {reason}"
    assert report.rejection_messages()[0].startswith(f"line {min(expected)}: ")
    assert report.exit_status == 1
    with ws.db.read() as s:
        stored = set(s.scalars(sa.select(orm.Listing.external_id)))
    assert stored == good_listing_ids()  # every bad line skipped, every good one kept


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            {"id": "L", "trader": "T", "category": "c", "created_at": "2026-01-01"},
            "missing required field 'title'",
        ),
        (
            {"id": "L", "trader": "T", "title": " ", "category": "c", "created_at": "2026-01-01"},
            "'title' is empty",
        ),
        (
            {"id": "x" * 101, "trader": "T", "title": "t", "category": "c", "created_at": "2026-01-01"},
            "longer than 100",
        ),
        (
            {"id": "L", "trader": "T", "title": "t", "category": "c", "created_at": "yesterday"},
            "not an ISO 8601",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "ean": 4006381333931,
            },
            "'ean' must be a string",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "ean": "400638133393",
            },
            "13 digits",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "price": "-1",
                "currency": "EUR",
            },
            "must not be negative",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "price": "1.5",
                "currency": "JPY",
            },
            "more than 0 decimals for JPY",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "price": True,
                "currency": "EUR",
            },
            "'price' must be a decimal number",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "flags": {"a": 1},
            },
            "'flags' must be a list",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "flags": [{"source": "automated", "category": "scam", "received_at": "2026-01-01"}],
            },
            "'flags[0].category' must be one of",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "flags": [{"source": "automated", "category": "other"}],
            },
            "missing required field 'flags[0].received_at'",
        ),
        (
            {
                "id": "L",
                "trader": {"id": "T", "name": "n"},
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
            },
            "missing required field 'trader.kind'",
        ),
        (
            {
                "id": "L",
                "trader": "T",
                "title": "t",
                "category": "c",
                "created_at": "2026-01-01",
                "priority": 1.0,
            },
            "'priority' must be a whole number",
        ),
        (
            {"record": "trader", "id": "T", "name": "n", "kind": "private", "country": "Germany"},
            "two-letter ISO 3166",
        ),
    ],
)
def test_validation_says_what_is_wrong(record: dict[str, Any], reason: str) -> None:
    line = json.dumps(record)
    with pytest.raises(RecordError, match=re.escape(reason)):
        parse_record(json.loads(line, parse_float=Decimal), line)


def test_a_trader_defined_only_after_its_listing_is_reported(ws: Workstation) -> None:
    late = json.dumps({"record": "trader", "id": "T-9", "name": "Late Ltd", "kind": "business"})
    report = ws.importer.import_lines([listing_line("L-1", trader="T-9"), late], base_dir=Path())

    assert report.rejected == [(1, "unknown trader 'T-9': it is defined only later, on line 2")]
    assert report.traders_added == 1


def test_a_missing_file_is_one_clear_error(ws: Workstation, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        ws.importer.import_file(tmp_path / "nope.jsonl")
    with pytest.raises(InvalidInput, match="folder"):
        ws.importer.import_file(tmp_path)


# -- idempotence and new flags -------------------------------------------------------------------------------


def test_importing_again_changes_nothing(ws: Workstation) -> None:
    first = ws.importer.import_file(SAMPLE)
    before = snapshot(ws)

    again = ws.importer.import_file(SAMPLE)

    assert snapshot(ws) == before
    assert (again.traders_added, again.listings_added, again.flags_added, again.items_opened) == (0, 0, 0, 0)
    assert (again.images_stored, again.images_unreadable) == (0, 0)
    assert again.listings_already_present == first.listings_added + first.listings_already_present
    assert again.rejected == first.rejected


def test_identical_repeats_in_one_batch_and_across_batches_count_as_present(ws: Workstation) -> None:
    line = listing_line("L-1", flags=[flag()])
    lines = [TRADER, line, line, listing_line("L-2"), listing_line("L-3"), line]

    report = ws.importer.import_lines(lines, base_dir=Path(), batch_size=3)

    assert (report.listings_added, report.listings_already_present, report.rejected) == (3, 2, [])
    assert counts(ws)["flags"] == 1 and counts(ws)["review_items"] == 1


def decide(ws: Workstation, ext: str, action: Action = Action.NO_VIOLATION) -> None:
    item = ws.review.claim_listing(ext, "alice")
    if action is Action.NO_VIOLATION:
        ws.review.decide(item.id, "alice", action)
    else:
        ws.review.decide(
            item.id, "alice", action, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Unsafe toy."
        )


def test_new_flags_on_an_existing_listing_are_added_and_open_a_review_item(ws: Workstation) -> None:
    ws.importer.import_lines([TRADER, listing_line("L-1", flags=[flag(id="N-1")])], base_dir=Path())
    decide(ws, "L-1")  # the first notice was looked at: nothing open now

    changed_title = listing_line(
        "L-1", title="Renamed by the seller", flags=[flag(id="N-1"), flag("counterfeit", id="N-2")]
    )
    report = ws.importer.import_lines([changed_title], base_dir=Path())

    assert (report.listings_already_present, report.flags_added, report.items_opened) == (1, 1, 1)
    detail = ws.lookup.listing("L-1")
    assert detail.listing.title == "Listing L-1"  # a listing already there keeps its fields
    assert [f.category for f in detail.flags] == [PolicyCategory.UNSAFE_TOY, PolicyCategory.COUNTERFEIT]
    [open_item] = [i for i in detail.items if i.state is ItemState.OPEN]
    assert open_item.queue == "counterfeit"  # routed by the new notice


def test_graver_new_flags_raise_the_open_item_instead_of_opening_another(ws: Workstation) -> None:
    ws.importer.import_lines([TRADER, listing_line("L-1", flags=[flag("other")])], base_dir=Path())
    [before] = ws.lookup.listing("L-1").items

    report = ws.importer.import_lines(
        [listing_line("L-1", flags=[flag("other"), flag("illegal_medicine", "authority_order")])],
        base_dir=Path(),
    )

    [after] = ws.lookup.listing("L-1").items
    assert (report.flags_added, report.items_opened) == (1, 0)
    assert after.id == before.id and after.priority > before.priority


def test_two_workstations_importing_the_same_file_at_once_store_each_listing_once(
    ws: Workstation, db_url: str, clock: Any, tmp_path: Path
) -> None:
    lines = many_lines(tmp_path, 200)
    other = open_workstation(db_url, clock=clock)
    reports: list[Any] = []
    try:
        threads = [
            threading.Thread(
                target=lambda w=w: reports.append(w.importer.import_lines(lines, tmp_path, batch_size=20))
            )
            for w in (ws, other)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        other.close()

    assert len(reports) == 2 and not any(r.rejected or r.interrupted for r in reports)
    assert sum(r.listings_added for r in reports) == 200 == counts(ws)["listings"]
    assert counts(ws)["flags"] == 400 and counts(ws)["review_items"] == 200
    assert_every_listing_complete(ws)


# -- images ------------------------------------------------------------------------------------------------------


def test_unreadable_images_are_marked_with_reasons_and_the_listing_is_imported(ws: Workstation) -> None:
    report = ws.importer.import_file(SAMPLE)

    problems = {}
    for ext in ("L-1002", "L-1003", "L-1004", "L-1008"):
        for image in ws.lookup.listing(ext).images:
            problems[Path(image.path).name if image.readable else f"{ext}#{image.position}"] = image.problem
    assert problems["L-1002#1"] == "file not found"
    assert problems["L-1002#2"] == "empty file"
    assert "corrupt" in problems["L-1003#1"]
    assert problems["L-1003#2"] == UNSUPPORTED_FORMAT
    assert "truncated" in problems["L-1004#1"]
    assert "decompression bomb" in problems["L-1004#2"]
    assert "8000x8000 pixels is too large" in problems["L-1004#3"]
    assert "outside the folder" in problems["L-1008#0"]
    assert report.images_unreadable == 8

    readable = [
        i for e in ("L-1001", "L-1002", "L-1003", "L-1004") for i in ws.lookup.listing(e).images if i.readable
    ]
    assert len(readable) == report.images_stored == 5
    sources = {p.read_bytes(): p for p in (DATA / "images").iterdir()}
    for image in readable:
        stored = Path(image.path).read_bytes()
        with Image.open(sources[stored]) as original:  # the very bytes of a source file
            assert (image.width, image.height, image.format) == (
                original.width,
                original.height,
                original.format,
            )


# -- interruptions -----------------------------------------------------------------------------------------------


def many_lines(tmp_path: Path, n: int) -> list[str]:
    Image.new("RGB", (8, 8), "blue").save(tmp_path / "p.png")
    return [TRADER] + [
        listing_line(f"L-{i:03d}", images=["p.png"], flags=[flag(), flag("counterfeit")]) for i in range(n)
    ]


def assert_every_listing_complete(ws: Workstation) -> None:
    with ws.db.read() as s:
        for listing in s.scalars(sa.select(orm.Listing)):
            detail = ws.lookup.listing(listing.external_id)
            assert len(detail.flags) == 2 and len(detail.images) == 1 and len(detail.items) == 1, (
                listing.external_id
            )


def test_an_interruption_between_batches_keeps_whole_batches_and_a_rerun_finishes(
    ws: Workstation, tmp_path: Path
) -> None:
    lines = many_lines(tmp_path, 30)
    seen: list[ImportProgress] = []

    def stop_after_first_batch(progress: ImportProgress) -> None:
        seen.append(progress)
        raise KeyboardInterrupt

    report = ws.importer.import_lines(lines, tmp_path, progress=stop_after_first_batch, batch_size=10)

    assert report.interrupted and report.exit_status == 130
    assert 0 < report.listings_added < 30
    assert counts(ws)["listings"] == report.listings_added == seen[0].listings_added
    assert_every_listing_complete(ws)

    rest = ws.importer.import_lines(lines, tmp_path, batch_size=10)
    assert not rest.interrupted
    assert rest.listings_added + report.listings_added == 30
    assert_every_listing_complete(ws)


@pytest.fixture
def interrupt_second_batch(ws: Workstation) -> Iterator[None]:
    """Ctrl-C, once, in the middle of the second batch's transaction: after its listings and flags were
    inserted, as its review items are."""
    state = {"commits": 0, "fired": False}

    def on_commit(conn: Any) -> None:
        state["commits"] += 1

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO review_items") and state["commits"] == 1 and not state["fired"]:
            state["fired"] = True
            raise KeyboardInterrupt

    sa.event.listen(ws.db.engine, "commit", on_commit)
    sa.event.listen(ws.db.engine, "before_cursor_execute", before)
    yield
    sa.event.remove(ws.db.engine, "before_cursor_execute", before)
    sa.event.remove(ws.db.engine, "commit", on_commit)


@pytest.mark.usefixtures("interrupt_second_batch")
def test_an_interruption_inside_a_batch_rolls_that_batch_back(ws: Workstation, tmp_path: Path) -> None:
    lines = many_lines(tmp_path, 30)
    report = ws.importer.import_lines(lines, tmp_path, batch_size=10)

    assert report.interrupted
    first_batch = 10 - 1  # the trader line and nine listings
    assert counts(ws)["listings"] == report.listings_added == first_batch  # the second left nothing
    assert counts(ws)["flags"] == 2 * first_batch and counts(ws)["review_items"] == first_batch
    assert_every_listing_complete(ws)

    rest = ws.importer.import_lines(lines, tmp_path, batch_size=10)
    assert (rest.listings_added, rest.listings_already_present) == (30 - first_batch, first_batch)
    assert_every_listing_complete(ws)


def test_ctrl_c_while_a_batch_is_being_written(ws: Workstation, tmp_path: Path) -> None:
    """A real SIGINT reaches the calling thread while the writer thread is inside a batch: that batch is
    rolled back (or, if it was already committing, kept whole), and the report says what is stored."""
    lines = many_lines(tmp_path, 60)
    state = {"commits": 0, "sent": False}

    def on_commit(conn: Any) -> None:
        state["commits"] += 1

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO flags") and state["commits"] == 1 and not state["sent"]:
            state["sent"] = True  # the second batch, its listings just inserted
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)  # let the calling thread take the interrupt before this batch goes on

    sa.event.listen(ws.db.engine, "commit", on_commit)
    sa.event.listen(ws.db.engine, "before_cursor_execute", before)
    try:
        report = ws.importer.import_lines(lines, tmp_path, batch_size=10)
    finally:
        sa.event.remove(ws.db.engine, "before_cursor_execute", before)
        sa.event.remove(ws.db.engine, "commit", on_commit)

    assert report.interrupted
    assert counts(ws)["listings"] == report.listings_added < 60
    assert counts(ws)["flags"] == report.flags_added and counts(ws)["review_items"] == report.items_opened
    assert_every_listing_complete(ws)
    rest = ws.importer.import_lines(lines, tmp_path, batch_size=10)
    assert rest.listings_added + report.listings_added == 60


def test_progress_is_reported_after_each_batch_up_to_the_whole_file(ws: Workstation) -> None:
    seen: list[ImportProgress] = []
    report = ws.importer.import_file(SAMPLE, progress=seen.append, batch_size=5)

    assert len(seen) > 2
    assert [p.bytes_read for p in seen] == sorted(p.bytes_read for p in seen)
    assert seen[-1].bytes_read == seen[-1].total_bytes == SAMPLE.stat().st_size
    assert seen[-1].fraction == 1.0
    assert seen[-1].lines_read == report.lines_read == len(sample_lines())


# -- routing -------------------------------------------------------------------------------------------------------


def test_flagged_listings_are_routed_to_queues_by_their_gravest_flag(ws: Workstation) -> None:
    ws.importer.import_file(SAMPLE)

    def item(ext: str) -> Any:
        [i] = ws.lookup.listing(ext).items
        return i

    assert item("L-1001").queue == "product-safety"
    assert item("L-1002").queue == "product-safety"
    assert item("L-1003").queue == "health"  # supplement and medicine: the medicine is graver
    assert item("L-1004").queue == "counterfeit"
    assert item("L-1005").queue == "hidden-links"
    assert item("L-1005").priority == 99  # given in the record
    assert item("L-1007").queue == "toy-specialists"  # given in the record
    assert item("L-1003").priority > item("L-1001").priority  # an authority order comes first
    pending = {q.queue: q.pending for q in ws.review.queue_counts()}
    assert pending == {
        "product-safety": 2,
        "health": 1,
        "counterfeit": 1,
        "hidden-links": 1,
        "toy-specialists": 1,
    }


def test_a_repeat_offender_is_reviewed_before_a_clean_trader(ws: Workstation) -> None:
    clean = json.dumps({"record": "trader", "id": "T-2", "name": "Clean Shop", "kind": "business"})
    ws.importer.import_lines(
        [TRADER, clean] + [listing_line(f"L-{i}", flags=[flag()]) for i in range(3)], Path()
    )
    for i in range(3):
        decide(ws, f"L-{i}", Action.REMOVE)
    assert ws.lookup.counters("T-1").repeat_offender

    ws.importer.import_lines(
        [listing_line("L-new", flags=[flag()]), listing_line("L-other", trader="T-2", flags=[flag()])], Path()
    )

    [offender] = ws.lookup.listing("L-new").items
    [other] = ws.lookup.listing("L-other").items
    assert offender.priority > other.priority


def test_imported_times_compare_like_times_written_by_the_app(ws: Workstation) -> None:
    """Imported datetimes are stored in the same form as the ORM's, so range queries find them."""
    ws.importer.import_lines([TRADER, listing_line("L-1", created_at="2026-10-02T08:15:00Z")], Path())
    with ws.db.read() as s:
        since = datetime(2026, 10, 2, 8, 15, tzinfo=UTC)
        found = s.scalars(sa.select(orm.Listing.external_id).where(orm.Listing.created_at >= since)).all()
    assert found == ["L-1"]


def test_every_import_records_its_notices_and_sends_their_receipts(ws: Workstation, tmp_path: Path) -> None:
    """Art 16: the notice record and the receipt to the notifier are part of importing, whoever imports
    (the window and the demo call the service, not the command line that used to do this step)."""
    notice = flag(notifier="Jane Roe", notifier_email="jane@example.org")
    lines = [TRADER, listing_line("L-1", flags=[notice]), listing_line("L-2", flags=[flag(source="automated")])]
    report = ws.importer.import_lines(lines, tmp_path)
    assert report.notices_recorded == 1
    receipts = [m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.NOTICE_RECEIPT]
    assert [m.recipient_email for m in receipts] == ["jane@example.org"]
    again = ws.importer.import_lines(lines, tmp_path)
    assert again.notices_recorded == 0  # a notice gets one record and one receipt, however often imported
    assert len([m for m in ws.dsa.outbox.messages() if m.kind is OutboxKind.NOTICE_RECEIPT]) == 1
