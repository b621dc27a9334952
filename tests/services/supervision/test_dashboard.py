"""The dashboard's figures equal a recount made here from the raw tables with plain SQL."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.supervision.sampling import QualityOutcome, SamplingPolicy, SupervisionPolicy
from moderator_app.services.bootstrap import review_service
from moderator_app.services.workstation import Workstation
from tests.conftest import FakeClock
from tests.factories import seed

ACTIONS = [
    (Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Loose magnets."),
    (Action.NO_VIOLATION, None, None, ""),
    (Action.WARN, PolicyCategory.COUNTERFEIT, Ground.ILLEGAL_CONTENT, "Fake logo."),
    (Action.ESCALATE, None, None, "Needs a supervisor."),
    (Action.RESTRICT, PolicyCategory.HIDDEN_LINK, Ground.TERMS_OF_SERVICE, "Phone number in photo."),
]


def _utc(value: object) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def test_the_figures_equal_a_recount(ws: Workstation, clock: FakeClock) -> None:
    start = clock.now
    seed(ws, listings=14, queue="general", created=start - timedelta(days=2))
    seed(ws, listings=6, queue="health", created=start - timedelta(hours=3), prefix="H")
    policy = SupervisionPolicy(
        SamplingPolicy(Decimal("0.5"), Decimal("0.5"), 0), {"default": 24.0, "health": 2.0}
    )
    review = review_service(ws.db, ws.clock, ws.access, supervision=policy)
    made = []
    for i in range(11):
        clock.advance(minutes=37)
        case = review.claim_next("general" if i % 3 else "health", f"r{i % 3}")
        assert case is not None
        made.append(review.decide(case.item.id, f"r{i % 3}", *ACTIONS[i % len(ACTIONS)]))
    review.undo(made[-1].id, made[-1].reviewer)  # an undone decision counts for nothing
    for _ in range(3):
        q = ws.quality.claim_next("boss")
        if q is None:
            break
        outcome = QualityOutcome.OVERTURN if q.sample.id % 2 else QualityOutcome.AGREE
        ws.quality.review(q.sample.id, "boss", outcome, "second look")
    clock.advance(hours=1)
    end = clock.now
    ws.dashboard._policy = policy  # the same targets as the recount below
    f = ws.dashboard.figures("boss", start, end)

    with ws.db.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, listing_id, action, category, decided_at, undone_at FROM decisions")
        ).all()
        flags = conn.execute(sa.text("SELECT listing_id, received_at FROM flags")).all()
        items = conn.execute(sa.text("SELECT queue, state, created_at FROM review_items")).all()
        samples = conn.execute(sa.text("SELECT moderator, category, outcome FROM quality_samples")).all()
    standing = [r for r in rows if r.undone_at is None and start <= _utc(r.decided_at) < end]
    assert f.decisions == len(standing) == 10
    per_hour = Counter(_utc(r.decided_at).replace(minute=0, second=0, microsecond=0) for r in standing)
    assert {h.hour: h.decisions for h in f.throughput if h.decisions} == dict(per_hour)
    assert sum(h.decisions for h in f.throughput) == len(standing)
    assert {(c.category, c.action): c.decisions for c in f.by_category_action} == dict(
        Counter((r.category or "", r.action) for r in standing)
    )
    waits = []
    for r in standing:
        if r.action == "escalate":
            continue
        before = [_utc(t) for lid, t in flags if lid == r.listing_id and _utc(t) <= _utc(r.decided_at)]
        waits.append(_utc(r.decided_at) - min(before))
    assert f.median_flag_to_decision == statistics.median(waits)
    open_by_queue = Counter(q for q, state, _ in items if state == "open")
    assert {b.queue: b.open_items for b in f.backlog} == dict(open_by_queue)
    for b in f.backlog:
        target = timedelta(hours=2 if b.queue == "health" else 24)
        late = [c for q, s, c in items if q == b.queue and s == "open" and _utc(c) < end - target]
        assert b.past_sla == len(late), b.queue
        assert b.oldest_at == min(_utc(c) for q, s, c in items if q == b.queue and s == "open")
    reviewed = [s for s in samples if s.outcome is not None]
    assert f.quality.sampled == len(samples) and f.quality.overall.reviewed == len(reviewed) > 0
    assert f.quality.overall.agreed == sum(s.outcome == "agree" for s in reviewed)
    for name, rate in f.quality.by_moderator.items():
        mine = [s for s in reviewed if s.moderator == name]
        assert (rate.reviewed, rate.agreed) == (len(mine), sum(s.outcome == "agree" for s in mine))
    assert f.past_sla > 0 and f.open_items == sum(open_by_queue.values())
