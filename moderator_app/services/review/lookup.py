"""Read-only look-ups of traders and listings, with the trader's repeat-offender record."""

from __future__ import annotations

from dataclasses import replace

from moderator_app.domain.accounts import personal_data
from moderator_app.domain.review.model import ListingDetail, TraderCounters, TraderDetail
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.storage.db import Database
from moderator_app.storage.review import read_models


class LookupService:
    def __init__(self, db: Database, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)

    def trader(self, ref: str | int) -> TraderDetail:
        with self._db.read() as s:
            return read_models.find_trader_detail(s, ref, self._clock())

    def counters(self, ref: str | int) -> TraderCounters:
        return self.trader(ref).counters

    def listing(self, ref: str | int, viewer: str | None = None) -> ListingDetail:
        """A listing with its history. The names of notifiers (user notices) are withheld unless
        ``viewer`` may see personal data; a read that shows them is audited."""
        show = self._access.may_see(viewer)
        with self._db.read() as s:
            detail = read_models.listing_detail(s, self._db.media, ref)
        if not show:
            return replace(detail, flags=[personal_data.flag(f) for f in detail.flags])
        if viewer is not None:
            shown = sum(1 for f in detail.flags if personal_data.has_personal(f))
            self._access.shown(viewer, f"listing:{detail.listing.id}", shown)
        return detail
