"""What the DSA services let only some people do. Issue 6 (accounts and roles) maps roles onto these;
until then the check in :mod:`moderator_app.services.dsa.permissions` only asks for a named person."""

from __future__ import annotations

from enum import StrEnum

from moderator_app.domain.errors import WorkstationError


class Permission(StrEnum):
    CONFIRM_MEASURE = "confirm_measure"  # warn / suspend / terminate a trader, notifier or complainant
    EDIT_POLICY = "edit_policy"  # the repeat-offender policy and the statement templates
    DECIDE_APPEAL = "decide_appeal"  # uphold or reverse a decision on a complaint
    MANAGE_TRUSTED_FLAGGERS = "manage_trusted_flaggers"
    MARK_UNFOUNDED = "mark_unfounded"  # find a notice or a complaint manifestly unfounded
    EXPORT = "export"  # statements to the Transparency Database, the outbox
    ENTER_NOTICE = "enter_notice"
    FILE_APPEAL = "file_appeal"


class PermissionDenied(WorkstationError):
    """The person may not do this (their role does not allow it)."""
