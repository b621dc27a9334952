"""ORM rows to domain DTOs. The only place that knows both shapes."""

from __future__ import annotations

from moderator_app.domain.enums import (
    Action,
    FlagSource,
    Ground,
    ItemState,
    ListingStatus,
    PolicyCategory,
    TraderKind,
    TraderStatus,
)
from moderator_app.domain.review.model import (
    DecisionInfo,
    FlagInfo,
    ImageInfo,
    ListingInfo,
    ReviewItemInfo,
    TraderInfo,
)
from moderator_app.storage import orm
from moderator_app.storage.media import MediaStore


def trader_info(t: orm.Trader) -> TraderInfo:
    return TraderInfo(
        id=t.id,
        external_id=t.external_id,
        display_name=t.display_name,
        legal_name=t.legal_name,
        address=t.address,
        email=t.email,
        phone=t.phone,
        trade_register_number=t.trade_register_number,
        country=t.country,
        kind=TraderKind(t.kind),
        status=TraderStatus(t.status),
        suspended_until=t.suspended_until,
    )


def listing_info(x: orm.Listing) -> ListingInfo:
    return ListingInfo(
        id=x.id,
        external_id=x.external_id,
        trader_id=x.trader_id,
        title=x.title,
        description=x.description,
        price_minor=x.price_minor,
        currency=x.currency,
        category=x.category,
        url=x.url,
        ean=x.ean,
        created_at=x.created_at,
        status=ListingStatus(x.status),
    )


def image_info(i: orm.ListingImage, media: MediaStore) -> ImageInfo:
    return ImageInfo(
        id=i.id,
        listing_id=i.listing_id,
        position=i.position,
        sha256=i.sha256,
        width=i.width,
        height=i.height,
        format=i.format,
        readable=i.readable,
        problem=i.problem,
        path=str(media.path_for(i.sha256)) if i.sha256 else None,
    )


def flag_info(f: orm.Flag) -> FlagInfo:
    return FlagInfo(
        id=f.id,
        listing_id=f.listing_id,
        source=FlagSource(f.source),
        notifier=f.notifier,
        category=PolicyCategory(f.category),
        explanation=f.explanation,
        received_at=f.received_at,
    )


def item_info(r: orm.ReviewItem) -> ReviewItemInfo:
    return ReviewItemInfo(
        id=r.id,
        listing_id=r.listing_id,
        queue=r.queue,
        priority=r.priority,
        state=ItemState(r.state),
        claimed_by=r.claimed_by,
        claimed_at=r.claimed_at,
        lease_expires_at=r.lease_expires_at,
        created_at=r.created_at,
    )


def decision_info(d: orm.Decision, listing_external_id: str) -> DecisionInfo:
    return DecisionInfo(
        id=d.id,
        puid=d.puid,
        item_id=d.item_id,
        listing_id=d.listing_id,
        listing_external_id=listing_external_id,
        trader_id=d.trader_id,
        action=Action(d.action),
        category=PolicyCategory(d.category) if d.category else None,
        ground=Ground(d.ground) if d.ground else None,
        explanation=d.explanation,
        reviewer=d.reviewer,
        claimed_at=d.claimed_at,
        decided_at=d.decided_at,
        undone_at=d.undone_at,
        listing_status_before=ListingStatus(d.listing_status_before),
        undone_by=d.undone_by,
    )
