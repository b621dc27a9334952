"""The review repositories a unit of work hands a service: items (the claim protocol), listings,
decisions and strikes. They take and return domain values (ids, enums, ``ReviewItemInfo``,
``DecisionInfo``), never ORM rows, so no row or Session leaves storage."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from moderator_app.domain.enums import Action, Ground, ItemState, ListingStatus, PolicyCategory, StrikeKind
from moderator_app.domain.errors import NotFound
from moderator_app.domain.review.model import DecisionInfo, QueueCount, ReviewCase, ReviewItemInfo
from moderator_app.storage import convert
from moderator_app.storage.media import MediaStore
from moderator_app.storage.orm import Decision, Listing, ReviewItem, Strike, Trader
from moderator_app.storage.review import decision_repo, listing_repo, review_repo
from moderator_app.storage.review.read_models import load_case
from moderator_app.storage.rows import Rows


class ItemRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def queue_counts(self, now: datetime) -> list[QueueCount]:
        return review_repo.queue_counts(self._s, now)

    def case(self, media: MediaStore, item_id: int, now: datetime) -> ReviewCase:
        """Everything the window shows for one item (listing, images, flags, trader, history)."""
        return load_case(self._s, media, item_id, now)

    def get(self, item_id: int) -> ReviewItemInfo | None:
        row = self._rows.get(ReviewItem, item_id)
        return convert.item_info(row) if row is not None else None

    def lock(self, item_id: int) -> ReviewItemInfo | None:
        """The item, locked for change until the transaction ends (PostgreSQL; SQLite's writer holds
        the database lock)."""
        row = self._rows.hold(review_repo.lock_item(self._s, item_id))
        return convert.item_info(row) if row is not None else None

    def own_live_claim(
        self, queue: str, reviewer: str, now: datetime, exclude: Collection[int]
    ) -> int | None:
        return review_repo.own_live_claim(self._s, queue, reviewer, now, exclude)

    def claim_next(
        self, queue: str, reviewer: str, now: datetime, lease: timedelta, exclude: Collection[int]
    ) -> int | None:
        return review_repo.claim_next(self._s, queue, reviewer, now, lease, exclude)

    def claim(self, item_id: int, reviewer: str, now: datetime, lease: timedelta) -> bool:
        return review_repo.claim_item(self._s, item_id, reviewer, now, lease)

    def release(self, item_id: int, reviewer: str) -> bool:
        return review_repo.release(self._s, item_id, reviewer)

    def open_for_listing(self, listing_id: int) -> ReviewItemInfo | None:
        row = self._rows.hold(review_repo.open_item_for_listing(self._s, listing_id))
        return convert.item_info(row) if row is not None else None

    def close(self, item_id: int, state: ItemState, now: datetime) -> None:
        row = self._rows.get_one(ReviewItem, item_id)
        row.state = state.value
        row.closed_at = now
        row.lease_expires_at = None

    def open(self, listing_id: int, queue: str, priority: int, now: datetime) -> int:
        row = ReviewItem(
            listing_id=listing_id, queue=queue, priority=priority, state=ItemState.OPEN.value, created_at=now
        )
        self._s.add(row)
        self._s.flush()
        return self._rows.hold(row).id

    def reopen_claimed(self, item_id: int, reviewer: str, now: datetime, lease: timedelta) -> None:
        """Open again and held by ``reviewer`` (an undone decision goes back to its reviewer)."""
        row = self._rows.get_one(ReviewItem, item_id)
        row.state = ItemState.OPEN.value
        row.closed_at = None
        row.claimed_by = reviewer
        row.claimed_at = now
        row.lease_expires_at = now + lease

    def delete(self, item_id: int) -> None:
        row = self._rows.get_one(ReviewItem, item_id)
        self._rows.forget(row)
        self._s.delete(row)


class ListingRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def find(self, ref: str | int) -> tuple[int, str] | None:
        """(id, external id) of a listing named by external id or number."""
        row = self._rows.hold(listing_repo.find_listing(self._s, ref))
        return (row.id, row.external_id) if row is not None else None

    def external_id(self, listing_id: int) -> str:
        return self._rows.get_one(Listing, listing_id).external_id

    def trader_of(self, listing_id: int) -> int:
        return self._rows.get_one(Listing, listing_id).trader_id

    def status(self, listing_id: int) -> ListingStatus:
        return ListingStatus(self._rows.get_one(Listing, listing_id).status)

    def set_status(self, listing_id: int, status: ListingStatus) -> None:
        self._rows.get_one(Listing, listing_id).status = status.value


class DecisionRepository:
    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def record(
        self,
        item: ReviewItemInfo,
        trader_id: int,
        action: Action,
        category: PolicyCategory | None,
        ground: Ground | None,
        explanation: str,
        reviewer: str,
        now: datetime,
        listing_status_before: ListingStatus,
    ) -> DecisionInfo:
        row = Decision(
            puid=decision_repo.new_puid(),
            item_id=item.id,
            listing_id=item.listing_id,
            trader_id=trader_id,
            action=action.value,
            category=category.value if category else None,
            ground=ground.value if ground else None,
            explanation=explanation,
            reviewer=reviewer,
            claimed_at=item.claimed_at,
            decided_at=now,
            listing_status_before=listing_status_before.value,
        )
        self._s.add(row)
        self._s.flush()
        return self._info(self._rows.hold(row))

    def get(self, decision_id: int) -> DecisionInfo | None:
        row = self._rows.get(Decision, decision_id)
        return self._info(row) if row is not None else None

    def later_exists(self, decision_id: int) -> bool:
        """A later decision on the same listing stands (an undo would take back more than this one)."""
        return listing_repo.later_decisions_exist(self._s, self._rows.get_one(Decision, decision_id))

    def mark_undone(self, decision_id: int, by: str, now: datetime) -> DecisionInfo:
        row = self._rows.get_one(Decision, decision_id)
        row.undone_at = now
        row.undone_by = by
        return self._info(row)

    def last_of(self, reviewer: str) -> DecisionInfo | None:
        row = self._rows.hold(listing_repo.last_decision_of(self._s, reviewer))
        return self._info(row) if row is not None else None

    def _info(self, row: Decision) -> DecisionInfo:
        return convert.decision_info(row, self._rows.get_one(Listing, row.listing_id).external_id)


class StrikeRepository:
    """Strikes and the trader counters they drive; every change recounts through one path
    (``decision_repo.refresh_trader_counters``), so stored figures never drift from the record."""

    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def add(self, decision: DecisionInfo, kind: StrikeKind, now: datetime) -> None:
        self._s.add(
            Strike(
                trader_id=decision.trader_id,
                decision_id=decision.id,
                listing_id=decision.listing_id,
                kind=kind.value,
                category=decision.category.value if decision.category else None,
                created_at=now,
            )
        )
        self.refresh_counters(decision.trader_id)

    def revoke_of_decision(self, decision_id: int, reason: str, now: datetime) -> bool:
        """Revoke the decision's standing strike, if it has one; True when one was revoked."""
        strike = decision_repo.strike_of_decision(self._s, decision_id)
        if strike is None or strike.revoked_at is not None:
            return False
        strike.revoked_at = now
        strike.revoked_reason = reason
        self.refresh_counters(strike.trader_id)
        return True

    def refresh_counters(self, trader_id: int) -> None:
        trader = self._rows.get(Trader, trader_id)
        if trader is None:
            raise NotFound(f"no trader {trader_id}")
        decision_repo.refresh_trader_counters(self._s, trader)
