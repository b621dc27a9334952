"""Issue 11: the notice sync that ends every import and a decision on the same listing, at the same moment
on PostgreSQL, both record the flag's Art 16 notice. Before the fix the second one failed on the unique
key of notices.flag_id: the decision was refused (or the import's sync failed and its notices went
unrecorded). Now the notice and its receipt are written once and both go through.

Deterministic: the sync's transaction is held open with the notice written; the decision runs in a thread
until PostgreSQL shows it waiting for that transaction's lock; then the sync commits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from moderator_app.domain.enums import Action
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.storage import orm
from moderator_app.storage.dsa import notice_repo
from moderator_app.storage.dsa.orm_dsa import Notice, OutboxMessage
from tests.factories import seed

pytestmark = pytest.mark.postgres
WAIT_S = 30


def _waits_for_a_lock(ws: Workstation, done: Callable[[], bool]) -> bool:
    """Poll PostgreSQL until another session of this schema waits for a lock (or the work has ended)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        with ws.db.read() as s:
            waiting = s.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database() AND query ILIKE '%notices%'"
                )
            )
        if waiting or done():
            return bool(waiting)
        time.sleep(0.02)  # polling for an observed state, not waiting out a race
    return False


def test_decision_while_the_import_sync_records_the_same_notice(pg_url: str) -> None:
    ws = open_workstation(pg_url)
    other = open_workstation(pg_url)
    pool = ThreadPoolExecutor(1)
    try:
        data = seed(ws, traders=1, listings=1)
        with ws.db.write() as s:
            s.get_one(orm.Flag, 1).notifier_email = "jane@example.org"
            s.get_one(orm.Flag, 1).notifier = "Jane Roe"
        case = other.review.claim_next("general", "ana")
        assert case is not None and case.item.id == data.item_ids[0]
        decided: Future[object] | None = None
        started = threading.Event()
        with ws.db.write() as s:  # the import's sync, still in its transaction
            assert notice_repo.sync(s, ws.clock()) == 1

            def decide() -> object:
                started.set()
                return other.review.decide(case.item.id, "ana", Action.NO_VIOLATION)

            decided = pool.submit(decide)
            started.wait(WAIT_S)
            assert _waits_for_a_lock(ws, decided.done), f"the decision did not wait: {decided.result()}"
        decision = decided.result(WAIT_S)  # before the fix: IntegrityError (uq_notices_flag_id)
        assert decision is not None
        with ws.db.read() as s:
            assert s.scalar(select(func.count()).select_from(Notice)) == 1
            receipts = s.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "notice_receipt")
            )
            told = s.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "notice_decision")
            )
        assert receipts == 1
        assert told == 1  # the notifier hears of the decision: the decision saw the committed notice
    finally:
        pool.shutdown(wait=True)
        other.close()
        ws.close()


def test_import_sync_while_a_decision_records_the_same_notice(pg_url: str) -> None:
    """The other order: the decision's transaction holds the notice, the import's sync waits, then goes on
    and records the listings it has not seen."""
    ws = open_workstation(pg_url)
    pool = ThreadPoolExecutor(1)
    try:
        seed(ws, traders=1, listings=3)
        with ws.db.write() as s:  # a decision's sync of its own listing, still in its transaction
            assert notice_repo.sync(s, ws.clock(), listing_id=1) == 1
            synced = pool.submit(ws.dsa.notices.sync)
            assert _waits_for_a_lock(ws, synced.done), f"the sync did not wait: {synced.result()}"
        assert synced.result(WAIT_S) == 2  # before the fix: IntegrityError, no notice recorded
        with ws.db.read() as s:
            assert s.scalar(select(func.count()).select_from(Notice)) == 3
    finally:
        pool.shutdown(wait=True)
        ws.close()
