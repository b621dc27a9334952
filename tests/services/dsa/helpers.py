"""Test data for the DSA tests: traders and listings with real-looking personal data and notices,
written straight through the storage layer, plus the one-call "claim and decide" a moderator does."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from moderator_app.domain.enums import Action, FlagSource, Ground, ItemState, ListingStatus, PolicyCategory
from moderator_app.domain.review.model import DecisionInfo
from moderator_app.domain.review.policy import default_ground
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm

_n = itertools.count()

TRADER_NAME = "Hubert Kowalczyk Trading"
TRADER_LEGAL = "Hubert Kowalczyk"
TRADER_EMAIL = "hubert.kowalczyk@example.pl"
TRADER_PHONE = "+48 22 555 01 23"
NOTIFIER_NAME = "Margarete Oberhuber"
NOTIFIER_EMAIL = "m.oberhuber@example.at"


@dataclass(frozen=True)
class Made:
    trader_id: int
    trader_ext: str
    listing_ids: list[int]
    listing_exts: list[str]


def make_trader(
    ws: Workstation, *, listings: int = 1, created: datetime | None = None, kind: str = "business"
) -> Made:
    """A trader named after a person (private data that must never be published) with ``listings``
    live listings, none flagged yet."""
    n = next(_n)
    created = created or ws.clock() - timedelta(days=30)
    with ws.db.write() as s:
        t = orm.Trader(
            external_id=f"DT-{n}",
            display_name=TRADER_NAME,
            legal_name=TRADER_LEGAL,
            address="ul. Marszałkowska 1, Warszawa",
            email=TRADER_EMAIL,
            phone=TRADER_PHONE,
            trade_register_number=f"KRS {1000 + n}",
            country="PL",
            kind=kind,
            status="active",
            violations_total=0,
            warnings_total=0,
            created_at=created,
        )
        s.add(t)
        s.flush()
        rows = []
        for i in range(listings):
            x = orm.Listing(
                external_id=f"DL-{n}-{i}",
                trader_id=t.id,
                title=f"Magnetic building set {i}",
                description="",
                category="Toys & Games",
                url=f"https://marketplace.example/item/DL-{n}-{i}",
                ean="4006381333931",
                created_at=created,
                status=ListingStatus.LIVE.value,
                imported_at=created,
            )
            s.add(x)
            rows.append(x)
        s.flush()
        return Made(t.id, t.external_id, [x.id for x in rows], [x.external_id for x in rows])


def flag(
    ws: Workstation,
    listing_id: int,
    *,
    source: FlagSource = FlagSource.USER_NOTICE,
    category: PolicyCategory = PolicyCategory.UNSAFE_TOY,
    notifier: str | None = NOTIFIER_NAME,
    email: str | None = NOTIFIER_EMAIL,
    received: datetime | None = None,
    queue: str = "product-safety",
    priority: int = 10,
) -> int:
    """A flag as the importer stores it, opening a review item when the listing has none open."""
    received = received or ws.clock() - timedelta(hours=5)
    with ws.db.write() as s:
        f = orm.Flag(
            listing_id=listing_id,
            dedup_key=f"t{next(_n)}",
            source=source.value,
            notifier=notifier,
            notifier_email=email,
            category=category.value,
            explanation="Small magnets come loose; no CE mark.",
            received_at=received,
        )
        s.add(f)
        open_item = s.scalar(
            select(orm.ReviewItem.id).where(
                orm.ReviewItem.listing_id == listing_id, orm.ReviewItem.state == ItemState.OPEN.value
            )
        )
        if open_item is None:
            s.add(
                orm.ReviewItem(
                    listing_id=listing_id,
                    queue=queue,
                    priority=priority,
                    state=ItemState.OPEN.value,
                    created_at=received,
                )
            )
        s.flush()
        return f.id


def decide(
    ws: Workstation,
    listing: str | int,
    action: Action = Action.REMOVE,
    *,
    reviewer: str = "ana",
    category: PolicyCategory = PolicyCategory.UNSAFE_TOY,
    ground: Ground | None = None,
    explanation: str = "Loose magnets, no CE mark.",
) -> DecisionInfo:
    item = ws.review.claim_listing(listing, reviewer)
    try:
        return ws.review.decide(
            item.id, reviewer, action, category, ground or default_ground(category), explanation
        )
    except Exception:
        ws.review.release(item.id, reviewer)
        raise
