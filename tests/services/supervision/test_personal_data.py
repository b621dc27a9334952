"""Issue 10 item 7: every claim is checked, and notifiers' and complainants' names and e-mail addresses
are shown only to the roles that need them (supervisors), each such read being an audit event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderator_app.cli import main
from moderator_app.domain.accounts.personal_data import WITHHELD
from moderator_app.domain.accounts.roles import PermissionDenied
from moderator_app.domain.dsa.model import AppellantKind
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.services.workstation import Workstation, open_workstation
from tests.factories import seed
from tests.services.dsa.helpers import NOTIFIER_EMAIL, NOTIFIER_NAME, decide, flag, make_trader
from tests.services.supervision.helpers import PASSWORDS, add_accounts


def _complaint(ws: Workstation) -> tuple[str, int]:
    """A listing flagged by a notifier, removed by a moderator, and the notifier's complaint."""
    add_accounts(ws)
    t = make_trader(ws)
    flag(ws, t.listing_ids[0], queue="general")
    d = decide(ws, t.listing_exts[0], reviewer="a.moreau")
    a = ws.dsa.appeals.file(
        d.id,
        AppellantKind.NOTIFIER,
        "It was right.",
        "a.moreau",
        appellant=NOTIFIER_NAME,
        appellant_email=NOTIFIER_EMAIL,
    )
    return t.listing_exts[0], a.id


@pytest.mark.parametrize("who", ["b.bauer", "i.vestigator", "root"])
def test_only_a_role_that_may_decide_a_complaint_takes_its_lease(ws: Workstation, who: str) -> None:
    _, appeal_id = _complaint(ws)
    with pytest.raises(PermissionDenied, match=f"{who} .* may not decide appeal"):
        ws.dsa.appeals.claim_next(who)
    refused = [e for e in ws.audit.events("root") if e.action == AuditAction.ACCESS_REFUSED]
    assert [e.actor for e in refused] == [who]
    case = ws.dsa.appeals.claim_next("s.supervisor")  # nobody else took the lease meanwhile
    assert case is not None and case.appeal.id == appeal_id


def _shows_personal(value: object) -> bool:
    text = repr(value)
    return NOTIFIER_EMAIL in text or NOTIFIER_NAME in text


def _reads(ws: Workstation) -> list[tuple[str, str]]:
    events = ws.audit.events("root")  # newest first
    return [(e.actor, e.subject) for e in reversed(events) if e.action == AuditAction.PERSONAL_DATA_READ]


@pytest.mark.parametrize("who", ["a.moreau", "i.vestigator", "root"])
def test_notifiers_personal_data_is_withheld_from_roles_that_do_not_need_it(
    ws: Workstation, who: str
) -> None:
    listing, appeal_id = _complaint(ws)
    reads = {
        "outbox": lambda: ws.dsa.outbox.messages(viewer=who),
        "notices": lambda: ws.dsa.notices.notices(viewer=who),
        "listing": lambda: ws.lookup.listing(listing, viewer=who).flags,
        "complaints": lambda: ws.dsa.appeals.appeals(viewer=who),
        "complaint": lambda: ws.dsa.appeals.case(appeal_id, viewer=who),
    }
    for what, read in reads.items():
        found = read()
        assert found, what
        assert not _shows_personal(found), f"{what} shows the notifier to {who}"
        assert WITHHELD in repr(found), what
    with pytest.raises(PermissionDenied, match="search notices by notifier"):
        ws.dsa.notices.notices(notifier=NOTIFIER_NAME, viewer=who)
    assert _reads(ws) == []
    # and the review window never shows a notifier's name once accounts exist
    flag(ws, make_trader(ws).listing_ids[0], queue="general")
    case = ws.review.claim_next("general", "a.moreau")
    assert case is not None and not _shows_personal(case.flags)


def test_a_supervisor_sees_them_and_each_read_is_audited(ws: Workstation) -> None:
    listing, appeal_id = _complaint(ws)
    assert _shows_personal(ws.dsa.outbox.messages(viewer="s.supervisor"))
    assert _shows_personal(ws.dsa.notices.notices(notifier=NOTIFIER_EMAIL, viewer="s.supervisor"))
    assert _shows_personal(ws.lookup.listing(listing, viewer="s.supervisor").flags)
    assert _shows_personal(ws.dsa.appeals.case(appeal_id, viewer="s.supervisor"))
    listing_id = ws.lookup.listing(listing).listing.id
    assert _reads(ws) == [
        ("s.supervisor", "outbox"),
        ("s.supervisor", "notices"),
        ("s.supervisor", f"listing:{listing_id}"),
        ("s.supervisor", f"appeal:{appeal_id}"),
    ]


def test_outbox_list_on_the_command_line_hides_the_notifiers_address_from_a_moderator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ws = open_workstation(url)
    try:
        _complaint(ws)
    finally:
        ws.close()
    capsys.readouterr()
    for who, shown in (("a.moreau", False), ("s.supervisor", True)):
        monkeypatch.setenv("MODERATOR_PASSWORD", PASSWORDS[who])
        for command in (["outbox", "list", "--json"], ["notice", "list", "--json"]):
            assert main(["--db", url, "--user", who, *command]) == 0
            out = capsys.readouterr().out
            assert json.loads(out)
            assert (NOTIFIER_EMAIL in out) is shown, (who, command)


def test_report_supervisor_json_writes_durations_as_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ws = open_workstation(url)
    try:
        seed(ws, traders=1, listings=2, queue="general")
        day = ws.clock().date().isoformat()
    finally:
        ws.close()
    assert main(["--db", url, "--user", "ana", "decide", "L-00000", "--action", "no_violation"]) == 0
    capsys.readouterr()
    code = main(["--db", url, "--user", "ana", "report", "supervisor", "--from", day, "--to", day, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    figures = json.loads(out)
    assert figures["decisions"] == 1 and isinstance(figures["median_flag_to_decision"], float)
