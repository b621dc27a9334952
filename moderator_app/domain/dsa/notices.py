"""Notices (Art 16), trusted flaggers (Art 22) and notifiers who misuse the notice system (Art 23(2))."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moderator_app.domain.dsa.model import MeasureStep
from moderator_app.domain.dsa.repeat_offender import NotifierRule
from moderator_app.domain.enums import FlagSource, PolicyCategory

NOTICE_SOURCES = frozenset({FlagSource.USER_NOTICE, FlagSource.TRUSTED_FLAGGER})
"""Flags of these sources are notices under Art 16 (trusted flaggers' notices are notices too)."""

TRUSTED_PRIORITY_BONUS = 200
"""Added to the priority of an item a trusted flagger notified in their area: above every other notice
(the highest computed priority is 120), so it is reviewed first (Art 22(1))."""

MAX_EXPLANATION = 10_000


def is_notice(source: FlagSource) -> bool:
    return source in NOTICE_SOURCES


def notice_missing(
    *,
    explanation: str,
    location_url: str | None,
    notifier: str | None,
    notifier_email: str | None,
    good_faith: bool | None,
    csam: bool,
) -> tuple[str, ...]:
    """The Art 16(2) elements a notice lacks, in words (empty when complete).

    (a) an explanation of why the content is illegal; (b) its exact electronic location (URL); (c) the
    notifier's name and e-mail, except for notices of child sexual abuse offences; (d) a statement that
    the notice is made in good faith and is accurate and complete.
    """
    missing = []
    if not explanation.strip():
        missing.append("explanation")
    if not (location_url and location_url.strip().lower().startswith(("http://", "https://"))):
        missing.append("location (URL)")
    if not csam:
        if not (notifier and notifier.strip()):
            missing.append("notifier name")
        if not (notifier_email and "@" in notifier_email):
            missing.append("notifier e-mail")
    if good_faith is not True:
        missing.append("good-faith statement")
    return tuple(missing)


def notifier_key(notifier: str | None, notifier_email: str | None) -> str | None:
    """Who a notifier is, for counting their notices: the e-mail when given, else the name."""
    if notifier_email and notifier_email.strip():
        return notifier_email.strip().lower()
    if notifier and notifier.strip():
        return " ".join(notifier.split()).lower()
    return None


def in_area(areas: Iterable[PolicyCategory], category: PolicyCategory) -> bool:
    return category in set(areas)


def parse_areas(text: str) -> tuple[PolicyCategory, ...]:
    """'counterfeit, unsafe_toy' -> categories; unknown names are refused by the caller's message."""
    out: list[PolicyCategory] = []
    for part in text.replace(";", ",").split(","):
        name = part.strip().lower().replace("-", "_")
        if name:
            out.append(PolicyCategory(name))
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class NotifierStanding:
    """A notifier's (or complainant's) record of manifestly unfounded notices, and the next step."""

    key: str
    name: str | None
    submitted_in_window: int
    unfounded_in_window: int
    share_percent: float
    window_days: int
    warned: bool
    suspended_until: datetime | None
    proposal: MeasureStep | None
    suspension_days: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "submitted_in_window": self.submitted_in_window,
            "unfounded_in_window": self.unfounded_in_window,
            "share_percent": self.share_percent,
            "window_days": self.window_days,
        }


def notifier_standing(
    key: str,
    name: str | None,
    submitted: int,
    unfounded: int,
    rule: NotifierRule,
    *,
    warned: bool,
    unfounded_since_warning: int,
    suspended_until: datetime | None,
    now: datetime,
) -> NotifierStanding:
    """Warn first, then suspend, as for traders (Art 23(2) also asks for a prior warning); a
    suspension needs a new unfounded notice after the warning."""
    share = round(100.0 * unfounded / submitted, 1) if submitted else 0.0
    reached = unfounded >= rule.min_unfounded and share >= rule.min_share_percent
    suspended = suspended_until is not None and suspended_until > now
    proposal: MeasureStep | None = None
    if reached and not suspended:
        if not warned:
            proposal = MeasureStep.WARNING
        elif unfounded_since_warning > 0:
            proposal = MeasureStep.SUSPENSION
    return NotifierStanding(
        key=key,
        name=name,
        submitted_in_window=submitted,
        unfounded_in_window=unfounded,
        share_percent=share,
        window_days=rule.window_days,
        warned=warned,
        suspended_until=suspended_until if suspended else None,
        proposal=proposal,
        suspension_days=rule.suspension_days if proposal is MeasureStep.SUSPENSION else None,
    )
