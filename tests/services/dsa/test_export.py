"""``export sor``: what the Transparency Database bulk endpoint takes, nothing personal, idempotent."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from moderator_app.domain.dsa import tdb
from moderator_app.domain.enums import Action, FlagSource
from moderator_app.services.workstation import Workstation
from moderator_app.storage.dsa.orm_dsa import Statement
from tests.conftest import FakeClock
from tests.services.dsa.helpers import (
    NOTIFIER_EMAIL,
    NOTIFIER_NAME,
    TRADER_EMAIL,
    TRADER_LEGAL,
    TRADER_NAME,
    TRADER_PHONE,
    decide,
    flag,
    make_trader,
)


def statements_in(path: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        body = json.loads(line)
        assert set(body) == {"statements"} and 1 <= len(body["statements"]) <= tdb.BULK_LIMIT
        out.extend(body["statements"])
    return out


def test_the_export_is_valid_and_carries_no_personal_data(ws: Workstation, tmp_path: Path) -> None:
    t = make_trader(ws, listings=3)
    for lid in t.listing_ids:
        flag(ws, lid)
    flag(ws, t.listing_ids[2], source=FlagSource.AUTOMATED, notifier=None, email=None)
    decided = [
        decide(ws, t.listing_exts[0], Action.REMOVE),
        decide(ws, t.listing_exts[1], Action.WARN),
        decide(ws, t.listing_exts[2], Action.RESTRICT),
    ]
    out = tmp_path / "sor.jsonl"
    report = ws.dsa.exports.export(out, "exporter")
    assert (report.written, report.batches, report.failed) == (3, 1, [])
    exported = statements_in(out)
    assert [s["puid"] for s in exported] == [d.puid for d in decided]
    assert all(tdb.validate(s) == [] for s in exported)
    text = out.read_text(encoding="utf-8").lower()
    for secret in (
        TRADER_NAME,
        TRADER_LEGAL,
        TRADER_EMAIL,
        TRADER_PHONE,
        NOTIFIER_NAME,
        NOTIFIER_EMAIL,
        "oberhuber",
        "kowalczyk",
    ):
        assert secret.lower() not in text


def test_batches_hold_at_most_100_statements(ws: Workstation, tmp_path: Path) -> None:
    t = make_trader(ws, listings=101)
    for lid in t.listing_ids:
        flag(ws, lid, notifier=None, email=None)
    for ext in t.listing_exts:
        decide(ws, ext)
    out = tmp_path / "sor.jsonl"
    report = ws.dsa.exports.export(out, "exporter")
    assert (report.written, report.batches) == (101, 2)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [len(json.loads(line)["statements"]) for line in lines] == [100, 1]


def test_re_export_is_identical_and_since_takes_only_what_is_new(
    ws: Workstation, clock: FakeClock, tmp_path: Path
) -> None:
    t = make_trader(ws, listings=4)
    for lid in t.listing_ids:
        flag(ws, lid, notifier=None, email=None)
    first = [decide(ws, t.listing_exts[0]), decide(ws, t.listing_exts[1])]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ws.dsa.exports.export(a, "exporter")
    ws.dsa.exports.export(b, "exporter")
    assert a.read_bytes() == b.read_bytes()  # idempotent: same statements, same puids, same bytes

    clock.advance(days=2)
    later = [decide(ws, t.listing_exts[2]), decide(ws, t.listing_exts[3])]
    undone = later[1]
    ws.review.undo(undone.id, "ana")  # an undone decision is never exported
    new = tmp_path / "new.jsonl"
    r = ws.dsa.exports.export(new, "exporter", only_new=True)  # what no earlier export carried
    assert [s["puid"] for s in statements_in(new)] == [later[0].puid] and r.written == 1
    since = tmp_path / "since.jsonl"
    ws.dsa.exports.export(since, "exporter", since=clock.now.date())  # by date, exported or not
    assert [s["puid"] for s in statements_in(since)] == [later[0].puid]
    again = tmp_path / "again.jsonl"
    assert ws.dsa.exports.export(again, "exporter", only_new=True).written == 0
    assert again.read_text() == ""
    full = statements_in(tmp_path / "a.jsonl")
    assert [s["puid"] for s in full] == [d.puid for d in first]
    assert ws.dsa.statements.find(first[0].puid).first_export_id is not None


def test_a_statement_that_fails_the_checks_is_reported_and_left_out(ws: Workstation, tmp_path: Path) -> None:
    t = make_trader(ws, listings=2)
    for lid in t.listing_ids:
        flag(ws, lid, notifier=None, email=None)
    bad, good = decide(ws, t.listing_exts[0]), decide(ws, t.listing_exts[1])
    with ws.db.write() as s:  # as if an older version had stored a statement the API now refuses
        payload = json.loads(
            s.scalar(
                Statement.__table__.select()
                .with_only_columns(Statement.payload)
                .where(Statement.puid == bad.puid)
            )
        )
        payload["category_specification"] = ["KEYWORD_DANGEROUS_TOYS"]
        payload["decision_facts"] += " Contact: " + TRADER_EMAIL
        s.execute(update(Statement).where(Statement.puid == bad.puid).values(payload=json.dumps(payload)))
    out = tmp_path / "sor.jsonl"
    report = ws.dsa.exports.export(out, "exporter")
    assert report.written == 1 and [p for p, _ in report.failed] == [bad.puid]
    problem = report.failed[0][1]
    assert "KEYWORD_DANGEROUS_TOYS" in problem and "personal data" in problem
    assert [s["puid"] for s in statements_in(out)] == [good.puid]
    assert TRADER_EMAIL not in out.read_text(encoding="utf-8")


def test_a_statement_older_than_the_window_is_still_exported(
    ws: Workstation, clock: FakeClock, tmp_path: Path
) -> None:
    t = make_trader(ws)
    flag(ws, t.listing_ids[0], notifier=None, email=None)
    d = decide(ws, t.listing_exts[0])
    clock.advance(days=400)
    out = tmp_path / "sor.jsonl"
    ws.dsa.exports.export(out, "exporter", since=(clock.now - timedelta(days=500)).date())
    assert [s["puid"] for s in statements_in(out)] == [d.puid]
