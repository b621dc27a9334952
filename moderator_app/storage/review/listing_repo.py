"""Look-ups of listings and traders by id or by the marketplace's own (external) id."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.storage.orm import Decision, Flag, Listing, ListingImage, Trader

_Row = TypeVar("_Row", Trader, Listing)


def find_trader(session: Session, ref: str | int) -> Trader | None:
    return _find(session, Trader, ref)


def find_listing(session: Session, ref: str | int) -> Listing | None:
    return _find(session, Listing, ref)


def _find(session: Session, cls: type[_Row], ref: str | int) -> _Row | None:
    """External ids first (what people copy from the marketplace), then the internal number."""
    text = str(ref).strip()
    row = session.scalar(select(cls).where(cls.external_id == text))
    if row is None and text.isdigit():
        row = session.get(cls, int(text))
    return row


def images_of(session: Session, listing_id: int) -> list[ListingImage]:
    return list(
        session.scalars(
            select(ListingImage).where(ListingImage.listing_id == listing_id).order_by(ListingImage.position)
        )
    )


def flags_of(session: Session, listing_id: int) -> list[Flag]:
    return list(
        session.scalars(select(Flag).where(Flag.listing_id == listing_id).order_by(Flag.received_at, Flag.id))
    )


def decisions_of_listing(session: Session, listing_id: int) -> list[Decision]:
    return list(
        session.scalars(
            select(Decision)
            .where(Decision.listing_id == listing_id)
            .order_by(Decision.decided_at, Decision.id)
        )
    )


def listing_count_of_trader(session: Session, trader_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Listing).where(Listing.trader_id == trader_id)) or 0
    )


def last_decision_of(session: Session, reviewer: str) -> Decision | None:
    return session.scalar(
        select(Decision)
        .where(Decision.reviewer == reviewer, Decision.undone_at.is_(None))
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    )


def later_decisions_exist(session: Session, decision: Decision) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(Decision)
            .where(
                Decision.listing_id == decision.listing_id,
                Decision.id > decision.id,
                Decision.undone_at.is_(None),
            )
        )
        or 0
    ) > 0
