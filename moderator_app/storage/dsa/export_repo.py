"""What the Transparency Database export reads and the log it keeps.

A statement goes out when it is exportable (its template says so) and its decision was not undone;
each statement remembers the first export that carried it, so ``--since last`` sends only new ones.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from moderator_app.storage.dsa.orm_dsa import AccountMeasure, SorExport, Statement
from moderator_app.storage.dsa.sor_repo import personal_data_of_listing
from moderator_app.storage.orm import Decision, Listing, Trader

CHUNK = 500


def statements(
    session: Session, *, since: datetime | None, only_new: bool
) -> list[tuple[int, dict[str, Any], tuple[str, ...]]]:
    """(statement id, payload, personal data it must not contain), oldest first."""
    stmt = (
        select(Statement, Decision, AccountMeasure)
        .outerjoin(Decision, Decision.id == Statement.decision_id)
        .outerjoin(AccountMeasure, AccountMeasure.id == Statement.measure_id)
        .where(
            Statement.exportable.is_(True), or_(Statement.decision_id.is_(None), Decision.undone_at.is_(None))
        )
        .order_by(Statement.created_at, Statement.id)
    )
    if since is not None:
        stmt = stmt.where(Statement.created_at >= since)
    if only_new:
        stmt = stmt.where(Statement.first_export_id.is_(None))
    out = []
    personal_of_trader: dict[int, tuple[str, ...]] = {}
    for st, decision, measure in session.execute(stmt):
        if decision is not None:
            listing = session.get_one(Listing, decision.listing_id)
            trader = session.get_one(Trader, decision.trader_id)
            personal = personal_data_of_listing(session, listing, trader)
        elif measure is not None and measure.trader_id is not None:
            if measure.trader_id not in personal_of_trader:
                trader = session.get_one(Trader, measure.trader_id)
                personal_of_trader[measure.trader_id] = tuple(
                    v
                    for v in (
                        trader.display_name,
                        trader.legal_name,
                        trader.email,
                        trader.phone,
                        trader.address,
                    )
                    if v
                )
            personal = personal_of_trader[measure.trader_id]
        else:
            personal = ()
        out.append((st.id, json.loads(st.payload), personal))
    return out


def log(
    session: Session,
    *,
    actor: str,
    since: date | None,
    only_new: bool,
    file: str,
    written_ids: list[int],
    failed: int,
    now: datetime,
) -> int:
    row = SorExport(
        created_at=now,
        actor=actor,
        since=since,
        only_new=only_new,
        file=file,
        written=len(written_ids),
        failed=failed,
    )
    session.add(row)
    session.flush()
    for start in range(0, len(written_ids), CHUNK):
        session.execute(
            update(Statement)
            .where(Statement.id.in_(written_ids[start : start + CHUNK]), Statement.first_export_id.is_(None))
            .values(first_export_id=row.id)
        )
    return row.id
