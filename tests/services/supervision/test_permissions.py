"""Role checks at the service layer: every protected service refuses a role that may not use it, with a
clear sentence, and the refusal itself is in the audit log. The same calls by a role that may use them
get past the check (they then fail, if at all, for a reason of their own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from moderator_app.domain.accounts.roles import PermissionDenied
from moderator_app.domain.dsa.model import AppealOutcome, MeasureStep, SubjectKind
from moderator_app.domain.enums import PolicyCategory
from moderator_app.domain.errors import WorkstationError
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.domain.supervision.sampling import QualityOutcome
from moderator_app.services.workstation import Workstation
from tests.factories import seed
from tests.services.supervision.helpers import add_accounts

Call = Callable[[Workstation, str, Path], object]

PROTECTED: dict[str, Call] = {
    "confirm a suspension": lambda ws, who, tmp: ws.dsa.offenders.confirm(
        "T-0000", MeasureStep.SUSPENSION, who
    ),
    "confirm a notifier's suspension": lambda ws, who, tmp: ws.dsa.misuse.confirm(
        SubjectKind.NOTIFIER, "x@example.org", MeasureStep.SUSPENSION, who
    ),
    "edit a policy": lambda ws, who, tmp: ws.dsa.policies.set("repeat_offender_policy", "{}", who),
    "decide an appeal": lambda ws, who, tmp: ws.dsa.appeals.decide(1, who, AppealOutcome.REVERSE, "wrong"),
    "register a trusted flagger": lambda ws, who, tmp: ws.dsa.flaggers.add(
        "Toy Safety eV", [PolicyCategory.UNSAFE_TOY], who
    ),
    "mark a notice unfounded": lambda ws, who, tmp: ws.dsa.notices.mark_unfounded(1, who, "spam"),
    "export statements": lambda ws, who, tmp: ws.dsa.exports.export(tmp / "sor.jsonl", who),
    "add a user": lambda ws, who, tmp: ws.accounts.add("x.new", "x-new-password-1", ["moderator"], who),
    "list users": lambda ws, who, tmp: ws.accounts.users(who),
    "read a restricted queue": lambda ws, who, tmp: ws.review.claim_next("child-safety", who),
    "read the escalations": lambda ws, who, tmp: ws.review.claim_next("escalated", who),
    "review a sampled decision": lambda ws, who, tmp: ws.quality.review(1, who, QualityOutcome.AGREE),
    "claim a sampled decision": lambda ws, who, tmp: ws.quality.claim_next(who),
    "verify the audit log": lambda ws, who, tmp: ws.audit.verify(who),
    "read the dashboard": lambda ws, who, tmp: ws.dashboard.figures(who),
    "import listings": lambda ws, who, tmp: ws.importer.import_lines([], tmp, actor=who),
}

# who may not, and who may
REFUSED = {
    "confirm a suspension": "a.moreau",
    "confirm a notifier's suspension": "a.moreau",
    "edit a policy": "a.moreau",
    "decide an appeal": "a.moreau",
    "register a trusted flagger": "a.moreau",
    "mark a notice unfounded": "a.moreau",
    "export statements": "a.moreau",
    "add a user": "s.supervisor",
    "list users": "a.moreau",
    "read a restricted queue": "a.moreau",
    "read the escalations": "a.moreau",
    "review a sampled decision": "a.moreau",
    "claim a sampled decision": "i.vestigator",
    "verify the audit log": "a.moreau",
    "read the dashboard": "a.moreau",
    "import listings": "a.moreau",
}
ALLOWED = {
    name: ("root" if name in ("add a user", "list users", "import listings") else "s.supervisor")
    for name in PROTECTED
}
ALLOWED["read a restricted queue"] = "s.supervisor"


@pytest.mark.parametrize("what", sorted(PROTECTED))
def test_a_role_that_may_not_is_refused_in_the_service_and_the_refusal_is_logged(
    ws: Workstation, tmp_path: Path, what: str
) -> None:
    add_accounts(ws)
    seed(ws, traders=1, listings=2, queue="child-safety")
    call, who = PROTECTED[what], REFUSED[what]
    with pytest.raises(PermissionDenied) as refused:
        call(ws, who, tmp_path)
    assert who in str(refused.value) and "may not" in str(refused.value)
    logged = [e for e in ws.audit.events("root") if e.action == AuditAction.ACCESS_REFUSED]
    assert [(e.actor, e.detail) for e in logged] == [(who, str(refused.value))]

    try:  # the right role gets past the check
        call(ws, ALLOWED[what], tmp_path)
    except PermissionDenied as exc:  # pragma: no cover - the failure message says what went wrong
        pytest.fail(f"{ALLOWED[what]} was refused: {exc}")
    except WorkstationError:
        pass  # e.g. no such complaint: past the check, refused for what it is


def test_a_moderator_sees_only_the_queues_of_the_role(ws: Workstation) -> None:
    add_accounts(ws)
    seed(ws, traders=1, listings=2, queue="child-safety")
    seed(ws, traders=1, listings=3, queue="general", prefix="G")
    assert [c.queue for c in ws.review.queue_counts("a.moreau")] == ["general"]
    assert [c.queue for c in ws.review.queue_counts("s.supervisor")] == ["child-safety", "general"]
    case = ws.review.claim_next("general", "a.moreau")
    assert case is not None and case.item.claimed_by == "a.moreau"
    with pytest.raises(PermissionDenied, match="queue child-safety"):
        ws.review.claim_listing("L-00000", "a.moreau")


def test_an_administrator_may_fill_a_database_with_accounts_with_the_demo_and_nobody_else(
    sqlite_ws: Workstation,
) -> None:
    """Issue 10 item 12: the demo on a managed database was refused for everyone; now it is an
    administrator's right (checked once, before anything is written)."""
    from moderator_app.demo import build_demo

    ws = sqlite_ws
    add_accounts(ws)
    for who in ("s.supervisor", "a.moreau", None):
        with pytest.raises(PermissionDenied, match=r"may not load demo|not an enabled account"):
            build_demo(ws, listings=60, traders=14, actor=who)
    assert ws.review.queue_counts("s.supervisor") == []  # nothing was written
    report = build_demo(ws, listings=60, traders=14, actor="root")
    assert report.history_skipped == [] and report.history_recorded > 0
    assert report.imported.listings_added == 60
    assert sum(c.pending for c in ws.review.queue_counts("s.supervisor")) > 0
    assert len(ws.accounts.users("root")) == 6  # no demo account was added
