"""What the DSA services let only some people do: rights of the one enum
:class:`moderator_app.domain.accounts.rights.Right` (issue 9 merged ``Permission`` into it; the name
stays as an alias so DSA code reads as before)."""

from __future__ import annotations

from moderator_app.domain.accounts.rights import PermissionDenied, Right

Permission = Right

__all__ = ["Permission", "PermissionDenied"]
