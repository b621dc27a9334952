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


def _t(text: str) -> str:
    return QCoreApplication.translate("labels", text)


def category_label(c: PolicyCategory) -> str:
    return {
        PolicyCategory.COUNTERFEIT: _t("Counterfeit"),
        PolicyCategory.UNSAFE_TOY: _t("Unsafe toy"),
        PolicyCategory.UNSAFE_ELECTRICAL: _t("Unsafe electrical product"),
        PolicyCategory.ILLEGAL_MEDICINE: _t("Illegal medicine"),
        PolicyCategory.UNAPPROVED_SUPPLEMENT: _t("Unapproved supplement"),
        PolicyCategory.HIDDEN_LINK: _t("Hidden link / off-platform contact"),
        PolicyCategory.ADULT_CONTENT: _t("Adult content"),
        PolicyCategory.PROHIBITED_ITEM: _t("Prohibited item"),
        PolicyCategory.MISLEADING_INFO: _t("Misleading information"),
        PolicyCategory.TRADER_TRACEABILITY: _t("Trader traceability (Art 30)"),
        PolicyCategory.OTHER: _t("Other"),
    }[c]


def action_label(a: Action) -> str:
    return {
        Action.NO_VIOLATION: _t("No violation"),
        Action.REMOVE: _t("Remove listing"),
        Action.RESTRICT: _t("Restrict visibility"),
        Action.WARN: _t("Warn trader"),
        Action.ESCALATE: _t("Escalate to supervisor"),
    }[a]


def action_done_label(a: Action) -> str:
    """Past tense, for the message after a decision."""
    return {
        Action.NO_VIOLATION: _t("No violation"),
        Action.REMOVE: _t("Removed"),
        Action.RESTRICT: _t("Restricted"),
        Action.WARN: _t("Warned"),
        Action.ESCALATE: _t("Escalated"),
    }[a]


def source_label(s: FlagSource) -> str:
    return {
        FlagSource.USER_NOTICE: _t("User notice"),
        FlagSource.TRUSTED_FLAGGER: _t("Trusted flagger"),
        FlagSource.AUTOMATED: _t("Automated detection"),
        FlagSource.AUTHORITY_ORDER: _t("Authority order"),
        FlagSource.OWN_INITIATIVE: _t("Own initiative"),
    }[s]


def ground_label(g: Ground) -> str:
    return {
        Ground.ILLEGAL_CONTENT: _t("Illegal content"),
        Ground.TERMS_OF_SERVICE: _t("Terms of service"),
    }[g]


def trader_status_label(s: TraderStatus) -> str:
    return {
        TraderStatus.ACTIVE: _t("Active"),
        TraderStatus.WARNED: _t("Warned"),
        TraderStatus.SUSPENDED: _t("Suspended"),
        TraderStatus.TERMINATED: _t("Terminated"),
    }[s]


def trader_kind_label(k: TraderKind) -> str:
    return {TraderKind.BUSINESS: _t("Business"), TraderKind.PRIVATE: _t("Private")}[k]


def queue_label(name: str) -> str:
    known = {
        Queue.PRODUCT_SAFETY.value: _t("Product safety"),
        Queue.HEALTH.value: _t("Health"),
        Queue.COUNTERFEIT.value: _t("Counterfeit"),
        Queue.HIDDEN_LINKS.value: _t("Hidden links"),
        Queue.ADULT.value: _t("Adult"),
        Queue.GENERAL.value: _t("General"),
        Queue.ESCALATED.value: _t("Escalated"),
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
