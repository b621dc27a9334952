"""The DSA services write the audit log too: complaints, measures, notices found unfounded, policy edits,
the trusted-flagger registry, notices entered by hand and exports each append one event (who, what, the
state before and after) in the same transaction, without the traders' or notifiers' personal data, and
the chain still verifies. A refused call is logged as a refusal and changes nothing."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest

from moderator_app.domain.accounts.roles import PermissionDenied
from moderator_app.domain.dsa.model import AppealOutcome, AppellantKind, MeasureStep, SubjectKind
from moderator_app.domain.enums import Action, PolicyCategory
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.audit import AuditAction, AuditEvent
from moderator_app.paths import resources_dir
from moderator_app.services.dsa.notices import NewNotice
from moderator_app.services.supervision.audit import AuditFilter
from moderator_app.services.workstation import Workstation
from tests.conftest import FakeClock
from tests.services.dsa.helpers import TRADER_EMAIL, TRADER_NAME, decide, flag, make_trader
from tests.services.supervision.helpers import add_accounts

SUPERVISOR = "s.supervisor"
MODERATOR = "a.moreau"
PERSONAL = (TRADER_NAME, TRADER_EMAIL, "serial@example.org", "Serial Reporter", "Ines Notifier")


def events(ws: Workstation, action: AuditAction) -> list[AuditEvent]:
    """Oldest first."""
    return list(reversed(ws.audit.events(SUPERVISOR, AuditFilter(action=action.value))))


def assert_chain_and_privacy(ws: Workstation) -> None:
    assert ws.audit.verify(SUPERVISOR).ok
    for e in ws.audit.events(SUPERVISOR, limit=10_000):
        text = " ".join((e.subject, e.before, e.after, e.detail)).lower()
        assert not [p for p in PERSONAL if p.lower() in text], e


@pytest.fixture
def managed(ws: Workstation) -> Workstation:
    add_accounts(ws)
    return ws


def remove(ws: Workstation, ext: str, listing_id: int) -> int:
    flag(ws, listing_id, notifier=None, email=None)
    return decide(ws, ext, reviewer=MODERATOR).id


def test_a_complaint_filed_claimed_and_reversed_with_the_suspension_it_lifts(
    managed: Workstation, clock: FakeClock
) -> None:
    ws = managed
    t = make_trader(ws, listings=6)
    decisions = [remove(ws, t.listing_exts[i], t.listing_ids[i]) for i in range(2)]
    ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.WARNING, SUPERVISOR)
    clock.advance(hours=1)
    decisions.append(remove(ws, t.listing_exts[2], t.listing_ids[2]))
    suspension = ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.SUSPENSION, SUPERVISOR)
    clock.advance(days=3)

    a = ws.dsa.appeals.file(decisions[2], AppellantKind.TRADER, "The set has a CE certificate.", "b.bauer")
    case = ws.dsa.appeals.claim_next("t.second")
    assert case is not None and case.appeal.id == a.id
    assert ws.dsa.appeals.claim_next("t.second") is not None  # resumed: no second claim event
    ws.dsa.appeals.decide(a.id, "t.second", AppealOutcome.REVERSE, "Certificate checked.")

    [filed] = events(ws, AuditAction.APPEAL_FILE)
    assert (filed.actor, filed.subject, filed.queue) == ("b.bauer", f"appeal:{a.id}", "appeals")
    assert filed.after_value()["decision_id"] == decisions[2] and filed.after_value()["status"] == "open"
    assert filed.listing_id == t.listing_ids[2]
    claims = [e for e in events(ws, AuditAction.CLAIM) if e.queue == "appeals"]
    assert [(e.actor, e.subject) for e in claims] == [("t.second", f"item:{a.item_id}")]
    [decided] = events(ws, AuditAction.APPEAL_DECIDE)
    assert (decided.actor, decided.subject, decided.detail) == (
        "t.second",
        f"appeal:{a.id}",
        "Certificate checked.",
    )
    assert decided.before_value() == {"status": "open", "listing_status": "removed"}
    assert decided.after_value() == {
        "status": "reversed",
        "listing_status": "live",
        "manifestly_unfounded": False,
        "measures_lifted": [suspension.id],
    }
    [lifted] = events(ws, AuditAction.MEASURE_LIFT)
    assert (lifted.actor, lifted.subject) == ("t.second", f"measure:{suspension.id}")
    assert lifted.after_value()["revoked"] is True and lifted.after_value()["step"] == "suspension"
    assert decided.seq == lifted.seq + 1  # one transaction: the lift, then the complaint's decision
    assert_chain_and_privacy(ws)


def test_measures_confirmed_and_lifted_when_their_time_is_up(managed: Workstation, clock: FakeClock) -> None:
    ws = managed
    t = make_trader(ws, listings=10)
    for i in range(3):
        remove(ws, t.listing_exts[i], t.listing_ids[i])
    with pytest.raises(InvalidInput):  # refused inside the transaction: no event
        ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.SUSPENSION, SUPERVISOR)
    assert events(ws, AuditAction.MEASURE_CONFIRM) == []
    warning = ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.WARNING, SUPERVISOR, "Same set, new names.")
    clock.advance(hours=2)
    remove(ws, t.listing_exts[3], t.listing_ids[3])
    m = ws.dsa.offenders.confirm(t.trader_ext, MeasureStep.SUSPENSION, "t.second")

    confirmed = events(ws, AuditAction.MEASURE_CONFIRM)
    assert [(e.actor, e.subject, e.after_value()["step"]) for e in confirmed] == [
        (SUPERVISOR, f"measure:{warning.id}", "warning"),
        ("t.second", f"measure:{m.id}", "suspension"),
    ]
    assert confirmed[0].before_value() == {"trader_status": "active"}
    assert confirmed[0].after_value()["trader_status"] == "warned"
    assert confirmed[0].detail == "Same set, new names."
    assert confirmed[1].after_value()["trader_status"] == "suspended"
    assert confirmed[1].after_value()["listings_affected"] == 6 == m.listings_affected
    assert confirmed[1].after_value()["ends_at"] == (clock.now + timedelta(days=14)).isoformat()

    clock.advance(days=15)
    assert [x.id for x in ws.dsa.offenders.lift_expired(SUPERVISOR)] == [m.id]
    [lifted] = events(ws, AuditAction.MEASURE_LIFT)
    assert (lifted.actor, lifted.subject) == (SUPERVISOR, f"measure:{m.id}")
    assert lifted.before_value() == {"in_force": True, "trader_status": "suspended"}
    assert lifted.after_value()["trader_status"] == "warned"
    assert lifted.after_value()["listings_restored"] == 6
    assert ws.dsa.offenders.lift_expired(SUPERVISOR) == [] and len(events(ws, AuditAction.MEASURE_LIFT)) == 1
    assert_chain_and_privacy(ws)


def test_notices_found_unfounded_and_the_notifier_warned_then_suspended(
    managed: Workstation, clock: FakeClock
) -> None:
    ws = managed
    t = make_trader(ws, listings=8)
    flags = [flag(ws, lid, email="serial@example.org", notifier="Serial Reporter") for lid in t.listing_ids]
    for ext in t.listing_exts[:6]:
        decide(ws, ext, Action.NO_VIOLATION, reviewer=MODERATOR)
    for f in flags[:5]:
        ws.dsa.notices.mark_unfounded(f, SUPERVISOR, "A plain wooden toy.")
    ws.dsa.notices.mark_unfounded(flags[0], SUPERVISOR, "Again.")  # already marked: nothing changes
    warning = ws.dsa.misuse.confirm(
        SubjectKind.NOTIFIER, "serial@example.org", MeasureStep.WARNING, SUPERVISOR
    )
    clock.advance(hours=1)
    ws.dsa.notices.mark_unfounded(flags[5], "t.second", "Again a plain toy.")
    m = ws.dsa.misuse.confirm(SubjectKind.NOTIFIER, "serial@example.org", MeasureStep.SUSPENSION, "t.second")

    marks = events(ws, AuditAction.NOTICE_UNFOUNDED)
    assert [(e.actor, e.subject) for e in marks] == [(SUPERVISOR, f"notice:{f}") for f in flags[:5]] + [
        ("t.second", f"notice:{flags[5]}")
    ]
    assert marks[0].before_value() == {"unfounded": False} and marks[0].after_value() == {"unfounded": True}
    assert marks[0].listing_id == t.listing_ids[0] and marks[0].detail == "A plain wooden toy."
    confirmed = events(ws, AuditAction.MEASURE_CONFIRM)
    assert [(e.actor, e.subject, e.after_value()["kind"], e.after_value()["step"]) for e in confirmed] == [
        (SUPERVISOR, f"measure:{warning.id}", "notifier", "warning"),
        ("t.second", f"measure:{m.id}", "notifier", "suspension"),
    ]
    assert confirmed[1].after_value()["unfounded_in_window"] == 6
    assert_chain_and_privacy(ws)


def test_policy_and_template_edits(managed: Workstation) -> None:
    ws = managed
    name = "repeat_offender_policy"
    shipped = (resources_dir() / f"{name}.json").read_text(encoding="utf-8")
    raw = json.loads(shipped)
    raw["steps"]["suspension"]["days"] = [7]
    first = json.dumps(raw)
    ws.dsa.policies.set(name, first, SUPERVISOR)
    raw["steps"]["suspension"]["days"] = [10]
    ws.dsa.policies.set(name, json.dumps(raw), "t.second")
    templates = ws.dsa.policies.show("sor_templates").text
    ws.dsa.policies.set("sor_templates", templates, SUPERVISOR)

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    edits = events(ws, AuditAction.POLICY_EDIT)
    assert [(e.actor, e.subject) for e in edits] == [
        (SUPERVISOR, f"policy:{name}"),
        ("t.second", f"policy:{name}"),
        (SUPERVISOR, "policy:sor_templates"),
    ]
    assert edits[0].before_value() == {"source": f"resources/{name}.json (shipped)", "sha256": sha(shipped)}
    assert edits[0].after_value()["sha256"] == sha(first)
    version = edits[0].after_value()["version"]
    assert edits[1].before_value()["sha256"] == sha(first)
    assert edits[1].before_value()["source"].startswith(f"version {version} stored by {SUPERVISOR}")
    assert edits[1].after_value()["sha256"] == sha(json.dumps(raw))
    assert_chain_and_privacy(ws)


def test_trusted_flagger_registry_changes(managed: Workstation) -> None:
    ws = managed
    ws.dsa.flaggers.add("Consumer Safety Network e.V.", [PolicyCategory.UNSAFE_TOY], SUPERVISOR)
    ws.dsa.flaggers.add(
        "Consumer Safety Network e.V.",
        [PolicyCategory.UNSAFE_TOY, PolicyCategory.COUNTERFEIT],
        "t.second",
        email="desk@csn.example",
    )
    ws.dsa.flaggers.revoke("Consumer Safety Network e.V.", SUPERVISOR)
    [row] = ws.dsa.flaggers.list()
    added, revoked = events(ws, AuditAction.FLAGGER_ADD), events(ws, AuditAction.FLAGGER_REVOKE)
    subject = f"trusted_flagger:{row.id}"
    assert [(e.actor, e.subject) for e in added] == [(SUPERVISOR, subject), ("t.second", subject)]
    assert added[0].before_value() is None
    assert added[0].after_value() == {"areas": "unsafe_toy", "active": True, "email_changed": False}
    assert added[1].before_value() == {"areas": "unsafe_toy", "active": True}
    assert added[1].after_value() == {
        "areas": "unsafe_toy,counterfeit",
        "active": True,
        "email_changed": True,
    }
    assert [(e.actor, e.subject) for e in revoked] == [(SUPERVISOR, subject)]
    assert revoked[0].after_value()["active"] is False
    assert_chain_and_privacy(ws)


def test_a_notice_entered_by_hand(managed: Workstation) -> None:
    ws = managed
    t = make_trader(ws, listings=1)
    n = ws.dsa.notices.submit(
        NewNotice(
            listing=t.listing_exts[0],
            category=PolicyCategory.UNSAFE_TOY,
            explanation="Magnets come loose.",
            notifier="Ines Notifier",
            notifier_email="ines@example.org",
            good_faith=True,
        ),
        MODERATOR,
    )
    [e] = events(ws, AuditAction.NOTICE_ENTER)
    assert (e.actor, e.subject, e.listing_id, e.category) == (
        MODERATOR,
        f"notice:{n.flag_id}",
        t.listing_ids[0],
        "unsafe_toy",
    )
    assert e.queue is not None and e.after_value()["item_opened"] is True
    assert e.after_value()["missing"] == list(n.missing) and e.after_value()["not_processed"] is False
    assert "ines@example.org" not in e.after
    assert_chain_and_privacy(ws)


def test_statement_and_outbox_exports(managed: Workstation, tmp_path: Path) -> None:
    ws = managed
    t = make_trader(ws, listings=3)
    for i in range(3):
        remove(ws, t.listing_exts[i], t.listing_ids[i])
    out = tmp_path / "sor.jsonl"
    report = ws.dsa.exports.export(out, "i.vestigator", since=ws.clock().date() - timedelta(days=1))
    outbox = tmp_path / "outbox.jsonl"
    sent = ws.dsa.outbox.export(outbox, "root")

    sor, mail = [e for e in events(ws, AuditAction.EXPORT) if e.subject in ("statements", "outbox")]
    assert (sor.actor, sor.subject) == ("i.vestigator", "statements")
    after = sor.after_value()
    assert after["statements"] == report.written == 3 and after["export_id"] == report.export_id
    assert (
        after["since"] == (ws.clock().date() - timedelta(days=1)).isoformat() and after["only_new"] is False
    )
    assert after["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert (mail.actor, mail.subject, mail.after_value()["messages"]) == ("root", "outbox", sent)
    assert mail.after_value()["sha256"] == hashlib.sha256(outbox.read_bytes()).hexdigest()
    assert_chain_and_privacy(ws)


REFUSED = {
    "edit a policy": (
        lambda ws, t, tmp: ws.dsa.policies.set(
            "sor_templates", ws.dsa.policies.show("sor_templates").text, MODERATOR
        ),
        AuditAction.POLICY_EDIT,
    ),
    "confirm a warning": (
        lambda ws, t, tmp: ws.dsa.offenders.confirm(t, MeasureStep.WARNING, MODERATOR),
        AuditAction.MEASURE_CONFIRM,
    ),
    "register a trusted flagger": (
        lambda ws, t, tmp: ws.dsa.flaggers.add("BrandShield Europe", [PolicyCategory.COUNTERFEIT], MODERATOR),
        AuditAction.FLAGGER_ADD,
    ),
    "export statements": (
        lambda ws, t, tmp: ws.dsa.exports.export(tmp / "never.jsonl", MODERATOR),
        AuditAction.EXPORT,
    ),
}


@pytest.mark.parametrize("what", list(REFUSED))
def test_a_refused_action_is_logged_as_a_refusal_and_changes_nothing(
    managed: Workstation, what: str, tmp_path: Path
) -> None:
    ws = managed
    t = make_trader(ws, listings=4)
    for i in range(3):
        remove(ws, t.listing_exts[i], t.listing_ids[i])
    call, action = REFUSED[what]
    before = ws.audit.events(SUPERVISOR, limit=10_000)[0].seq
    with pytest.raises(PermissionDenied):
        call(ws, t.trader_ext, tmp_path)
    new = [e for e in ws.audit.events(SUPERVISOR, limit=10_000) if e.seq > before]
    assert [(e.actor, e.action) for e in new] == [(MODERATOR, AuditAction.ACCESS_REFUSED)]
    assert events(ws, action) == []
    assert ws.dsa.offenders.measures(t.trader_ext) == [] and ws.dsa.flaggers.list() == []
    assert not (tmp_path / "never.jsonl").exists()
    assert_chain_and_privacy(ws)
