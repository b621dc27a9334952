"""The composition of services over one database: what the CLI and the window are handed."""

from __future__ import annotations

from dataclasses import dataclass, field

from moderator_app.domain.errors import WorkstationError
from moderator_app.services.access import Access
from moderator_app.services.accounts.service import AccountService
from moderator_app.services.bootstrap import message_bus
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa import DsaServices
from moderator_app.services.imports.importer import ImportService
from moderator_app.services.predictions.service import PredictionService
from moderator_app.services.review.lookup import LookupService
from moderator_app.services.review.service import ReviewService
from moderator_app.services.supervision.audit import AuditService
from moderator_app.services.supervision.audit_keys import AuditKeys, workstation_identity
from moderator_app.services.supervision.dashboard import DashboardService
from moderator_app.services.supervision.sampling import QualityService
from moderator_app.settings import Settings
from moderator_app.storage import migrate
from moderator_app.storage.db import Database


@dataclass
class Workstation:
    db: Database
    clock: Clock = system_clock
    migration: migrate.MigrationResult | None = None
    settings: Settings = field(default_factory=Settings)
    access: Access = field(init=False)
    transactions: Transactions = field(init=False)
    accounts: AccountService = field(init=False)
    audit: AuditService = field(init=False)
    quality: QualityService = field(init=False)
    dashboard: DashboardService = field(init=False)
    review: ReviewService = field(init=False)
    lookup: LookupService = field(init=False)
    importer: ImportService = field(init=False)
    dsa: DsaServices = field(init=False)
    predictions: PredictionService = field(init=False)

    def __post_init__(self) -> None:
        # Issue 6: one Access resolves every acting name to its roles (unmanaged without accounts).
        self.access = Access(self.db, self.clock)
        self.accounts = AccountService(self.db, self.clock, self.access)
        self.audit = AuditService(
            self.db, self.clock, self.access, AuditKeys(self.settings.config_dir, self.settings.audit_key)
        )
        self.quality = QualityService(self.db, self.clock, self.access)
        self.dashboard = DashboardService(self.db, self.clock, self.access)
        # One bus, one way into a transaction, shared by every service whose changes emit events.
        self.transactions = Transactions(self.db, message_bus())
        self.review = ReviewService(self.transactions, self.clock, self.access)
        self.lookup = LookupService(self.db, self.clock, self.access)
        self.dsa = DsaServices(self.transactions, self.clock, self.access)
        self.importer = ImportService(self.db, self.clock, record_notices=self.dsa.notices.sync)
        self.predictions = PredictionService(  # loads its models on first use
            self.db, self.clock, models_dir=self.settings.models_dir, rules_path=self.settings.rules_path
        )

    @property
    def description(self) -> str:
        return self.db.description

    def close(self) -> None:
        try:  # anchor what this workstation wrote (issue 10): a checkpoint when its chain moved on
            self.audit.checkpoint_if_due()
        except WorkstationError:
            pass  # the database or the key is unavailable now: the next checkpoint covers it
        finally:
            self.db.dispose()


def open_workstation(
    url: str | None = None, *, clock: Clock = system_clock, settings: Settings | None = None
) -> Workstation:
    """Open the database (a SQLite file is created or upgraded after a backup; a shared PostgreSQL only
    checked, see :func:`migrate.prepare`) and build the services over it.

    ``url`` wins over ``settings.database``; ``settings`` (built at the entry point) gives the media,
    models, rules and config folders, else the defaults. Raises SchemaTooNew for a database of a later
    version, SchemaOutdated for a PostgreSQL that needs ``moderator-app db upgrade``,
    DatabaseUnavailable when it cannot be reached.
    """
    settings = settings if settings is not None else Settings()
    workstation, label = workstation_identity(settings.config_dir)  # whose audit chain this handle appends to
    db = Database(
        url or settings.database,
        media_dir=settings.media_dir,
        data_dir=settings.data_dir,
        workstation=workstation,
        workstation_label=label,
    )
    try:
        result = migrate.prepare(db)
    except BaseException:
        db.dispose()
        raise
    return Workstation(db=db, clock=clock, migration=result, settings=settings)
