"""What the review session tells the person, translated (context "ReviewSession")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from moderator_app.domain.enums import Action
from moderator_app.ui import labels


def _fill(template: str, *values: str) -> str:
    for n, value in enumerate(values, start=1):
        template = template.replace(f"%{n}", value)
    return template


def counts_failed() -> str:
    return QCoreApplication.translate("ReviewSession", "Could not refresh the queue counts")


def skip_failed() -> str:
    return QCoreApplication.translate("ReviewSession", "Could not give the skipped item back")


def skipped(ext: str) -> str:
    return _fill(QCoreApplication.translate("ReviewSession", "Skipped %1: it goes back to the queue."), ext)


def nothing_to_undo() -> str:
    return QCoreApplication.translate("ReviewSession", "There is no decision to undo.")


def undo_too_old(minutes: int) -> str:
    return _fill(
        QCoreApplication.translate(
            "ReviewSession", "The last decision is older than %1 minutes and can no longer be undone."
        ),
        str(minutes),
    )


def undo_not_recorded() -> str:
    return QCoreApplication.translate(
        "ReviewSession", "that decision was not recorded, so there is nothing to undo"
    )


def next_failed() -> str:
    return QCoreApplication.translate(
        "ReviewSession", "Could not load the next item (retrying in a few seconds)"
    )


def renew_failed() -> str:
    return QCoreApplication.translate("ReviewSession", "Could not renew the claims on your items")


def taken_over(ext: str) -> str:
    return _fill(
        QCoreApplication.translate(
            "ReviewSession", "%1 was taken over by someone else while it waited; moving on."
        ),
        ext,
    )


def release_failed() -> str:
    return QCoreApplication.translate(
        "ReviewSession", "Could not give claimed items back (their claims will lapse)"
    )


def decided(action: Action, ext: str) -> str:
    return _fill(
        QCoreApplication.translate("ReviewSession", "%1: %2 — Ctrl+Z to undo"),
        labels.action_done_label(action),
        ext,
    )


def not_recorded(ext: str, reason: str) -> str:
    return _fill(
        QCoreApplication.translate("ReviewSession", "Your decision on %1 was not recorded: %2"), ext, reason
    )


def not_saved(ext: str, reason: str) -> str:
    return _fill(
        QCoreApplication.translate(
            "ReviewSession",
            "Your decision on %1 was not saved: %2. It is back on screen: press Enter to try again.",
        ),
        ext,
        reason,
    )


def undone(ext: str) -> str:
    return _fill(QCoreApplication.translate("ReviewSession", "Decision undone: %1 is back on screen."), ext)


def undo_failed() -> str:
    return QCoreApplication.translate("ReviewSession", "The decision could not be undone")


def bug() -> str:
    return QCoreApplication.translate("ReviewSession", "an unexpected error (a bug; see the log)")
