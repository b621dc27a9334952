"""``audit verify`` cross-checks the tables against the log: a decision, strike, undo or account
changed by raw SQL (the hash chain intact) is named in one sentence; an untouched database, the demo
included, gives no mismatch."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from moderator_app.demo import build_demo
from moderator_app.domain.dsa.model import AppealOutcome, AppellantKind
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.domain.supervision.crosscheck import CrosscheckResult
from moderator_app.domain.supervision.sampling import QualityOutcome
from moderator_app.services.bootstrap import review_service
from moderator_app.services.workstation import Workstation
from tests.conftest import FakeClock
from tests.factories import seed
from tests.services.supervision.tamper import tamper
from tests.services.supervision.test_sampling import EVERY

REMOVE = (Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Loose magnets, no CE mark.")
FINE = (Action.NO_VIOLATION, None, None, "")


class Made:
    def __init__(self) -> None:
        self.removed: list[int] = []  # decisions that left a strike
        self.fine = 0  # a "no violation" decision (no strike)
        self.undone = 0


def _work(ws: Workstation, clock: FakeClock) -> Made:
    """Three removals (one undone), one "no violation", then accounts (a.moreau, a moderator)."""
    seed(ws, listings=4)
    made = Made()
    for i in range(4):
        case = ws.review.claim_next("general", "ana")
        assert case is not None
        d = ws.review.decide(case.item.id, "ana", *(FINE if i == 3 else REMOVE))
        if i == 3:
            made.fine = d.id
        else:
            made.removed.append(d.id)
        clock.advance(minutes=1)
    ws.review.undo(made.removed[-1], "ana")
    made.undone = made.removed[-1]
    ws.accounts.add("root", "root-pass-8c1f2a", ["admin"], "root")
    ws.accounts.add("a.moreau", "moreau-pass-47aa91", ["moderator"], "root")
    ws.accounts.set_roles("a.moreau", ["moderator", "supervisor"], "root")
    ws.accounts.add("b.bauer", "bauer-pass-5510ee", ["moderator"], "root")
    ws.accounts.disable("b.bauer", "root")
    return made


def _seq_of(ws: Workstation, action: str, subject: str) -> int:
    return next(
        e.seq for e in ws.audit.events("root", limit=1000) if e.action == action and e.subject == subject
    )


def _check(ws: Workstation) -> CrosscheckResult:
    return ws.audit.crosscheck("root")


def test_an_untouched_database_has_no_mismatch(ws: Workstation, clock: FakeClock) -> None:
    _work(ws, clock)
    result = _check(ws)
    assert result.mismatches == ()
    assert (result.decisions, result.strikes, result.accounts) == (4, 3, 3)
    assert result.text().startswith("cross-check: tables and audit log agree (4 decisions, 3 strikes")


Tamper = Callable[[Workstation, Made], list[str]]

CASES: dict[str, tuple[Tamper, str]] = {
    "a decision row deleted": (
        lambda ws, m: [
            f"DELETE FROM strikes WHERE decision_id = {m.removed[0]}",
            f"DELETE FROM decisions WHERE id = {m.removed[0]}",
        ],
        "records decision {removed0} (remove by ana), but the database has no decision {removed0} (deleted?)",
    ),
    "a decision's event deleted": (
        lambda ws, m: [
            f"DELETE FROM audit_events WHERE seq = {_seq_of(ws, 'decide', f'decision:{m.removed[1]}')}"
        ],
        "decision {removed1} (remove by ana) has no 'decide' event in the audit log",
    ),
    "a strike without event": (
        lambda ws, m: [
            "INSERT INTO strikes (gid, trader_id, decision_id, listing_id, kind, category, created_at) "
            "SELECT '0190a000-0000-7000-8000-00000000a001', trader_id, id, listing_id, 'violation', "
            f"'unsafe_toy', decided_at FROM decisions "
            f"WHERE id = {m.fine}"
        ],
        "(violation, decision {fine}) has no event: decision {fine}'s event #",
    ),
    "an account's role changed": (
        lambda ws, m: ["UPDATE users SET roles = 'admin' WHERE name = 'a.moreau'"],
        "account 'a.moreau' has roles 'admin' in the database, but the log's last change (event #",
    ),
    "an account enabled": (
        lambda ws, m: ["UPDATE users SET disabled = false WHERE name = 'b.bauer'"],
        "account 'b.bauer' is enabled in the database, but the log (event #",
    ),
    "an account added": (
        lambda ws, m: [
            "INSERT INTO users (name, password_hash, roles, disabled, created_at, created_by, "
            "password_changed_at) SELECT 'mallory', password_hash, 'admin', false, created_at, 'root', "
            "created_at FROM users WHERE name = 'root'"
        ],
        "account 'mallory' (admin) has no 'user_add' event in the audit log",
    ),
    "an undo taken back": (
        lambda ws, m: [f"UPDATE decisions SET undone_at = NULL, undone_by = NULL WHERE id = {m.undone}"],
        "records the undo of decision {undone}, but the database has it in force",
    ),
    "a strike revoked": (
        lambda ws, m: [
            f"UPDATE strikes SET revoked_at = created_at, revoked_reason = 'x' WHERE decision_id = {m.removed[0]}"
        ],
        "is revoked but no undo or reversal event for decision {removed0} is in the log",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_row_changed_without_its_event_or_an_event_without_its_row_is_named(
    ws: Workstation, clock: FakeClock, case: str
) -> None:
    made = _work(ws, clock)
    statements, says = CASES[case]
    tamper(ws, *statements(ws, made))
    result = _check(ws)
    expected = says.format(
        removed0=made.removed[0], removed1=made.removed[1], fine=made.fine, undone=made.undone
    )
    assert not result.ok
    assert [m.text for m in result.mismatches if expected in m.text], [m.text for m in result.mismatches]
    assert len(result.mismatches) <= 2  # the change itself (a deleted decision also takes its strike)


def test_reversals_on_appeal_and_second_review_have_their_events(ws: Workstation, clock: FakeClock) -> None:
    seed(ws, traders=1, listings=2)
    review = review_service(ws.db, ws.clock, ws.access, supervision=EVERY)
    made = []
    for _ in range(2):
        case = review.claim_next("general", "ana")
        assert case is not None
        made.append(review.decide(case.item.id, "ana", *REMOVE))
    clock.advance(hours=1)
    appeal = ws.dsa.appeals.file(made[0].id, AppellantKind.TRADER, "the toy is safe", "sam")
    assert ws.dsa.appeals.claim_next("sam") is not None
    ws.dsa.appeals.decide(appeal.id, "sam", AppealOutcome.REVERSE, "the magnets are enclosed")
    sample = next(q for q in ws.quality.samples("sam") if q.decision_id == made[1].id)
    while (c := ws.quality.claim_next("sam")) is not None and c.sample.id != sample.id:
        ws.quality.review(c.sample.id, "sam", QualityOutcome.AGREE)
    ws.quality.review(sample.id, "sam", QualityOutcome.OVERTURN, "the magnets are enclosed")
    assert ws.audit.crosscheck("sam").mismatches == ()
    # the reversal's event gone: the revoked strike has nothing to stand on
    seq = _seq_of(ws, AuditAction.APPEAL_DECIDE, f"appeal:{appeal.id}")
    tamper(ws, f"DELETE FROM audit_events WHERE seq = {seq}")
    texts = [m.text for m in ws.audit.crosscheck("sam").mismatches]
    assert f"complaint {appeal.id} is 'reversed' but no 'appeal_decide' event records it" in texts
    assert any(f"is revoked but no undo or reversal event for decision {made[0].id}" in t for t in texts)


def test_the_demo_database_has_no_mismatch(sqlite_ws: Workstation) -> None:
    build_demo(sqlite_ws, listings=60, traders=14, accounts=True)
    result = sqlite_ws.audit.crosscheck("admin")
    assert result.mismatches == ()
    assert result.decisions > 0 and result.strikes > 0 and result.accounts > 0


def test_audit_verify_on_the_command_line_prints_each_mismatch_and_fails(
    sqlite_ws: Workstation,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moderator_app.cli import main

    made = _work(sqlite_ws, clock)
    url = f"sqlite:///{sqlite_ws.db.sqlite_path}"
    monkeypatch.setenv("MODERATOR_PASSWORD", "root-pass-8c1f2a")
    assert main(["--db", url, "--user", "root", "audit", "verify"]) == 0
    out, _ = capsys.readouterr()
    assert "cross-check: tables and audit log agree (4 decisions, 3 strikes, 3 accounts" in out
    tamper(sqlite_ws, "UPDATE users SET roles = 'admin' WHERE name = 'a.moreau'")
    assert main(["--db", url, "--user", "root", "audit", "verify"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[0].startswith("audit log intact")  # the chain holds: only the rows changed
    assert "  account 'a.moreau' has roles 'admin' in the database" in err
    assert err.splitlines()[-1] == "cross-check: 1 mismatches between the tables and the audit log"
    assert made.fine
