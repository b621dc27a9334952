"""``report transparency``: the Art 15/24 figures for a period, counted from the raw records."""

from __future__ import annotations

from datetime import date

from moderator_app.domain.dsa.transparency import TransparencyReport, bounds, compute
from moderator_app.domain.errors import InvalidInput
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.storage.dsa import notice_repo, transparency_repo


class TransparencyService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock) -> None:
        self._tx = tx
        self._db = tx.db
        self._clock = clock

    def report(self, period_from: date, period_to: date) -> TransparencyReport:
        if period_to < period_from:
            raise InvalidInput(f"the period ends ({period_to}) before it starts ({period_from})")
        with self._db.write() as s:  # imported notices get their notice records first
            notice_repo.sync(s, self._clock())
        start, end = bounds(period_from, period_to)
        with self._db.read() as s:
            return compute(
                period_from,
                period_to,
                transparency_repo.notices(s, start, end),
                transparency_repo.decisions(s, start, end),
                transparency_repo.appeals(s, start, end),
                transparency_repo.measures(s, start, end),
            )
