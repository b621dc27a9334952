"""The statement of reasons of an account measure under the repeat-offender policy (Art 23 + Art 17)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import MeasureStep, StatementPreview
from moderator_app.domain.dsa.repeat_offender import OffenderFactors
from moderator_app.domain.dsa.sor import final_checks
from moderator_app.domain.dsa.templates import SorTemplates
from moderator_app.domain.enums import PolicyCategory, TraderKind


def gravest_category(f: OffenderFactors, weights: dict[PolicyCategory, int]) -> PolicyCategory:
    """The category that weighs most in the window (count x weight), for the statement's category."""
    best, best_weight = PolicyCategory.OTHER, -1
    for name, count in sorted(f.by_category.items()):
        try:
            cat = PolicyCategory(name)
        except ValueError:
            continue
        w = count * weights.get(cat, 1)
        if w > best_weight:
            best, best_weight = cat, w
    return best


def measure_explanation(step: MeasureStep, f: OffenderFactors, days: int | None, note: str) -> str:
    parts = [
        f"In the last {f.window_days} days {f.items_in_window} listings of this trader were removed or "
        f"restricted as manifestly illegal ({f.share_percent:g}% of its {f.listings_total} listings; "
        f"gravity score {f.gravity_score}; by category: "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(f.by_category.items()))
        + ")."
    ]
    if step is MeasureStep.WARNING:
        parts.append("This is the prior warning the repeat-offender policy requires before any suspension.")
    elif step is MeasureStep.SUSPENSION:
        parts.append(
            f"The trader had been warned and offended again; the account is suspended for {days} days."
        )
    else:
        parts.append(
            f"The trader had been suspended {f.suspensions_before} time(s) and offended again; "
            "the account is terminated."
        )
    parts += [n[0].upper() + n[1:] + "." for n in f.intent_notes]
    if note.strip():
        parts.append("Supervisor's assessment of intent: " + note.strip())
    return " ".join(parts)


def build_account_statement(
    *,
    puid: str,
    step: MeasureStep,
    ends_at: datetime | None,
    days: int | None,
    factors: OffenderFactors,
    category: PolicyCategory,
    trader_kind: TraderKind,
    content_date: date,
    now: datetime,
    note: str,
    templates: SorTemplates,
    personal: Sequence[str],
) -> StatementPreview:
    missing: list[str] = []
    measure = templates.account_measures.get(step)
    template = templates.categories.get(category)
    if measure is None:
        missing.append(f"a measure for the account step {step.value} in the statement templates")
    if template is None:
        missing.append(f"a statement template for the category {category.value}")
    if measure is None or template is None:
        return StatementPreview({}, templates.redress, missing)
    payload: dict[str, Any] = measure.fields()
    payload["account_type"] = (
        "ACCOUNT_TYPE_BUSINESS" if trader_kind is TraderKind.BUSINESS else "ACCOUNT_TYPE_PRIVATE"
    )
    explanation = measure_explanation(step, factors, days, note)[:2000]
    payload["decision_ground"] = tdb.GROUND_ILLEGAL
    payload["illegal_content_legal_ground"] = templates.account_legal_ground
    payload["illegal_content_explanation"] = explanation
    payload["content_type"] = list(templates.content_type)
    payload["category"] = template.category
    if template.keywords:
        payload["category_specification"] = list(template.keywords)
    if template.keyword_other:
        payload["category_specification_other"] = template.keyword_other
    if templates.territorial_scope:
        payload["territorial_scope"] = sorted(set(templates.territorial_scope))
    else:
        missing.append("the territorial scope (the EEA states where the measure applies)")
    payload["content_date"] = content_date.isoformat()
    payload["application_date"] = now.date().isoformat()
    if ends_at is not None:
        end = ends_at.date().isoformat()
        for key, field in (
            ("decision_visibility", "end_date_visibility_restriction"),
            ("decision_provision", "end_date_service_restriction"),
            ("decision_account", "end_date_account_restriction"),
        ):
            if key in payload:
                payload[field] = end
    payload["decision_facts"] = (
        f"Account measure under the repeat-offender policy (Article 23 DSA), step: {step.value}, "
        "confirmed by a supervisor after a case-by-case assessment of the number of items, their share "
        "of the trader's listings, their gravity and the trader's intent. " + template.facts
    )
    payload["source_type"] = tdb.SOURCE_VOLUNTARY
    payload["automated_detection"] = "No"
    payload["automated_decision"] = "AUTOMATED_DECISION_NOT_AUTOMATED"
    payload["puid"] = puid
    missing.extend(final_checks(payload, personal, missing))
    return StatementPreview(payload, templates.redress, missing)
