"""Read models: what a person sees of a listing (the review case) and of a trader (record and history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from moderator_app.domain.errors import NotFound
from moderator_app.domain.review.model import ListingDetail, ReviewCase, TraderDetail
from moderator_app.domain.review.policy import COUNTER_WINDOW
from moderator_app.storage import convert
from moderator_app.storage.media import MediaStore
from moderator_app.storage.orm import Listing, ReviewItem, Trader
from moderator_app.storage.review import decision_repo, listing_repo, review_repo

RECENT_DECISIONS = 10


def trader_detail(session: Session, trader: Trader, now: datetime) -> TraderDetail:
    return TraderDetail(
        trader=convert.trader_info(trader),
        counters=decision_repo.counters_of(session, trader, now, COUNTER_WINDOW),
        recent_decisions=[
            convert.decision_info(d, ext)
            for d, ext in decision_repo.recent_decisions(session, trader.id, RECENT_DECISIONS)
        ],
        listings_total=listing_repo.listing_count_of_trader(session, trader.id),
    )


def load_case(session: Session, media: MediaStore, item_id: int, now: datetime) -> ReviewCase:
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    listing = session.get_one(Listing, item.listing_id)
    trader = session.get_one(Trader, listing.trader_id)
    return ReviewCase(
        item=convert.item_info(item),
        listing=convert.listing_info(listing),
        images=[convert.image_info(i, media) for i in listing_repo.images_of(session, listing.id)],
        flags=[convert.flag_info(f) for f in listing_repo.flags_of(session, listing.id)],
        trader=trader_detail(session, trader, now),
    )


def listing_detail(session: Session, media: MediaStore, ref: str | int) -> ListingDetail:
    listing = listing_repo.find_listing(session, ref)
    if listing is None:
        raise NotFound(f"no listing {ref}")
    trader = session.get_one(Trader, listing.trader_id)
    return ListingDetail(
        listing=convert.listing_info(listing),
        trader=convert.trader_info(trader),
        images=[convert.image_info(i, media) for i in listing_repo.images_of(session, listing.id)],
        flags=[convert.flag_info(f) for f in listing_repo.flags_of(session, listing.id)],
        items=[convert.item_info(i) for i in review_repo.items_of_listing(session, listing.id)],
        decisions=[
            convert.decision_info(d, listing.external_id)
            for d in listing_repo.decisions_of_listing(session, listing.id)
        ],
    )


def find_trader_detail(session: Session, ref: str | int, now: datetime) -> TraderDetail:
    trader = listing_repo.find_trader(session, ref)
    if trader is None:
        raise NotFound(f"no trader {ref}")
    return trader_detail(session, trader, now)
