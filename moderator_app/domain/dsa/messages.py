"""The words of the messages the outbox records: receipts, decisions, statements, complaint outcomes.

Plain text; listing text never goes into them (it is untrusted), only ids, categories and our own words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moderator_app.domain.dsa.model import AppealOutcome, MeasureStep
from moderator_app.domain.enums import Action, PolicyCategory

CONTEST = (
    "You can contest this decision free of charge through our internal complaint-handling system "
    "(Art 20 DSA) within six months, before a certified out-of-court dispute settlement body (Art 21 DSA), "
    "or before the competent court."
)

_ACTION_WORDS = {
    Action.REMOVE: "the listing was removed",
    Action.RESTRICT: "access to the listing was restricted",
    Action.WARN: "the trader was warned; the listing must be corrected",
    Action.NO_VIOLATION: "no violation was found and the listing stays online",
    Action.ESCALATE: "the case was passed to a supervisor for a second opinion",
}


def _day(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _label(category: PolicyCategory | None) -> str:
    return category.value.replace("_", " ") if category else "-"


def notice_receipt(
    listing_ref: str, category: PolicyCategory, received_at: datetime, flag_id: int
) -> tuple[str, str]:
    subject = f"We received your notice about listing {listing_ref}"
    body = (
        f"Your notice (reference N-{flag_id}) about listing {listing_ref}, alleging {_label(category)}, "
        f"was received on {_day(received_at)}. A moderator will review it; we will tell you the decision. "
        "We may use automated means to sort and prioritise notices; the decision is taken by a person."
    )
    return subject, body


def notice_decision(
    listing_ref: str, flag_id: int, action: Action, category: PolicyCategory | None, decided_at: datetime
) -> tuple[str, str]:
    subject = f"Decision on your notice about listing {listing_ref}"
    body = (
        f"On {_day(decided_at)} we decided on your notice N-{flag_id}: {_ACTION_WORDS[action]}"
        + (f" ({_label(category)})" if category and action is not Action.NO_VIOLATION else "")
        + ". The decision was taken by a human moderator. "
        + CONTEST
    )
    return subject, body


def statement_to_trader(listing_ref: str, payload: dict[str, Any], redress: str) -> tuple[str, str]:
    ground = payload.get("illegal_content_legal_ground") or payload.get("incompatible_content_ground", "")
    explanation = payload.get("illegal_content_explanation") or payload.get(
        "incompatible_content_explanation", ""
    )
    measures = payload.get("decision_visibility", []) + [
        payload[k] for k in ("decision_monetary", "decision_provision", "decision_account") if k in payload
    ]
    subject = f"Statement of reasons for listing {listing_ref} ({payload.get('puid', '')})"
    body = "\n".join(
        [
            f"Measure: {', '.join(measures)}",
            f"Territorial scope: {', '.join(payload.get('territorial_scope', []))}",
            f"Facts: {payload.get('decision_facts', '')}",
            f"Ground: {ground}",
            f"Explanation: {explanation}",
            f"Automated detection: {payload.get('automated_detection')}; "
            f"automated decision: {payload.get('automated_decision')}",
            f"Redress: {redress}",
        ]
    )
    return subject, body


def appeal_receipt(appeal_id: int, decision_puid: str, received_at: datetime) -> tuple[str, str]:
    return (
        f"We received your complaint C-{appeal_id}",
        f"Your complaint against decision {decision_puid} was received on {_day(received_at)}. "
        "A person other than the one who took the decision will review it.",
    )


def appeal_outcome(appeal_id: int, outcome: AppealOutcome, reason: str) -> tuple[str, str]:
    result = (
        "the decision has been reversed" if outcome is AppealOutcome.REVERSE else "the decision is upheld"
    )
    return (
        f"Outcome of your complaint C-{appeal_id}",
        f"After review by a person, {result}. Reasons: {reason.strip()} "
        "You can still turn to a certified out-of-court dispute settlement body (Art 21 DSA) or a court.",
    )


def measure_notice(
    step: MeasureStep, ends_at: datetime | None, reasons: list[str], subject_kind: str
) -> tuple[str, str]:
    what = {
        MeasureStep.WARNING: "This is a formal warning",
        MeasureStep.SUSPENSION: "Your account is suspended" + (f" until {_day(ends_at)}" if ends_at else ""),
        MeasureStep.TERMINATION: "Your account is terminated",
    }[step]
    if subject_kind != "trader" and step is MeasureStep.SUSPENSION:
        what = "We will not process your notices or complaints" + (
            f" until {_day(ends_at)}" if ends_at else ""
        )
    return (
        f"{what.split(' until')[0]} (Art 23 DSA)",
        f"{what}. Why: " + "; ".join(reasons) + ". " + CONTEST,
    )
