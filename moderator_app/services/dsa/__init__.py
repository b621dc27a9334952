"""The DSA services (issue 5), built together over one database: ``Workstation.dsa``.

They share the workstation's units of work (``Transactions``: one message bus) and its one ``Access``,
through which every claim, read of personal data and change is checked (issue 9).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.appeals import AppealService
from moderator_app.services.dsa.export import SorExportService
from moderator_app.services.dsa.misuse import MisuseService
from moderator_app.services.dsa.notices import NoticeService
from moderator_app.services.dsa.offenders import RepeatOffenderService
from moderator_app.services.dsa.policies import PolicyService
from moderator_app.services.dsa.registry import OutboxService, TrustedFlaggerService
from moderator_app.services.dsa.reports import TransparencyService
from moderator_app.services.dsa.statements import StatementService


@dataclass
class DsaServices:
    tx: Transactions
    clock: Clock = system_clock
    access: Access | None = None
    statements: StatementService = field(init=False)
    notices: NoticeService = field(init=False)
    flaggers: TrustedFlaggerService = field(init=False)
    outbox: OutboxService = field(init=False)
    offenders: RepeatOffenderService = field(init=False)
    misuse: MisuseService = field(init=False)
    appeals: AppealService = field(init=False)
    policies: PolicyService = field(init=False)
    exports: SorExportService = field(init=False)
    transparency: TransparencyService = field(init=False)

    def __post_init__(self) -> None:
        tx, clock = self.tx, self.clock
        access = self.access = self.access or Access(tx.db, clock)
        self.statements = StatementService(tx, clock)
        self.notices = NoticeService(tx, clock, access)
        self.flaggers = TrustedFlaggerService(tx, clock, access)
        self.outbox = OutboxService(tx, clock, access)
        self.offenders = RepeatOffenderService(tx, clock, access)
        self.misuse = MisuseService(tx, clock, access)
        self.appeals = AppealService(tx, clock, access)
        self.policies = PolicyService(tx, clock, access)
        self.exports = SorExportService(tx, clock, access)
        self.transparency = TransparencyService(tx, clock)
