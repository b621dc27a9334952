"""Small, explicit test data written straight through the storage layer (no importer needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from moderator_app.domain.enums import FlagSource, ItemState, ListingStatus, PolicyCategory, TraderKind
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm


@dataclass(frozen=True)
class Seeded:
    trader_ids: list[int]
    listing_ids: list[int]
    item_ids: list[int]


def seed(
    ws: Workstation,
    *,
    traders: int = 2,
    listings: int = 6,
    queue: str = "general",
    created: datetime | None = None,
    priorities: list[int] | None = None,
    prefix: str = "",
) -> Seeded:
    """``listings`` flagged listings spread over ``traders`` traders, one open item each in ``queue``.

    Item i is created i minutes after ``created``; its priority is ``priorities[i]`` (default 10).
    """
    created = created or ws.clock() - timedelta(days=1)
    with ws.db.write() as s:
        trader_rows = [
            orm.Trader(
                external_id=f"{prefix}T-{t:04d}",
                display_name=f"Shop {t}",
                legal_name=f"Shop {t} GmbH",
                address="Hauptstr. 1, Berlin",
                email=f"shop{t}@example.org",
                phone="+49 30 1234567",
                trade_register_number=f"HRB {1000 + t}",
                country="DE",
                kind=TraderKind.BUSINESS.value,
                status="active",
                violations_total=0,
                warnings_total=0,
                created_at=created,
            )
            for t in range(traders)
        ]
        s.add_all(trader_rows)
        s.flush()
        listing_rows, item_rows = [], []
        for i in range(listings):
            listing = orm.Listing(
                external_id=f"{prefix}L-{i:05d}",
                trader_id=trader_rows[i % traders].id,
                title=f"Listing {i}",
                description="",
                price_minor=1999,
                currency="EUR",
                category="Toys & Games",
                created_at=created,
                status=ListingStatus.LIVE.value,
                imported_at=created,
            )
            s.add(listing)
            s.flush()
            s.add(
                orm.Flag(
                    listing_id=listing.id,
                    dedup_key=f"f{i}",
                    source=FlagSource.USER_NOTICE.value,
                    category=PolicyCategory.UNSAFE_TOY.value,
                    explanation="loose magnets",
                    received_at=created,
                )
            )
            item = orm.ReviewItem(
                listing_id=listing.id,
                queue=queue,
                priority=priorities[i] if priorities else 10,
                state=ItemState.OPEN.value,
                created_at=created + timedelta(minutes=i),
            )
            s.add(item)
            listing_rows.append(listing)
            item_rows.append(item)
        s.flush()
        return Seeded(
            trader_ids=[t.id for t in trader_rows],
            listing_ids=[x.id for x in listing_rows],
            item_ids=[x.id for x in item_rows],
        )
