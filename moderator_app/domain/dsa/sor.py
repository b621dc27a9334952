"""Statements of reasons (Art 17) built from a decision, and what keeps one from being complete.

:func:`build_statement` turns what is known of a decision (a :class:`DecisionContext`) and the templates
into the Transparency Database payload, plus the list of what is missing in words a moderator can act
on. A decision whose list is not empty is refused (``IncompleteDecision``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import ShownPrediction, StatementAmendment, StatementPreview
from moderator_app.domain.dsa.privacy import personal_data_in
from moderator_app.domain.dsa.templates import Measure, SorTemplates
from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory, TraderKind
from moderator_app.domain.review.policy import RESTRICTING_ACTIONS, missing_for_decision

AUTOMATED_ACTOR_PREFIXES = ("auto:", "bot:", "model:", "system:")
"""Reviewer names that stand for software, not a person (decisions by them are fully automated)."""


def is_automated_actor(actor: str) -> bool:
    name = actor.strip().lower()
    return name in ("auto", "bot", "system", "model") or name.startswith(AUTOMATED_ACTOR_PREFIXES)


@dataclass(frozen=True, slots=True)
class NoticeSignal:
    """One flag of the listing received before the decision, as the statement needs it."""

    source: FlagSource
    received_at: datetime
    trusted_in_area: bool = False  # a registered trusted flagger acting within their expertise


@dataclass(frozen=True, slots=True)
class DecisionContext:
    """What a statement is built from; gathered by storage, free of any database type."""

    puid: str
    action: Action
    category: PolicyCategory | None
    ground: Ground | None
    explanation: str
    reviewer: str
    decided_at: datetime
    content_date: date
    trader_kind: TraderKind
    ean: str | None = None
    flags: tuple[NoticeSignal, ...] = ()
    predictions: tuple[ShownPrediction, ...] = ()
    personal_data: tuple[str, ...] = field(default=(), repr=False)  # must appear nowhere in the statement


def automated_detection(flags: Sequence[NoticeSignal], predictions: Sequence[ShownPrediction]) -> bool:
    """Did automated means detect the content? (Art 17(3)(c); the statement's ``automated_detection``)

    Yes when an automated check flagged the listing, or when a model's prediction shown to the reviewer
    flagged it (the predictions stored with the decision by issue 4). The one place this is decided.
    """
    return any(f.source is FlagSource.AUTOMATED for f in flags) or any(p.flagged for p in predictions)


def source_type(flags: Sequence[NoticeSignal]) -> str:
    """The statement's ``source_type``: what set the review going.

    A trusted flagger acting in their area of expertise first (Art 22), then any other notice (Art 16:
    user notices, and trusted-flagger notices outside their area or from a body not in the registry),
    then authority orders (other notification), else the platform's own initiative (automated checks
    and staff).
    """
    if any(f.source is FlagSource.TRUSTED_FLAGGER and f.trusted_in_area for f in flags):
        return tdb.SOURCE_TRUSTED_FLAGGER
    if any(f.source in (FlagSource.USER_NOTICE, FlagSource.TRUSTED_FLAGGER) for f in flags):
        return tdb.SOURCE_ARTICLE_16
    if any(f.source is FlagSource.AUTHORITY_ORDER for f in flags):
        return tdb.SOURCE_OTHER_NOTIFICATION
    return tdb.SOURCE_VOLUNTARY


_SOURCE_WORDS = {
    tdb.SOURCE_TRUSTED_FLAGGER: "a notice from a trusted flagger (Article 22 DSA) received on {day}",
    tdb.SOURCE_ARTICLE_16: "a notice (Article 16 DSA) received on {day}",
    tdb.SOURCE_OTHER_NOTIFICATION: "an order or notification from an authority received on {day}",
    tdb.SOURCE_VOLUNTARY: "a review on the marketplace's own initiative",
}


def facts_text(ctx: DecisionContext, template_facts: str, extra: str = "") -> str:
    kind = source_type(ctx.flags)
    first = min((f.received_at for f in ctx.flags if f.source is not FlagSource.OWN_INITIATIVE), default=None)
    source = _SOURCE_WORDS[kind].format(day=first.date().isoformat() if first else "")
    detected = (
        "Automated means detected the listing (an automated check or a model's prediction flagged it)"
        if automated_detection(ctx.flags, ctx.predictions)
        else "No automated means detected the listing"
    )
    decided = (
        "the decision was taken by automated means."
        if is_automated_actor(ctx.reviewer)
        else "the decision was taken by a human moderator."
    )
    parts = [
        template_facts.strip(),
        f"The decision followed {source}. {detected}; {decided}",
        f"Finding: {ctx.explanation.strip()}" if ctx.explanation.strip() else "",
        extra.strip(),
    ]
    return " ".join(p for p in parts if p)


def build_statement(
    ctx: DecisionContext, templates: SorTemplates, amendment: StatementAmendment | None = None
) -> StatementPreview:
    """The statement of a listing decision and what is missing for it (only restricting actions have one)."""
    a = amendment or StatementAmendment()
    missing = missing_for_decision(ctx.action, ctx.category, ctx.ground, ctx.explanation)
    if ctx.action not in RESTRICTING_ACTIONS:
        return StatementPreview(payload={}, redress="", missing=missing)
    measure = templates.measure_for(ctx.action, ctx.category)
    if measure is None:
        missing.append(f"a measure for the action {ctx.action.value} in the statement templates")
    template = templates.categories.get(ctx.category) if ctx.category else None
    if ctx.category is not None and template is None:
        missing.append(f"a statement template for the category {ctx.category.value}")
    if missing or measure is None or template is None or ctx.ground is None:
        return StatementPreview(payload={}, redress=templates.redress, missing=missing)

    payload: dict[str, Any] = measure.fields()
    payload["account_type"] = (
        "ACCOUNT_TYPE_BUSINESS" if ctx.trader_kind is TraderKind.BUSINESS else "ACCOUNT_TYPE_PRIVATE"
    )
    label = ctx.category.value.replace("_", " ") if ctx.category else ""
    explanation = ctx.explanation.strip()
    if ctx.ground is Ground.ILLEGAL_CONTENT:
        legal = (a.legal_ground or template.legal_ground).strip()
        payload["decision_ground"] = tdb.GROUND_ILLEGAL
        if not legal:
            missing.append(
                f"the law the listing breaks (no legal ground is set for {label}): name it, "
                "or choose the terms-of-service ground"
            )
        payload["illegal_content_legal_ground"] = legal
        payload["illegal_content_explanation"] = explanation
    else:
        terms = (a.terms_ground or template.terms_ground).strip()
        payload["decision_ground"] = tdb.GROUND_INCOMPATIBLE
        if not terms:
            missing.append(f"the clause of the terms the listing breaks (none is set for {label})")
        payload["incompatible_content_ground"] = terms
        payload["incompatible_content_explanation"] = explanation
        if templates.terms_url:
            payload["decision_ground_reference_url"] = templates.terms_url
    if len(explanation) > 2000:
        missing.append(f"an explanation of at most 2000 characters (it has {len(explanation)})")
    payload["content_type"] = list(templates.content_type)
    payload["category"] = template.category
    if template.keywords:
        payload["category_specification"] = list(template.keywords)
    if template.keyword_other:
        payload["category_specification_other"] = template.keyword_other
    scope = a.territorial_scope if a.territorial_scope is not None else templates.territorial_scope
    if not scope:
        missing.append("the territorial scope (the EEA states where the measure applies)")
    else:
        payload["territorial_scope"] = sorted(set(scope))
    payload["content_date"] = ctx.content_date.isoformat()
    payload["application_date"] = ctx.decided_at.date().isoformat()
    _end_date(payload, measure, a.restriction_end, ctx.decided_at.date(), missing)
    payload["decision_facts"] = facts_text(ctx, template.facts, a.extra_facts)
    payload["source_type"] = source_type(ctx.flags)
    payload["automated_detection"] = "Yes" if automated_detection(ctx.flags, ctx.predictions) else "No"
    payload["automated_decision"] = (
        "AUTOMATED_DECISION_FULLY" if is_automated_actor(ctx.reviewer) else "AUTOMATED_DECISION_NOT_AUTOMATED"
    )
    payload["puid"] = ctx.puid
    if ctx.ean:
        payload["content_id"] = {"EAN-13": ctx.ean}
    missing.extend(final_checks(payload, ctx.personal_data, missing))
    return StatementPreview(payload=payload, redress=templates.redress, missing=missing)


def _end_date(
    payload: dict[str, Any], measure: Measure, end: date | None, applied: date, missing: list[str]
) -> None:
    if end is None:
        return
    if end < applied:
        missing.append(f"an end of the restriction on or after the decision day {applied.isoformat()}")
        return
    if measure.visibility:
        payload["end_date_visibility_restriction"] = end.isoformat()
    if measure.monetary:
        payload["end_date_monetary_restriction"] = end.isoformat()
    if measure.provision:
        payload["end_date_service_restriction"] = end.isoformat()
    if measure.account:
        payload["end_date_account_restriction"] = end.isoformat()


def final_checks(payload: dict[str, Any], personal: Sequence[str], already: Sequence[str] = ()) -> list[str]:
    """The API's own rules and the personal-data rule, for anything the friendlier checks did not name."""
    out: list[str] = []
    leaks = personal_data_in([payload.get(k) for k in tdb.FREE_TEXT_FIELDS], personal)
    if leaks:
        out.append(
            "a statement without personal data: it contains "
            + " and ".join(leaks)
            + " (reword the explanation; statements are published)"
        )
    if not already:
        out.extend(f"statement of reasons: {p}" for p in tdb.validate(payload))
    return out
