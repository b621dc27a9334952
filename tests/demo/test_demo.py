"""The demo data set: what a person opening the demo database would see, and that it is reproducible."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

import pytest
from PIL import Image, ImageChops

from moderator_app.demo import DemoReport, build_demo
from moderator_app.demo import product as kinds
from moderator_app.demo.catalog import DemoCatalog, make_catalog
from moderator_app.demo.files import jsonl_lines, write_demo
from moderator_app.demo.images import render
from moderator_app.demo.product import load_products, product_from
from moderator_app.demo.spec import NOT_IMAGE, PLACEHOLDER, PRODUCT, TRUNCATED
from moderator_app.domain.enums import Action, FlagSource, ItemState, PolicyCategory, Queue, TraderKind
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.review.model import ListingDetail
from moderator_app.domain.review.policy import FlagSignal, priority_for
from moderator_app.services.workstation import Workstation
from tests.conftest import FakeClock

ANCHOR = datetime(2026, 11, 2, tzinfo=UTC)


class Sizes(TypedDict):
    listings: int
    traders: int


SMALL: Sizes = {"listings": 60, "traders": 14}
CONTACT = re.compile(r"(\+\d{1,3}(?: \d{2,4}){2,4}|@[a-z_]+\d*|WeChat: \w+|www\.[\w-]+\.example)")


def _catalog_of(report: DemoReport) -> DemoCatalog:
    return make_catalog(
        listings=report.listings, traders=report.traders, seed=report.seed, anchor=report.anchor
    )


def _details(ws: Workstation, catalog: DemoCatalog) -> dict[str, ListingDetail]:
    return {str(rec["id"]): ws.lookup.listing(str(rec["id"])) for rec in catalog.listings}


def _ean_ok(code: str) -> bool:
    digits = [int(c) for c in code]
    return len(digits) == 13 and (sum(digits[0:12:2]) + 3 * sum(digits[1:12:2]) + digits[12]) % 10 == 0


def _pixels(im: Image.Image, size: tuple[int, int] = (80, 60)) -> list[tuple[int, int, int]]:
    data = im.convert("RGB").resize(size).tobytes()
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def _greyish(im: Image.Image) -> bool:
    """No strongly coloured pixel at all: what a neutral placeholder looks like, and no photo does."""
    return all(max(px) - min(px) <= 40 for px in _pixels(im))


def _flag_times(catalog: DemoCatalog) -> list[datetime]:
    return [
        datetime.fromisoformat(str(flag["received_at"]))
        for record in catalog.listings
        for flag in record["flags"]  # type: ignore[attr-defined]
    ]


@pytest.mark.slow
def test_default_demo_has_every_scenario_a_moderator_works_on(ws: Workstation, clock: FakeClock) -> None:
    report = build_demo(ws)
    catalog = _catalog_of(report)

    assert report.listings >= 300 and report.traders >= 40
    assert report.imported.rejected == [] and report.file_import.rejected == []
    assert report.imported.listings_added == report.listings
    assert report.file_import.listings_added == 0  # the replay of the past imported everything
    details = _details(ws, catalog)
    assert len(details) == report.listings

    flags = [f for d in details.values() for f in d.flags]
    assert {f.source for f in flags} == set(FlagSource)
    assert {f.category for f in flags} == set(PolicyCategory)
    assert all(f.explanation.strip() for f in flags)
    named = {f.notifier for f in flags if f.source is FlagSource.TRUSTED_FLAGGER}
    assert len(named) >= 5 and all(n and "trusted flagger" in n for n in named)

    counts = ws.review.queue_counts()
    pending = {c.queue for c in counts if c.pending}
    # Items opened when their listings were flagged: the queues have been waiting for days.
    oldest = min(c.oldest_pending_at for c in counts if c.oldest_pending_at)
    assert oldest < clock.now - timedelta(days=7)
    for d in details.values():
        for i in d.items:
            if i.state is ItemState.OPEN:
                assert max(f.received_at for f in d.flags) <= i.created_at < clock.now
    wanted = {
        Queue.PRODUCT_SAFETY,
        Queue.HEALTH,
        Queue.COUNTERFEIT,
        Queue.HIDDEN_LINKS,
        Queue.ADULT,
        Queue.GENERAL,
    }
    assert {q.value for q in wanted} <= pending

    # Traders: DSA Art 30 data, sometimes incomplete; private sellers; the EU and beyond.
    traders = [ws.lookup.trader(str(t["id"])).trader for t in catalog.traders]
    business = [t for t in traders if t.kind is TraderKind.BUSINESS]
    assert any(t.kind is TraderKind.PRIVATE for t in traders)
    assert any(t.missing_traceability() for t in business)
    assert sum(1 for t in business if not t.missing_traceability()) >= 10
    countries = {t.country for t in traders}
    assert {"DE", "FR", "PL", "IT"} <= countries and {"CN", "US"} <= countries

    # Repeat offenders: decisions by named reviewers, recent and older, visible in the counters.
    assert len(report.repeat_offenders) >= 3
    assert report.history_recorded > 0 and report.history_skipped == []
    older_record = False
    for trader_id in report.repeat_offenders:
        detail = ws.lookup.trader(trader_id)
        assert detail.counters.violations_90d >= 2 and detail.counters.repeat_offender
        older_record |= detail.counters.violations_total > detail.counters.violations_90d
        assert all(re.fullmatch(r"[a-z]\.[a-z]+", d.reviewer) for d in detail.recent_decisions)
        assert all(d.decided_at < clock.now for d in detail.recent_decisions)
    assert older_record
    decided = [dec for d in details.values() for dec in d.decisions]
    assert {dec.action for dec in decided} == {Action.REMOVE, Action.WARN}
    # The past happened in order: each decided item opened (when flagged) before it was claimed...
    for d in details.values():
        for dec in d.decisions:
            item = next(i for i in d.items if i.id == dec.item_id)
            assert dec.claimed_at is not None and item.created_at <= dec.claimed_at < dec.decided_at
    # ... so today's listings of repeat offenders wait with the repeat-offender priority.
    offender_ids = {ws.lookup.trader(t).trader.id for t in report.repeat_offenders}
    waiting = [
        (d, i)
        for d in details.values()
        if d.listing.trader_id in offender_ids
        for i in d.items
        if i.state is ItemState.OPEN
    ]
    assert waiting
    for d, i in waiting:
        signals = [FlagSignal(f.source, f.category) for f in d.flags]
        assert i.priority == priority_for(signals, repeat_offender=True), d.listing.external_id

    # Listing text as sellers write it: several languages, hostile markup kept as plain text, EAN codes.
    titles = " ".join(d.listing.title for d in details.values())
    markers = {
        "de": r"\b(mit|für|ohne|Stück)\b",
        "fr": r"\b(avec|pour|sans)\b",
        "pl": r"[ąęłśżń]",
        "it": r"\b(con|senza|giorni|vera)\b",
    }
    for language, pattern in markers.items():
        assert re.search(pattern, titles), language
    assert any(d.listing.title.startswith("<b>bold</b><img src=x>") for d in details.values())
    eans = [d.listing.ean for d in details.values() if d.listing.ean]
    assert len(eans) >= 30 and all(_ean_ok(e) for e in eans)

    # Images: 2-3 per listing, stored; the deliberately broken ones marked unreadable with a reason.
    assert all(2 <= len(d.images) <= 3 for d in details.values())
    broken = [i for d in details.values() for i in d.images if not i.readable]
    assert len(broken) == report.unreadable_images >= 2
    problems = " ".join(i.problem or "" for i in broken)
    assert "truncated" in problems and "not an image" in problems
    for lid, kind in catalog.kinds.items():
        if kind == kinds.ADULT:
            for image in details[lid].images:
                assert image.readable and image.path, lid
                with Image.open(image.path) as im:
                    assert _greyish(im), lid


def test_running_the_demo_twice_changes_nothing(ws: Workstation) -> None:
    first = build_demo(ws, **SMALL)
    catalog = _catalog_of(first)

    def snapshot() -> tuple[object, ...]:
        listings = {
            lid: (
                d.listing.status,
                [(f.source, f.category, f.received_at) for f in d.flags],
                [(i.queue, i.state, i.priority) for i in d.items],
                [(x.action, x.reviewer, x.decided_at) for x in d.decisions],
                [(i.sha256, i.readable) for i in d.images],
            )
            for lid, d in _details(ws, catalog).items()
        }
        traders = {str(t["id"]): ws.lookup.trader(str(t["id"])) for t in catalog.traders}
        records = {tid: (t.trader, t.counters, t.listings_total) for tid, t in traders.items()}
        return listings, records, ws.review.queue_counts()

    before = snapshot()
    second = build_demo(ws, **SMALL)

    assert snapshot() == before
    assert second.imported.listings_added == 0 and second.imported.flags_added == 0
    assert second.imported.traders_added == 0 and second.imported.items_opened == 0
    assert second.file_import.listings_added == 0 and second.file_import.flags_added == 0
    assert second.history_recorded == 0
    assert second.history_already_present == first.history_recorded > 0


def test_same_seed_and_anchor_give_the_same_files_and_another_seed_does_not(tmp_path: Path) -> None:
    a = write_demo(tmp_path / "a", make_catalog(**SMALL, seed=7, anchor=ANCHOR))
    b = write_demo(tmp_path / "b", make_catalog(**SMALL, seed=7, anchor=ANCHOR))
    other = make_catalog(**SMALL, seed=8, anchor=ANCHOR)

    assert a.read_bytes() == b.read_bytes()
    files = sorted(p.relative_to(a.parent) for p in (a.parent / "images").iterdir())
    assert len(files) >= 2 * SMALL["listings"]
    assert files == sorted(p.relative_to(b.parent) for p in (b.parent / "images").iterdir())
    assert all((a.parent / f).read_bytes() == (b.parent / f).read_bytes() for f in files)
    assert [r["title"] for r in other.listings] != [
        r["title"] for r in make_catalog(**SMALL, seed=7, anchor=ANCHOR).listings
    ]


def test_times_follow_the_anchor() -> None:
    early = make_catalog(**SMALL, anchor=ANCHOR)
    later = make_catalog(**SMALL, anchor=ANCHOR + timedelta(days=30))

    def stamps(c: DemoCatalog) -> list[datetime]:
        return [datetime.fromisoformat(str(r["created_at"])) for r in c.listings] + _flag_times(c)

    assert all(t < ANCHOR for t in stamps(early))
    assert [t + timedelta(days=30) for t in stamps(early)] == stamps(later)
    recent = [h for h in early.history if h.decided_at >= ANCHOR - timedelta(days=90)]
    assert recent and len(recent) < len(early.history)


def test_photos_open_and_carry_the_text_a_listing_photo_would(tmp_path: Path) -> None:
    catalog = make_catalog(**SMALL, anchor=ANCHOR)
    write_demo(tmp_path, catalog)
    sizes, formats = set(), set()
    for spec in catalog.images:
        data = (tmp_path / spec.path).read_bytes()
        if spec.kind in (PRODUCT, PLACEHOLDER):
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                assert im.size == (spec.width, spec.height) and im.format == spec.fmt
                assert len(set(_pixels(im, (64, 48)))) > 20, spec.path  # not a blank canvas
            sizes.add(im.size)
            formats.add(im.format)
        else:
            with pytest.raises(OSError), Image.open(io.BytesIO(data)) as im:
                im.load()
    assert len(sizes) >= 4 and formats == {"JPEG", "PNG"}
    assert {s.kind for s in catalog.images} >= {TRUNCATED, NOT_IMAGE, PLACEHOLDER}

    # Hidden-link listings show the way off the platform in their photos.
    for lid, kind in catalog.kinds.items():
        if kind == kinds.HIDDEN_LINK:
            texts = [s.text for s in catalog.images if s.path.startswith(f"images/{lid}-")]
            assert any(CONTACT.search(t) for t in texts), (lid, texts)

    # The text is really drawn: the same photo without its print differs where the text was.
    spec = next(s for s in catalog.images if s.kind == PRODUCT and s.stickers and s.label[0])
    with (
        Image.open(io.BytesIO(render(spec))) as with_text,
        Image.open(io.BytesIO(render(replace(spec, label=("",), stickers=(), small_print=())))) as without,
    ):
        changed = ImageChops.difference(with_text.convert("L"), without.convert("L")).point(lambda v: v > 40)
        assert sum(changed.histogram()[1:]) > 0.005 * spec.width * spec.height


def test_adult_listings_never_carry_imagery() -> None:
    catalog = make_catalog(**SMALL, anchor=ANCHOR)
    adult = [lid for lid, kind in catalog.kinds.items() if kind == kinds.ADULT]
    assert adult
    for lid in adult:
        specs = [s for s in catalog.images if s.path.startswith(f"images/{lid}-")]
        assert specs and all(s.kind == PLACEHOLDER for s in specs)
        with Image.open(io.BytesIO(render(specs[0]))) as im:
            assert _greyish(im)
    # The check would notice real photos: most product photos are colourful.
    photos = [s for s in catalog.images if s.kind == PRODUCT][:20]
    colourful = 0
    for photo in photos:
        with Image.open(io.BytesIO(render(photo))) as im:
            colourful += not _greyish(im)
    assert colourful >= 0.7 * len(photos)


def test_too_small_a_demo_is_refused_before_anything_is_written(sqlite_ws: Workstation) -> None:
    with pytest.raises(InvalidInput, match="at least"):
        build_demo(sqlite_ws, listings=10)
    assert sqlite_ws.review.queue_counts() == []


def test_the_anchor_defaults_to_the_workstation_day(sqlite_ws: Workstation, clock: FakeClock) -> None:
    stages: set[str] = set()
    report = build_demo(sqlite_ws, **SMALL, progress=lambda stage, done, total: stages.add(stage))

    assert report.anchor == clock.now.replace(hour=0, minute=0, second=0, microsecond=0)
    assert stages == {"images", "import", "history"}
    offender = sqlite_ws.lookup.trader(report.repeat_offenders[0])
    assert offender.counters.violations_90d >= 2


def test_the_catalogue_read_from_its_data_files_gives_the_demo_it_gave_as_python_literals() -> None:
    """The fingerprint of the 60-listing demo, seed 7, measured before the product templates and the
    countries moved from Python literals to moderator_app/demo/data/*.json (the records and every
    image's spec). A change to that data or to the generator changes it on purpose: update it then."""
    catalog = make_catalog(**SMALL, seed=7, anchor=ANCHOR)
    digest = hashlib.sha256("\n".join(jsonl_lines(catalog)).encode())
    digest.update(json.dumps([dataclasses.asdict(spec) for spec in catalog.images]).encode())
    assert digest.hexdigest() == "ae16e55060a8be868aa6ebc1b5cb060b93434798a28ae923c9eaff4174774e06"


def test_a_mistyped_product_field_in_the_data_is_named_with_its_place() -> None:
    pools = load_products()
    assert {p.alleged for p in pools[kinds.HARMLESS]} - {None} <= set(PolicyCategory)
    record = {"shape": "bag", "category": "x", "price": [1, 2], "titles": {}, "texts": {}, "colors": []}
    with pytest.raises(ValueError, match=r"misc.json no_violation\[2\]: unknown product field\(s\) colors"):
        product_from(record, "products_misc.json no_violation[2]")
