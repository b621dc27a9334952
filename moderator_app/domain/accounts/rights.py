"""The one enum of rights (issue 9): what the core, supervision and DSA services let only some people
do. Which role holds which right is fixed in :mod:`moderator_app.domain.accounts.roles`."""

from __future__ import annotations

from enum import StrEnum

from moderator_app.domain.errors import WorkstationError


class Right(StrEnum):
    """Everything that only some roles may do: the one enum every service checks through ``Access``."""

    REVIEW = "review"  # claim, decide, undo and release items of the queues the role may see
    QUALITY_REVIEW = "quality_review"  # agree with or overturn a sampled decision
    IMPORT = "import"  # import listings
    MANAGE_USERS = "manage_users"  # add, disable, change roles and passwords of other accounts
    VIEW_AUDIT = "view_audit"  # read, verify and export the audit log
    VIEW_DASHBOARD = "view_dashboard"  # the supervisor dashboard and report
    # names and e-mail addresses of notifiers and complainants (outbox, notices, complaints, flags);
    # every read that shows them is an audit event
    VIEW_PERSONAL_DATA = "view_personal_data"
    # fill a database that has accounts with the demo data set (its history is decided under the demo's
    # reviewer names, which need no accounts): administrators only
    LOAD_DEMO = "load_demo"
    # the DSA services (issue 5)
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


PERSON_ONLY = frozenset(
    {
        Right.CONFIRM_MEASURE,
        Right.EDIT_POLICY,
        Right.DECIDE_APPEAL,
        Right.MANAGE_TRUSTED_FLAGGERS,
        Right.MARK_UNFOUNDED,
        Right.ENTER_NOTICE,
        Right.FILE_APPEAL,
    }
)
"""Rights the law never lets software exercise on its own (deciding complaints, confirming measures...):
``Access`` refuses them to an automated actor's name ("auto", "model-...") even on a database without
accounts. Exporting is not among them (a scheduled export is software)."""
