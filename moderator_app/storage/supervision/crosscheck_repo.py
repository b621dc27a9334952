"""Reading the facts the audit cross-check compares: the rows (decisions, strikes, complaints, quality
samples, accounts) as small tuples, and the events of the actions that describe them, by seq."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.domain.supervision.audit import AuditEvent
from moderator_app.domain.supervision.crosscheck import (
    CROSSCHECKED_ACTIONS,
    AccountFact,
    AppealFact,
    DecisionFact,
    SampleFact,
    StateFacts,
    StrikeFact,
)
from moderator_app.storage.accounts.orm_accounts import AuditEventRow, QualitySample, User
from moderator_app.storage.dsa.orm_dsa import Appeal
from moderator_app.storage.orm import Decision, Strike
from moderator_app.storage.supervision.audit_repo import to_event

READ_CHUNK = 5000


def state_facts(session: Session) -> StateFacts:
    """Columns only (no ORM objects), the few distinct texts (actions, reviewers, kinds) shared."""
    intern = sys.intern
    decisions = {
        i: DecisionFact(i, intern(a), intern(r), u is not None)
        for i, a, r, u in session.execute(
            select(Decision.id, Decision.action, Decision.reviewer, Decision.undone_at)
        )
    }
    strikes = {
        d: StrikeFact(i, d, intern(k), r is not None)
        for i, d, k, r in session.execute(
            select(Strike.id, Strike.decision_id, Strike.kind, Strike.revoked_at)
        )
    }
    appeals = {
        i: AppealFact(i, d, st)
        for i, d, st in session.execute(select(Appeal.id, Appeal.decision_id, Appeal.status))
    }
    samples = {
        i: SampleFact(i, d, o)
        for i, d, o in session.execute(
            select(QualitySample.id, QualitySample.decision_id, QualitySample.outcome)
        )
    }
    accounts = {
        n: AccountFact(n, r, bool(dis))
        for n, r, dis in session.execute(select(User.name, User.roles, User.disabled))
    }
    return StateFacts(decisions, strikes, appeals, samples, accounts)


def crosschecked_events(session: Session) -> Iterator[AuditEvent]:
    """The events the cross-check folds, oldest first, read in chunks by key."""
    last = -(2**31)
    while True:
        rows = list(
            session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.action.in_(CROSSCHECKED_ACTIONS), AuditEventRow.seq > last)
                .order_by(AuditEventRow.seq)
                .limit(READ_CHUNK)
            )
        )
        if not rows:
            return
        for r in rows:
            yield to_event(r)
        last = rows[-1].seq
        session.expunge_all()
