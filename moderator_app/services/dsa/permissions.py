"""The one permission hook of the DSA services.

Every service that only some people may use calls ``check(actor, permission)`` first. Issue 6 (accounts
and roles) passes its role check as ``check`` when it builds :class:`DsaServices`; until then
:func:`named_person` lets any named person act and refuses software, which the law never lets decide
complaints or confirm suspensions on its own.
"""

from __future__ import annotations

from collections.abc import Callable

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
