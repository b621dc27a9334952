"""The repeat-offender counters (and the queue counts) always equal a recount from the rows themselves.

Hypothesis drives arbitrary sequences of claims, decisions of every kind, undos (in and out of the undo
window), escalations and the passing of time across the 90-day window, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from moderator_app.domain.enums import Action, Ground, PolicyCategory, TraderStatus
from moderator_app.domain.errors import UndoNotAllowed
from moderator_app.domain.review.policy import COUNTER_WINDOW
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm
from tests.conftest import FakeClock
from tests.factories import seed

_batch = itertools.count()

step = st.one_of(
    st.tuples(st.just("decide"), st.sampled_from(list(Action)), st.sampled_from(["ana", "ben"])),
    st.tuples(st.just("undo"), st.sampled_from(["ana", "ben"])),
    st.tuples(st.just("wait"), st.sampled_from([1, 4, 7, 60 * 24 * 30, 60 * 24 * 95])),
)


def recount(ws: Workstation, prefix: str) -> dict[str, tuple[int, int, int, TraderStatus]]:
    """What a supervisor would count by hand from the decisions table."""
    now = ws.clock()
    with ws.db.read() as s:
        traders = s.scalars(select(orm.Trader).where(orm.Trader.external_id.startswith(prefix))).all()
        decisions = s.scalars(
            select(orm.Decision).where(
                orm.Decision.undone_at.is_(None), orm.Decision.trader_id.in_([t.id for t in traders])
            )
        ).all()
        out = {}
        for t in traders:
            mine = [d for d in decisions if d.trader_id == t.id]
            violations = [d for d in mine if d.action in (Action.REMOVE.value, Action.RESTRICT.value)]
            recent = [d for d in violations if d.decided_at >= now - COUNTER_WINDOW]
            warnings = [d for d in mine if d.action == Action.WARN.value]
            status = TraderStatus.WARNED if warnings else TraderStatus.ACTIVE
            out[t.external_id] = (len(recent), len(violations), len(warnings), status)
        return out


def stored(ws: Workstation, prefix: str) -> dict[str, tuple[int, int, int, TraderStatus]]:
    with ws.db.read() as s:
        ids = s.scalars(select(orm.Trader.external_id).where(orm.Trader.external_id.startswith(prefix))).all()
    out = {}
    for ext in ids:
        c = ws.lookup.counters(ext)
        out[ext] = (c.violations_90d, c.violations_total, c.warnings, c.status)
    return out


def queue_recount(ws: Workstation) -> dict[str, tuple[int, int]]:
    """Open and live-claimed items per queue, counted row by row."""
    now = ws.clock()
    with ws.db.read() as s:
        items = s.scalars(select(orm.ReviewItem).where(orm.ReviewItem.state == "open")).all()
        out: dict[str, tuple[int, int]] = {}
        for it in items:
            total, held = out.get(it.queue, (0, 0))
            live = it.lease_expires_at is not None and it.lease_expires_at >= now
            out[it.queue] = (total + 1, held + live)
        return out


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_counters_equal_a_recount_after_any_sequence(ws: Workstation, clock: FakeClock, steps: list) -> None:
    # Every example adds its own traders and listings to the same database (other examples' work stays
    # in the queues, as it would in real life) and checks its own traders after every step.
    prefix = f"b{next(_batch)}-"
    queue = prefix + "queue"
    seed(ws, traders=3, listings=12, prefix=prefix, queue=queue, created=clock.now - timedelta(days=1))
    held: dict[str, int] = {}
    for op in steps:
        if op[0] == "decide":
            _, action, who = op
            if who not in held:
                case = ws.review.claim_next(queue, who) or ws.review.claim_next("escalated", who)
                if case is None:
                    continue
                held[who] = case.item.id
            category = PolicyCategory.COUNTERFEIT
            ws.review.decide(held.pop(who), who, action, category, Ground.ILLEGAL_CONTENT, "Because.")
        elif op[0] == "undo":
            last = ws.review.last_decision(op[1])
            if last is None:
                continue
            try:
                ws.review.undo(last.id, op[1])
                held[op[1]] = last.item_id
            except UndoNotAllowed:
                pass
        else:
            clock.advance(minutes=op[1])
            held.clear()  # leases may have run out; claim afresh
        assert stored(ws, prefix) == recount(ws, prefix)
        shown = {c.queue: (c.pending + c.claimed, c.claimed) for c in ws.review.queue_counts()}
        assert shown == queue_recount(ws)
    assert stored(ws, "") == recount(ws, "")  # and every trader of earlier examples still adds up


@pytest.mark.parametrize("days", [89, 91])
def test_the_90_day_counter_forgets_old_violations(ws: Workstation, clock: FakeClock, days: int) -> None:
    seed(ws, traders=1, listings=2)
    for _ in range(2):
        case = ws.review.claim_next("general", "ana")
        assert case is not None
        ws.review.decide(
            case.item.id,
            "ana",
            Action.REMOVE,
            PolicyCategory.COUNTERFEIT,
            Ground.ILLEGAL_CONTENT,
            "Fake logo.",
        )
    clock.advance(days=days)
    c = ws.lookup.counters("T-0000")
    assert c.violations_total == 2
    assert c.violations_90d == (2 if days < 90 else 0)
    assert c.repeat_offender is (days < 90)


@pytest.mark.postgres
def test_two_workstations_closing_items_of_one_queue_do_not_wait_on_one_counter_row(
    pg_url: str, clock: FakeClock
) -> None:
    """Before the shards, the second close waited on the queue's one counter row until the first
    transaction ended (here: lock_timeout after 1 s); now each connection writes its own shard."""
    import sqlalchemy as sa

    from moderator_app.services.workstation import open_workstation

    ws = open_workstation(pg_url, clock=clock)
    engine = sa.create_engine(pg_url)
    try:
        seed(ws, traders=1, listings=4, created=clock.now - timedelta(hours=1))
        close = sa.text("UPDATE review_items SET state = 'closed' WHERE id = :i")
        ids = sorted(_item_ids(ws))
        first = engine.connect()
        others = []
        try:
            first.execute(sa.text("SET lock_timeout = '1s'"))
            shard = first.execute(sa.text("SELECT pg_backend_pid() % 64")).scalar()
            first.execute(close, {"i": ids[0]})  # holds its shard's row until it commits
            second = engine.connect()
            others.append(second)
            while second.execute(sa.text("SELECT pg_backend_pid() % 64")).scalar() == shard:
                second = engine.connect()  # 1 in 64: the same shard; take another connection
                others.append(second)
            second.execute(sa.text("SET lock_timeout = '1s'"))
            second.execute(close, {"i": ids[1]})  # lock timeout here when both write one row
            second.commit()
            first.commit()
        finally:
            for conn in [first, *others]:
                conn.close()
        assert [(c.queue, c.pending) for c in ws.review.queue_counts()] == [("general", 2)]
    finally:
        engine.dispose()
        ws.close()


def _item_ids(ws: Workstation) -> list[int]:
    with ws.db.read() as s:
        return list(s.scalars(select(orm.ReviewItem.id)))
