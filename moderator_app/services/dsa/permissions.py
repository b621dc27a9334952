"""The one permission hook of the DSA services.

Every service that only some people may use calls ``check(actor, permission)`` first. Issue 6 (accounts
and roles) passes its role check as ``check`` when it builds :class:`DsaServices`; until then
:func:`named_person` lets any named person act and refuses software, which the law never lets decide
complaints or confirm suspensions on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from moderator_app.domain.dsa.permissions import Permission, PermissionDenied
from moderator_app.domain.dsa.sor import is_automated_actor
from moderator_app.domain.errors import InvalidInput

PermissionCheck = Callable[[str, Permission], None]


def actor_name(actor: str) -> str:
    name = (actor or "").strip()
    if not name:
        raise InvalidInput("a name is needed: who is doing this?")
    if len(name) > 100:
        raise InvalidInput("a name is at most 100 characters")
    return name


def named_person(actor: str, permission: Permission) -> None:
    if is_automated_actor(actor) and permission is not Permission.EXPORT:
        raise PermissionDenied(f"{actor} is not a person: {permission.value.replace('_', ' ')} needs one")


class PersonalDataGate(Protocol):
    """Who may see notifiers' and complainants' names and e-mail addresses (issue 10).

    ``may_see`` answers for a viewer (None: an internal caller, which sees them only on a single-user
    workstation); ``shown`` records that a read showed ``records`` of them to ``viewer`` (an audit event).
    """

    def may_see(self, viewer: str | None) -> bool: ...

    def require_see(self, viewer: str | None, what: str) -> None: ...

    def shown(self, viewer: str, subject: str, records: int) -> None: ...


class OpenGate:
    """The DSA services on their own (no accounts): everything is shown, nothing is recorded."""

    def may_see(self, viewer: str | None) -> bool:
        return True

    def require_see(self, viewer: str | None, what: str) -> None:
        return None

    def shown(self, viewer: str, subject: str, records: int) -> None:
        return None


OPEN_GATE = OpenGate()
