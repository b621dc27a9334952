"""Chains per origin: a database of the single-chain log (schema 0006) upgrades with its chain still
verifying; an offline copy's chain is merged under its own origin with an event naming its head; the
command line shows heads, signs checkpoints, shows the key and takes ``--expect``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from moderator_app.cli import main
from moderator_app.domain.ids import new_id
from moderator_app.domain.supervision.audit import LEGACY_ORIGIN, AuditAction
from moderator_app.services.schema import upgrade_schema
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.storage import migrate
from moderator_app.storage.db import Database
from moderator_app.storage.orm import UTCDateTime
from moderator_app.storage.supervision import append_only
from tests.conftest import FakeClock
from tests.factories import seed
from tests.services.supervision.test_audit import _work


def _hash_0006(fields: dict[str, object]) -> str:
    """The hash as schema 0006 wrote it, spelled out here so that the test does not lean on the code."""
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _old_database(url: str, events: int) -> str:
    db = Database(url)
    migrate.upgrade(db, to="0006")
    table = sa.Table(
        "audit_events", sa.MetaData(),
        *(sa.Column(c, sa.String) for c in ("actor", "action", "subject", "queue", "category")),
        sa.Column("seq", sa.Integer), sa.Column("at", UTCDateTime), sa.Column("listing_id", sa.Integer),
        *(sa.Column(c, sa.Text) for c in ("before_json", "after_json", "detail", "prev_hash", "hash")),
    )  # fmt: skip
    prev, at = "0" * 64, datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with db.engine.begin() as conn:
        for seq in range(1, events + 1):
            at += timedelta(minutes=1)
            row = {"seq": seq, "actor": "ana", "action": "decide", "subject": f"decision:{seq}",
                   "queue": "general", "category": "unsafe_toy", "listing_id": seq,
                   "before_json": '{"listing_status":"live"}', "after_json": '{"listing_status":"removed"}',
                   "detail": "é"}  # fmt: skip
            h = _hash_0006(
                {
                    "seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": "ana",
                    "action": "decide", "subject": row["subject"], "queue": "general", "category": "unsafe_toy",
                    "listing_id": seq, "before": row["before_json"], "after": row["after_json"],
                    "detail": "é", "prev": prev,
                }
            )  # fmt: skip
            conn.execute(table.insert().values(**row, at=at, prev_hash=prev, hash=h))
            prev = h
        conn.execute(
            sa.text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": events, "h": prev}
        )
    db.dispose()
    return url


def test_a_0006_database_upgrades_with_its_chain_still_verifying(db_url: str, clock: FakeClock) -> None:
    path = _old_database(db_url, 5)
    if db_url.startswith("postgresql"):  # a shared database is upgraded by `moderator-app db upgrade`
        assert upgrade_schema(path).before == "0006"
    ws = open_workstation(path, clock=clock)
    try:
        if not db_url.startswith("postgresql"):  # a SQLite file upgrades itself
            assert ws.migration is not None and ws.migration.before == "0006"
        result = ws.audit.verify("anyone")
        assert result.ok and result.checked == 5, result.text()
        assert result.head.origin == LEGACY_ORIGIN and result.head.seq == 5
        old = ws.audit.events("anyone")
        assert {e.origin for e in old} == {LEGACY_ORIGIN} and len({e.id for e in old}) == 5
        assert [e.seq for e in old] == [5, 4, 3, 2, 1]  # the global ids keep the old order
        seed(ws, listings=1)
        assert ws.review.claim_next("general", "ben") is not None  # a new chain, this workstation's
        new = ws.audit.events("anyone", limit=1)[0]
        assert new.origin not in ("", LEGACY_ORIGIN) and new.seq == 1
        result = ws.audit.verify("anyone")
        assert result.ok and result.checked == 6 and len(result.heads) == 2, result.text()
        with ws.db.engine.begin() as conn:  # the legacy chain is still tamper-evident
            append_only.remove(conn)  # as the owner of the file can
            conn.execute(
                sa.text("UPDATE audit_events SET actor = 'mallory' WHERE origin = 'legacy' AND seq = 3")
            )
        result = ws.audit.verify("anyone")
        assert not result.ok and result.origin == LEGACY_ORIGIN and result.broken_at == 3
    finally:
        ws.close()


@pytest.fixture
def copy(tmp_path: Path, clock: FakeClock) -> Iterator[Workstation]:
    """An investigator's offline copy: another database, another workstation."""
    db = Database(str(tmp_path / "copy.db"), workstation=new_id(), workstation_label="laptop")
    migrate.upgrade(db)
    w = Workstation(db=db, clock=clock)
    try:
        yield w
    finally:
        w.close()


def test_an_offline_copys_chain_is_merged_under_its_origin_with_an_event_naming_its_head(
    sqlite_ws: Workstation, copy: Workstation, clock: FakeClock, tmp_path: Path
) -> None:
    ws = sqlite_ws
    _work(ws, clock)
    _work(copy, clock, n=2)
    theirs = copy.audit.verify("anyone").head
    report = ws.audit.merge_from("anyone", str(tmp_path / "copy.db"))
    assert report.conflicts == [] and [(h.origin, h.seq, n) for h, n in report.merged] == [
        (theirs.origin, theirs.seq, theirs.seq)
    ]
    merge_event = ws.audit.events("anyone", limit=1)[0]
    assert merge_event.action == AuditAction.AUDIT_MERGE and merge_event.origin != theirs.origin
    assert merge_event.after_value()["hash"] == theirs.hash and merge_event.after_value()["seq"] == theirs.seq
    result = ws.audit.verify("anyone")
    assert result.ok and len(result.heads) == 2 and result.checked == 10 + theirs.seq, result.text()
    lines = {line.head.origin: line for line in ws.audit.heads("anyone")}
    assert lines[theirs.origin].kind == "foreign" and lines[theirs.origin].label == "laptop"
    assert all(line.anchored == line.head.seq for line in lines.values())  # the merge was checkpointed

    assert ws.audit.merge_from("anyone", str(tmp_path / "copy.db")).merged == []  # nothing new
    seed(copy, listings=1, queue="later", prefix="L")
    assert copy.review.claim_next("later", "ina") is not None
    again = ws.audit.merge_from("anyone", str(tmp_path / "copy.db"))
    assert [(h.seq, n) for h, n in again.merged] == [(theirs.seq + 1, 1)]

    with copy.db.engine.begin() as conn:  # the copy rewrites a merged event: a fork, not merged
        append_only.remove(conn)  # its owner can
        conn.execute(sa.text("DELETE FROM audit_events WHERE seq > 1"))
        conn.execute(sa.text("UPDATE audit_origins SET seq = 1, hash = (SELECT hash FROM audit_events)"))
    seed(copy, listings=1, queue="fork", prefix="F")
    assert copy.review.claim_next("fork", "ina") is not None
    forked = ws.audit.merge_from("anyone", str(tmp_path / "copy.db"))
    assert forked.merged == [] and "forks" in forked.conflicts[0]
    assert ws.audit.verify("anyone").ok


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_shows_heads_signs_checkpoints_and_takes_expect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ws = open_workstation(url)
    try:
        seed(ws, listings=2)
        assert ws.review.claim_next("general", "ana") is not None
    finally:
        ws.close()  # closing after writing signs a checkpoint
    code, out, _ = run(capsys, "--db", url, "audit", "heads")
    assert code == 0 and ":1:" in out and "this workstation" in out and "signed up to #1" in out
    head = out.split()[0]
    code, out, _ = run(capsys, "--db", url, "audit", "key")
    assert code == 0 and "public key: ed25519:" in out and "audit-signing-key.pem" in out
    code, out, _ = run(capsys, "--db", url, "audit", "checkpoint")
    assert code == 0 and "1 chain heads signed by ed25519:" in out
    code, out, _ = run(capsys, "--db", url, "audit", "verify", "--expect", head)
    assert code == 0 and "audit log intact: 1 events" in out and "signed checkpoints match" in out
    wrong = head[: head.rindex(":") + 1] + "0" * 64
    code, _, err = run(capsys, "--db", url, "audit", "verify", "--expect", wrong)
    assert code == 1 and "BROKEN at event #1" in err and "--expect" in err
    code, _, err = run(capsys, "--db", url, "audit", "verify", "--expect", "nonsense")
    assert code == 2 or (code == 1 and "[ORIGIN:]SEQ:HASH" in err)
