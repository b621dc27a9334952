"""What the DSA services share about who acts: the acting name, and the personal-data gate.

The permission checks themselves are the one ``Access`` (services/access.py), inside each change's own
transaction; the gate is that same ``Access`` (issue 10: names and e-mail addresses of notifiers and
complainants shown only to those who may see them, every such read an audit event).
"""

from __future__ import annotations

from typing import Protocol

from moderator_app.domain.errors import InvalidInput


def actor_name(actor: str) -> str:
    name = (actor or "").strip()
    if not name:
        raise InvalidInput("a name is needed: who is doing this?")
    if len(name) > 100:
        raise InvalidInput("a name is at most 100 characters")
    return name


class PersonalDataGate(Protocol):
    """Who may see notifiers' and complainants' names and e-mail addresses (issue 10).

    ``may_see`` answers for a viewer (None: an internal caller, which sees them only on a single-user
    workstation); ``shown`` records that a read showed ``records`` of them to ``viewer`` (an audit event).
    """

    def may_see(self, viewer: str | None) -> bool: ...

    def require_see(self, viewer: str | None, what: str) -> None: ...

    def shown(self, viewer: str, subject: str, records: int) -> None: ...
