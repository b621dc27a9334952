"""Read-only look-ups of traders and listings, with the trader's repeat-offender record."""

from __future__ import annotations

from moderator_app.domain.review.model import ListingDetail, TraderCounters, TraderDetail
from moderator_app.services.clock import Clock, system_clock
from moderator_app.storage.db import Database
from moderator_app.storage.review import read_models


class LookupService:
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self._db = db
        self._clock = clock

    def trader(self, ref: str | int) -> TraderDetail:
        with self._db.read() as s:
            return read_models.find_trader_detail(s, ref, self._clock())

    def counters(self, ref: str | int) -> TraderCounters:
        return self.trader(ref).counters

    def listing(self, ref: str | int) -> ListingDetail:
        with self._db.read() as s:
            return read_models.listing_detail(s, self._db.media, ref)
