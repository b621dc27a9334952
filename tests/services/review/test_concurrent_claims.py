"""Several workstations (processes) claiming from one queue at once never get the same item."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from moderator_app.services.workstation import Workstation, open_workstation
from tests.factories import seed

PROCESSES = 4
ITEMS = 240


def _claim_until_empty(url: str, reviewer: str, start: multiprocessing.synchronize.Event) -> list[int]:
    ws = open_workstation(url)
    try:
        start.wait(30)
        held: list[int] = []
        while True:
            case = ws.review.claim_next("general", reviewer, exclude=held)
            if case is None:
                return held
            held.append(case.item.id)
    finally:
        ws.close()


def test_processes_claiming_at_once_never_share_an_item(ws: Workstation, db_url: str) -> None:
    data = seed(ws, listings=ITEMS, traders=5)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(PROCESSES) as pool:
            pending = [
                pool.apply_async(_claim_until_empty, (db_url, f"reviewer-{n}", start))
                for n in range(PROCESSES)
            ]
            start.set()
            results = [p.get(timeout=120) for p in pending]
    claimed = [item for r in results for item in r]
    duplicates = [item for item, n in Counter(claimed).items() if n > 1]
    assert duplicates == []
    assert sorted(claimed) == sorted(data.item_ids)  # and nothing was left behind
    assert sum(1 for r in results if r) >= 2, "the claims did not really run side by side"
    counts = {c.queue: (c.pending, c.claimed) for c in ws.review.queue_counts()}
    assert counts == {"general": (0, ITEMS)}
