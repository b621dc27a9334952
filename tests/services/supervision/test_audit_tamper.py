"""An attacker who can write to the database (the SQLite file, or PostgreSQL credentials) and knows
the hash algorithm: they edit and rechain, delete and renumber, insert a forged event, truncate, wipe
the log and reset its head, forge or alter checkpoints. The chains alone cannot see a careful rewrite;
the signed checkpoints (whose key is not in the database) and the heads a person noted down can, and
``audit verify`` names the first event that no longer matches."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.ids import new_id
from moderator_app.domain.supervision.audit import GENESIS, AuditEvent, ChainHead, EventDraft, event_hash
from moderator_app.services.supervision.audit_keys import AuditKeys
from moderator_app.services.workstation import Workstation
from moderator_app.storage.db import Database
from moderator_app.storage.supervision import append_only, audit_checkpoint_repo, audit_repo
from tests.conftest import FakeClock
from tests.services.supervision.test_audit import _work


def _unguard(conn: sa.Connection) -> None:
    """The owner of the file or the tables can drop or switch off any trigger that guards them, so the
    attacker does: the append-only triggers go, and on PostgreSQL every other user trigger too."""
    append_only.remove(conn)
    if conn.dialect.name == "postgresql":
        for table in ("audit_events", "audit_origins", "audit_checkpoints"):
            conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))


def _sql(ws: Workstation, statement: str, **params: object) -> None:
    with ws.db.engine.begin() as conn:
        _unguard(conn)
        conn.execute(sa.text(statement), params)


def _origin(ws: Workstation) -> str:
    with ws.db.read() as s:
        origin = audit_repo.own_origin(s)
    assert origin
    return origin


def _events(ws: Workstation, origin: str) -> list[AuditEvent]:
    with ws.db.read() as s:
        return list(audit_repo.chain_events(s, origin))


def _rechain(ws: Workstation, origin: str) -> None:
    """What a careful attacker does after any change: recompute every hash and the head, in raw SQL."""
    prev, events = GENESIS, _events(ws, origin)
    with ws.db.engine.begin() as conn:
        _unguard(conn)
        for e in events:
            h = event_hash(
                seq=e.seq, at=e.at, actor=e.actor, action=e.action, subject=e.subject, queue=e.queue,
                category=e.category, listing_id=e.listing_id, before=e.before, after=e.after,
                detail=e.detail, prev_hash=prev, origin=origin, gid=e.id,
            )  # fmt: skip
            conn.execute(
                sa.text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                {"p": prev, "h": h, "id": e.id},
            )
            prev, last = h, e.seq
        conn.execute(
            sa.text("UPDATE audit_origins SET seq = :s, hash = :h WHERE origin = :o"),
            {"s": last, "h": prev, "o": origin},
        )


@pytest.fixture
def logged(ws: Workstation, clock: FakeClock) -> tuple[Workstation, str]:
    """Nine events by two people, a checkpoint after the second and one after the ninth."""
    _work(ws, clock)
    origin = _origin(ws)
    assert len(_events(ws, origin)) == 9
    second = _events(ws, origin)[1]  # a checkpoint as it would have been signed after event #2
    early = ws.audit.keys.sign(clock(), ws.db.description, [ChainHead(2, second.hash, origin)])
    with ws.db.write() as s:
        audit_checkpoint_repo.add(s, early)
    ws.audit.keys.keep(early)
    ws.audit.checkpoint("anyone")
    result = ws.audit.verify("anyone")
    assert result.ok and result.checkpoints == 2, result.text()
    return ws, origin


def test_an_edited_event_rechained_is_invisible_to_the_chain_but_not_to_the_checkpoints(
    logged: tuple[Workstation, str],
) -> None:
    ws, origin = logged
    _sql(ws, "UPDATE audit_events SET actor = 'mallory' WHERE origin = :o AND seq = 5", o=origin)
    _rechain(ws, origin)
    result = ws.audit.verify("anyone")
    assert not result.ok
    assert result.broken_at == 9 and result.origin == origin
    assert "no longer matches the signed checkpoint" in result.problem
    assert "rewritten after #2" in result.problem  # the checkpoint after #2 still matches
    assert f"BROKEN at event #9 of chain {origin}" in result.text()


def test_a_deleted_event_with_the_later_ones_renumbered_is_found(logged: tuple[Workstation, str]) -> None:
    ws, origin = logged
    _sql(ws, "DELETE FROM audit_events WHERE origin = :o AND seq = 4", o=origin)
    for seq in range(5, 10):  # one by one: (origin, seq) is unique
        _sql(
            ws, "UPDATE audit_events SET seq = :n WHERE origin = :o AND seq = :s", n=seq - 1, o=origin, s=seq
        )
    _rechain(ws, origin)
    result = ws.audit.verify("anyone")
    assert not result.ok and result.broken_at == 9
    assert "the chain ends at #8" in result.problem and "events deleted" in result.problem


def test_an_inserted_forged_event_is_found(logged: tuple[Workstation, str], clock: FakeClock) -> None:
    ws, origin = logged
    for seq in range(9, 2, -1):
        _sql(
            ws, "UPDATE audit_events SET seq = :n WHERE origin = :o AND seq = :s", n=seq + 1, o=origin, s=seq
        )
    _sql(
        ws,
        "INSERT INTO audit_events (id, origin, seq, at, actor, action, subject, before_json, after_json, "
        "detail, prev_hash, hash) VALUES (:id, :o, 3, :at, 'ana', 'undo', 'decision:1', 'null', 'null', '', "
        "'x', 'x')",
        id=new_id(),
        o=origin,
        at=clock() + timedelta(seconds=1),
    )
    _rechain(ws, origin)
    result = ws.audit.verify("anyone")
    assert not result.ok and result.broken_at == 9 and "rewritten after #2" in result.problem


def test_a_truncated_chain_with_its_head_moved_back_is_found(logged: tuple[Workstation, str]) -> None:
    ws, origin = logged
    _sql(ws, "DELETE FROM audit_events WHERE origin = :o AND seq > 6", o=origin)
    _rechain(ws, origin)  # the head row now names #6, consistently
    result = ws.audit.verify("anyone")
    assert not result.ok and result.broken_at == 7
    assert "the chain ends at #6" in result.problem and "says it had 9 events" in result.problem


def test_a_wiped_log_with_its_head_and_checkpoints_reset_is_found(logged: tuple[Workstation, str]) -> None:
    ws, origin = logged
    _sql(ws, "DELETE FROM audit_events")
    _sql(ws, "DELETE FROM audit_checkpoints")
    _sql(ws, "UPDATE audit_origins SET seq = 0, hash = :g", g=GENESIS)
    result = ws.audit.verify("anyone")  # this workstation kept its own copies of the checkpoints
    assert not result.ok and result.broken_at == 1 and result.origin == origin
    assert "the chain ends at #0" in result.problem and "wiped" in result.problem
    assert "no longer in the database (deleted)" in result.text()
    _sql(ws, "DELETE FROM audit_origins")  # even the chain's head row gone
    result = ws.audit.verify("anyone")
    assert not result.ok and result.broken_at == 1 and "wiped" in result.problem


def test_a_checkpoint_signed_by_an_unknown_key_is_not_trusted(
    logged: tuple[Workstation, str], tmp_path: Path, clock: FakeClock
) -> None:
    ws, origin = logged
    _sql(ws, "UPDATE audit_events SET actor = 'mallory' WHERE origin = :o AND seq = 8", o=origin)
    _rechain(ws, origin)
    _sql(ws, "DELETE FROM audit_checkpoints")  # and signs the rewritten log with a key of their own
    mallory = AuditKeys(tmp_path / "mallory")
    with ws.db.read() as s:
        forged = mallory.sign(clock(), ws.db.description, [audit_repo.head(s, origin)])
    with ws.db.write() as s:
        audit_checkpoint_repo.add(s, forged)
    result = ws.audit.verify("anyone")
    assert not result.ok
    assert "no longer matches the signed checkpoint" in result.problem  # this workstation's own copy
    assert f"signed by a key this workstation does not trust ({mallory.public()})" in result.text()


def test_a_colleagues_checkpoint_counts_once_their_key_is_trusted(
    ws: Workstation, clock: FakeClock, tmp_path: Path
) -> None:
    _work(ws, clock)
    colleague = AuditKeys(tmp_path / "colleague")
    with ws.db.read() as s:
        cp = colleague.sign(clock(), ws.db.description, [audit_repo.head(s)])
    with ws.db.write() as s:
        audit_checkpoint_repo.add(s, cp)
    result = ws.audit.verify("anyone")
    assert not result.ok and result.broken_at is None and "does not trust" in result.problem
    ws.audit.trust("anyone", colleague.public(), "b. bauer")
    result = ws.audit.verify("anyone")
    assert result.ok and result.checkpoints == 1, result.text()


def test_an_altered_checkpoint_fails_its_signature(logged: tuple[Workstation, str]) -> None:
    ws, _ = logged
    _sql(ws, "UPDATE audit_checkpoints SET heads_json = replace(heads_json, ', 9, ', ', 6, ')")
    result = ws.audit.verify("anyone")
    assert not result.ok and "does not match its signature (forged or altered)" in result.text()


def test_expect_catches_what_a_workstation_without_checkpoints_cannot(
    ws: Workstation, clock: FakeClock
) -> None:
    """Another workstation (no copies of the checkpoints), after the attacker also deleted the
    database's: only the head a supervisor noted down is left, and it is enough."""
    _work(ws, clock)
    origin = _origin(ws)
    noted = ws.audit.verify("anyone").head
    assert noted.origin == origin and noted.seq == 9
    _sql(ws, "UPDATE audit_events SET detail = 'nothing to see' WHERE origin = :o AND seq = 2", o=origin)
    _rechain(ws, origin)
    assert ws.audit.verify("anyone").ok  # the chain alone: a careful rewrite is invisible
    for expect in (noted.text(), f"9:{noted.hash[:16]}"):  # origin optional, a hash prefix will do
        result = ws.audit.verify("anyone", [expect])
        assert not result.ok and result.broken_at == 9 and "--expect" in result.problem
    assert ws.audit.verify("anyone", [f"{origin}:9:{_events(ws, origin)[-1].hash}"]).ok


def test_an_export_leaves_a_checkpoint_file_that_another_workstation_can_hold_the_log_to(
    ws: Workstation, clock: FakeClock, tmp_path: Path
) -> None:
    _work(ws, clock)
    out = tmp_path / "audit.csv"
    ws.audit.export_csv("anyone", out)
    side = tmp_path / "audit.csv.checkpoint"
    assert side.exists()
    exporter = ws.audit.keys.public()
    _sql(ws, "DELETE FROM audit_events")
    _sql(ws, "DELETE FROM audit_checkpoints")
    _sql(ws, "DELETE FROM audit_origins")
    other = AuditKeys(tmp_path / "supervisor")  # a supervisor's workstation that trusts the exporter
    other.trust(exporter, "export workstation")
    ws.audit.keys = other
    result = ws.audit.verify("anyone", checkpoints=[side])
    assert not result.ok and result.broken_at == 1 and "says it had 10 events" in result.problem


def test_events_of_a_chain_without_head_row_are_named(ws: Workstation, clock: FakeClock) -> None:
    _work(ws, clock)
    _sql(ws, "DELETE FROM audit_origins")
    result = ws.audit.verify("anyone")
    assert not result.ok and "no head row" in result.problem


@pytest.mark.postgres
def test_workstations_on_postgresql_never_wait_for_each_others_chain(pg_url: str, clock: FakeClock) -> None:
    """Workstation A holds its transaction open after appending; workstation B appends and commits
    meanwhile (with one head row, B waited for A's commit)."""
    a = Database(pg_url, workstation=new_id(), workstation_label="a")
    from moderator_app.storage import migrate

    migrate.upgrade(a)
    b = Database(pg_url, workstation=new_id(), workstation_label="b")
    done = threading.Event()
    try:
        with a.write() as s:
            audit_repo.append(s, EventDraft(actor="ana", action="claim", subject="item:1"), clock())

            def other() -> None:
                with b.write() as t:
                    audit_repo.append(t, EventDraft(actor="ben", action="claim", subject="item:2"), clock())
                done.set()

            thread = threading.Thread(target=other)
            thread.start()
            assert done.wait(10), "workstation B waited for workstation A's chain"
        thread.join(10)
        with a.read() as s:
            heads = [i.head for i in audit_repo.origins(s)]
        assert sorted(h.seq for h in heads) == [1, 1]
    finally:
        a.dispose()
        b.dispose()


def test_a_checkpoint_is_not_signed_over_a_chain_that_does_not_end_at_its_head(
    ws: Workstation, clock: FakeClock
) -> None:
    """The attacker drops the newest events but leaves the head: signing now would bless the loss."""
    _work(ws, clock)
    origin = _origin(ws)
    _sql(ws, "DELETE FROM audit_events WHERE origin = :o AND seq > 7", o=origin)
    with pytest.raises(InvalidInput, match=f"chain {origin} does not end at its head #9"):
        ws.audit.checkpoint("anyone")
    with ws.db.read() as s:
        assert list(audit_checkpoint_repo.all_checkpoints(s)) == []
