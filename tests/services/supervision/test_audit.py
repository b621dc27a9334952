"""The audit log: every change appends an event in its own transaction, and editing, deleting or
reordering rows of the real table is found by ``audit verify``, which names the first broken link."""

from __future__ import annotations

import itertools
import threading

import pytest
import sqlalchemy as sa

from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.errors import IncompleteDecision
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.services.workstation import Workstation, open_workstation
from tests.conftest import FakeClock
from tests.factories import seed
from tests.services.supervision.tamper import tamper

REMOVE = (Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Loose magnets, no CE mark.")


def _work(ws: Workstation, clock: FakeClock, n: int = 4) -> None:
    """Claims, decisions, a release and an undo by two people."""
    seed(ws, listings=n)
    for i in range(n):
        case = ws.review.claim_next("general", "ana" if i % 2 else "ben")
        assert case is not None
        if i == n - 1:
            ws.review.release(case.item.id, case.item.claimed_by or "")
            continue
        d = ws.review.decide(case.item.id, case.item.claimed_by or "", *REMOVE)
        clock.advance(minutes=1)
    ws.review.undo(d.id, d.reviewer)


def _sql(ws: Workstation, statement: str) -> None:
    tamper(ws, statement)  # the append-only triggers dropped first, as the database's owner could


def test_every_change_is_one_event_with_who_what_before_and_after(ws: Workstation, clock: FakeClock) -> None:
    _work(ws, clock)
    events = list(reversed(ws.audit.events("anyone")))
    assert [e.action for e in events] == [
        "claim", "decide", "claim", "decide", "claim", "decide", "claim", "release", "undo",
    ]  # fmt: skip
    decide = events[1]
    assert decide.actor == "ben" and decide.queue == "general" and decide.category == "unsafe_toy"
    assert decide.before_value()["listing_status"] == "live"
    assert decide.after_value()["listing_status"] == "removed"
    assert decide.after_value()["explanation"] == "Loose magnets, no CE mark."
    undo = events[-1]
    assert (
        undo.before_value()["listing_status"] == "removed" and undo.after_value()["listing_status"] == "live"
    )
    assert [e.seq for e in events] == list(range(1, 10))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert ws.audit.verify("anyone").ok


def test_a_refused_decision_leaves_no_event(ws: Workstation) -> None:
    seed(ws, listings=1)
    case = ws.review.claim_next("general", "ana")
    assert case is not None
    with pytest.raises(IncompleteDecision):
        ws.review.decide(
            case.item.id, "ana", Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, ""
        )
    assert [e.action for e in ws.audit.events("ana")] == [AuditAction.CLAIM]


@pytest.mark.parametrize(
    ("tamper", "broken_at", "says"),
    [
        ("UPDATE audit_events SET actor = 'mallory' WHERE seq = 4", 4, "edited"),
        (
            "UPDATE audit_events SET after_json = replace(after_json, 'removed', 'live') WHERE seq = 6",
            6,
            "edited",
        ),
        ("DELETE FROM audit_events WHERE seq = 5", 5, "missing"),
        ("DELETE FROM audit_events WHERE seq >= 8", 8, "deleted"),
        # reorder: events 3 and 4 swap places (their content moves, the positions stay)
        (
            "UPDATE audit_events SET seq = CASE seq WHEN 3 THEN 4 WHEN 4 THEN 3 END WHERE seq IN (3, 4)",
            3,
            "does not follow",
        ),
    ],
)
def test_editing_deleting_or_reordering_a_row_is_found_and_the_first_broken_link_named(
    ws: Workstation, clock: FakeClock, tamper: str, broken_at: int, says: str
) -> None:
    _work(ws, clock)
    assert ws.audit.verify("anyone").ok
    if "CASE" in tamper:  # unique key: move one row out of the way first, as a tamperer would
        _sql(ws, "UPDATE audit_events SET seq = -3 WHERE seq = 3")
        _sql(ws, "UPDATE audit_events SET seq = 3 WHERE seq = 4")
        _sql(ws, "UPDATE audit_events SET seq = 4 WHERE seq = -3")
    else:
        _sql(ws, tamper)
    result = ws.audit.verify("anyone")
    assert not result.ok
    assert result.broken_at == broken_at
    assert says in result.problem
    assert f"BROKEN at event #{broken_at}" in result.text()


def test_rewriting_an_event_with_a_fresh_hash_still_breaks_the_next_link(
    ws: Workstation, clock: FakeClock
) -> None:
    _work(ws, clock)
    from moderator_app.domain.supervision.audit import event_hash
    from moderator_app.storage.accounts.orm_accounts import AuditEventRow
    from moderator_app.storage.supervision import audit_repo

    tamper(ws)  # the owner drops the append-only triggers first
    with ws.db.write() as s:  # a careful tamperer recomputes the edited event's own hash
        row = s.scalars(sa.select(AuditEventRow).where(AuditEventRow.seq == 2)).one()
        row.actor = "mallory"
        e = audit_repo.to_event(row)
        row.hash = event_hash(
            seq=e.seq, at=e.at, actor=e.actor, action=e.action, subject=e.subject, queue=e.queue,
            category=e.category, listing_id=e.listing_id, before=e.before, after=e.after, detail=e.detail,
            prev_hash=e.prev_hash, origin=e.origin, gid=e.id,
        )  # fmt: skip
    result = ws.audit.verify("anyone")
    assert not result.ok and result.broken_at == 3 and "does not follow event #2" in result.problem


def test_concurrent_writers_keep_one_unbroken_chain(db_url: str, clock: FakeClock) -> None:
    """Four workstations deciding at once on one database: every event chained, none lost."""
    first = open_workstation(db_url, clock=clock)
    seed(first, listings=40)
    stations = [first] + [open_workstation(db_url, clock=clock) for _ in range(3)]
    errors: list[BaseException] = []

    def work(ws: Workstation, name: str) -> None:
        try:
            while (case := ws.review.claim_next("general", name)) is not None:
                ws.review.decide(case.item.id, name, *REMOVE)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w, f"r{i}")) for i, w in enumerate(stations)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == []
        result = first.audit.verify("anyone")
        assert result.ok, result.text()
        events = first.audit.events("anyone", limit=1000)
        assert sum(e.action == AuditAction.DECIDE for e in events) == 40
        assert sum(e.action == AuditAction.CLAIM for e in events) == 40
        assert result.checked == len(events) == result.head.seq
    finally:
        for w in stations:
            w.close()
