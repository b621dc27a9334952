"""What the window calls the closed vocabularies of the domain, translated.

Every label goes through ``QCoreApplication.translate`` with literal strings, so ``pyside6-lupdate``
finds them.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from moderator_app.domain.enums import (
    Action,
    FlagSource,
    Ground,
    PolicyCategory,
    Queue,
    TraderKind,
    TraderStatus,
)


def category_label(c: PolicyCategory) -> str:
    return {
        PolicyCategory.COUNTERFEIT: QCoreApplication.translate("labels", "Counterfeit"),
        PolicyCategory.UNSAFE_TOY: QCoreApplication.translate("labels", "Unsafe toy"),
        PolicyCategory.UNSAFE_ELECTRICAL: QCoreApplication.translate("labels", "Unsafe electrical product"),
        PolicyCategory.ILLEGAL_MEDICINE: QCoreApplication.translate("labels", "Illegal medicine"),
        PolicyCategory.UNAPPROVED_SUPPLEMENT: QCoreApplication.translate("labels", "Unapproved supplement"),
        PolicyCategory.HIDDEN_LINK: QCoreApplication.translate(
            "labels", "Hidden link / off-platform contact"
        ),
        PolicyCategory.ADULT_CONTENT: QCoreApplication.translate("labels", "Adult content"),
        PolicyCategory.PROHIBITED_ITEM: QCoreApplication.translate("labels", "Prohibited item"),
        PolicyCategory.MISLEADING_INFO: QCoreApplication.translate("labels", "Misleading information"),
        PolicyCategory.TRADER_TRACEABILITY: QCoreApplication.translate(
            "labels", "Trader traceability (Art 30)"
        ),
        PolicyCategory.OTHER: QCoreApplication.translate("labels", "Other"),
    }[c]


def action_label(a: Action) -> str:
    return {
        Action.NO_VIOLATION: QCoreApplication.translate("labels", "No violation"),
        Action.REMOVE: QCoreApplication.translate("labels", "Remove listing"),
        Action.RESTRICT: QCoreApplication.translate("labels", "Restrict visibility"),
        Action.WARN: QCoreApplication.translate("labels", "Warn trader"),
        Action.ESCALATE: QCoreApplication.translate("labels", "Escalate to supervisor"),
    }[a]


def action_done_label(a: Action) -> str:
    """Past tense, for the message after a decision."""
    return {
        Action.NO_VIOLATION: QCoreApplication.translate("labels", "No violation"),
        Action.REMOVE: QCoreApplication.translate("labels", "Removed"),
        Action.RESTRICT: QCoreApplication.translate("labels", "Restricted"),
        Action.WARN: QCoreApplication.translate("labels", "Warned"),
        Action.ESCALATE: QCoreApplication.translate("labels", "Escalated"),
    }[a]


def source_label(s: FlagSource) -> str:
    return {
        FlagSource.USER_NOTICE: QCoreApplication.translate("labels", "User notice"),
        FlagSource.TRUSTED_FLAGGER: QCoreApplication.translate("labels", "Trusted flagger"),
        FlagSource.AUTOMATED: QCoreApplication.translate("labels", "Automated detection"),
        FlagSource.AUTHORITY_ORDER: QCoreApplication.translate("labels", "Authority order"),
        FlagSource.OWN_INITIATIVE: QCoreApplication.translate("labels", "Own initiative"),
    }[s]


def ground_label(g: Ground) -> str:
    return {
        Ground.ILLEGAL_CONTENT: QCoreApplication.translate("labels", "Illegal content"),
        Ground.TERMS_OF_SERVICE: QCoreApplication.translate("labels", "Terms of service"),
    }[g]


def trader_status_label(s: TraderStatus) -> str:
    return {
        TraderStatus.ACTIVE: QCoreApplication.translate("labels", "Active"),
        TraderStatus.WARNED: QCoreApplication.translate("labels", "Warned"),
        TraderStatus.SUSPENDED: QCoreApplication.translate("labels", "Suspended"),
        TraderStatus.TERMINATED: QCoreApplication.translate("labels", "Terminated"),
    }[s]


def trader_kind_label(k: TraderKind) -> str:
    return {
        TraderKind.BUSINESS: QCoreApplication.translate("labels", "Business"),
        TraderKind.PRIVATE: QCoreApplication.translate("labels", "Private"),
    }[k]


def queue_label(name: str) -> str:
    known = {
        Queue.PRODUCT_SAFETY.value: QCoreApplication.translate("labels", "Product safety"),
        Queue.HEALTH.value: QCoreApplication.translate("labels", "Health"),
        Queue.COUNTERFEIT.value: QCoreApplication.translate("labels", "Counterfeit"),
        Queue.HIDDEN_LINKS.value: QCoreApplication.translate("labels", "Hidden links"),
        Queue.ADULT.value: QCoreApplication.translate("labels", "Adult"),
        Queue.GENERAL.value: QCoreApplication.translate("labels", "General"),
        Queue.ESCALATED.value: QCoreApplication.translate("labels", "Escalated"),
    }
    return known.get(name, name)


def format_time(when: datetime | None) -> str:
    """A UTC instant in the person's local time, short and unambiguous."""
    if when is None:
        return ""
    local = when.astimezone()
    return QLocale().toString(local.date(), "yyyy-MM-dd") + local.strftime(" %H:%M")


def format_date(when: datetime | None) -> str:
    return "" if when is None else QLocale().toString(when.astimezone().date(), "yyyy-MM-dd")


def format_count(n: int) -> str:
    return QLocale().toString(n)
