"""Personal data of notifiers and complainants: what is withheld from a role that does not need it.

Names and e-mail addresses of the people who send notices (Art 16) and complaints (Art 20) are shown
only to roles holding ``Right.VIEW_PERSONAL_DATA`` (see docs/supervisors.md for the table); everyone
else sees :data:`WITHHELD` in their place. Traders are not covered here: their contact details are the
traceability data (Art 30) a moderator judges a listing with. A registered trusted flagger acts as an
organisation listed in public (Art 22), so its registry name stays visible.
"""

from __future__ import annotations

from dataclasses import replace

from moderator_app.domain.dsa.model import AppealInfo, AppellantKind, NoticeInfo, OutboxMessage
from moderator_app.domain.enums import FlagSource
from moderator_app.domain.review.model import FlagInfo

WITHHELD = "(withheld)"


def _hidden(value: str | None) -> str | None:
    return WITHHELD if value else None


def notice(n: NoticeInfo) -> NoticeInfo:
    return replace(n, notifier=_hidden(n.notifier), notifier_email=_hidden(n.notifier_email))


def outbox_message(m: OutboxMessage) -> OutboxMessage:
    if m.recipient_kind == "trader":
        return m
    return replace(m, recipient_name=_hidden(m.recipient_name), recipient_email=_hidden(m.recipient_email))


def appeal(a: AppealInfo) -> AppealInfo:
    if a.appellant_kind is AppellantKind.TRADER:
        return a
    return replace(a, appellant=_hidden(a.appellant))


def flag(f: FlagInfo) -> FlagInfo:
    if f.source is not FlagSource.USER_NOTICE:
        return f
    return replace(f, notifier=_hidden(f.notifier))


def has_personal(value: NoticeInfo | OutboxMessage | AppealInfo | FlagInfo) -> bool:
    """Whether withholding would change anything (only such records count as a read of personal data)."""
    if isinstance(value, NoticeInfo):
        return notice(value) != value
    if isinstance(value, OutboxMessage):
        return outbox_message(value) != value
    if isinstance(value, AppealInfo):
        return appeal(value) != value
    return flag(value) != value
