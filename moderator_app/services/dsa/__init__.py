"""The DSA services (issue 5), built together over one database: ``Workstation.dsa``.

``check`` is the one permission hook (see :mod:`.permissions`); issue 6 passes its role check here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.appeals import AppealService
from moderator_app.services.dsa.export import SorExportService
from moderator_app.services.dsa.misuse import MisuseService
from moderator_app.services.dsa.notices import NoticeService
from moderator_app.services.dsa.offenders import RepeatOffenderService
from moderator_app.services.dsa.permissions import OPEN_GATE, PermissionCheck, PersonalDataGate, named_person
from moderator_app.services.dsa.policies import PolicyService
from moderator_app.services.dsa.registry import OutboxService, TrustedFlaggerService
from moderator_app.services.dsa.reports import TransparencyService
from moderator_app.services.dsa.statements import StatementService
from moderator_app.storage.db import Database


@dataclass
class DsaServices:
    db: Database
    clock: Clock = system_clock
    check: PermissionCheck = named_person
    gate: PersonalDataGate = OPEN_GATE
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
        db, clock, check = self.db, self.clock, self.check
        self.statements = StatementService(db, clock)
        self.notices = NoticeService(db, clock, check, self.gate)
        self.flaggers = TrustedFlaggerService(db, clock, check)
        self.outbox = OutboxService(db, clock, check, self.gate)
        self.offenders = RepeatOffenderService(db, clock, check)
        self.misuse = MisuseService(db, clock, check)
        self.appeals = AppealService(db, clock, check, self.gate)
        self.policies = PolicyService(db, clock, check)
        self.exports = SorExportService(db, clock, check)
        self.transparency = TransparencyService(db, clock)
