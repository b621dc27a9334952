"""The one permission path (services/access.py): rights the law never lets software exercise alone are
refused to automated actors' names by ``Access.require`` itself, on a database without accounts too,
and each refusal is logged once."""

from __future__ import annotations

import pytest

from moderator_app.domain.accounts.rights import PERSON_ONLY, Right
from moderator_app.domain.accounts.roles import PermissionDenied
from moderator_app.domain.supervision.audit import AuditAction
from moderator_app.services.workstation import Workstation
from moderator_app.storage.unit_of_work import unit_of_work


@pytest.mark.parametrize("right", sorted(PERSON_ONLY))
def test_software_is_refused_a_person_only_right_and_a_person_is_not(ws: Workstation, right: Right) -> None:
    access = ws.access
    for bot in ("auto", "model:efficientnet"):
        with (
            pytest.raises(PermissionDenied, match=f"{bot} is not a person"),
            access.guard(),
            unit_of_work(ws.db, write=False) as tx,
        ):
            access.require(tx, bot, right)
    with unit_of_work(ws.db, write=False) as tx:  # no accounts: a person's name is taken as given
        assert access.require(tx, "sue", right).name == "sue"
    refused = [e for e in ws.audit.events("sue") if e.action == AuditAction.ACCESS_REFUSED]
    assert sorted(e.actor for e in refused) == ["auto", "model:efficientnet"]
    assert all(e.subject == f"right:{right}" for e in refused)


def test_a_scheduled_export_by_software_is_allowed(ws: Workstation) -> None:
    assert Right.EXPORT not in PERSON_ONLY
    with unit_of_work(ws.db, write=False) as tx:
        assert ws.access.require(tx, "auto", Right.EXPORT).name == "auto"
