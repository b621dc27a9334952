"""The composition of services over one database: what the CLI and the window are handed."""

from __future__ import annotations

from dataclasses import dataclass, field

from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa import DsaServices
from moderator_app.services.importer import ImportService
from moderator_app.services.lookup import LookupService
from moderator_app.services.predictions import PredictionService
from moderator_app.services.review import ReviewService
from moderator_app.storage import migrate
from moderator_app.storage.db import Database


@dataclass
class Workstation:
    db: Database
    clock: Clock = system_clock
    migration: migrate.MigrationResult | None = None
    review: ReviewService = field(init=False)
    lookup: LookupService = field(init=False)
    importer: ImportService = field(init=False)
    dsa: DsaServices = field(init=False)
    predictions: PredictionService = field(init=False)

    def __post_init__(self) -> None:
        self.review = ReviewService(self.db, self.clock)
        self.lookup = LookupService(self.db, self.clock)
        self.importer = ImportService(self.db, self.clock)
        self.dsa = DsaServices(self.db, self.clock)
        self.predictions = PredictionService(self.db, self.clock)  # loads its models on first use

    @property
    def description(self) -> str:
        return self.db.description

    def close(self) -> None:
        self.db.dispose()


def open_workstation(url: str | None = None, *, clock: Clock = system_clock) -> Workstation:
    """Open (and if needed create or upgrade) the database and build the services over it.

    Raises SchemaTooNew for a database of a later version, DatabaseUnavailable when it cannot be reached.
    """
    db = Database(url or "")
    try:
        result = migrate.upgrade(db)
    except BaseException:
        db.dispose()
        raise
    return Workstation(db=db, clock=clock, migration=result)
