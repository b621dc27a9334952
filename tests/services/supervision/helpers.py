"""Accounts for the supervision tests: one per role, with passwords that are not the real demo ones."""

from __future__ import annotations

from moderator_app.services.workstation import Workstation

PASSWORDS = {
    "root": "root-pass-8c1f2a",
    "a.moreau": "moreau-pass-47aa91",
    "b.bauer": "bauer-pass-5510ee",
    "s.supervisor": "super-pass-9d0e7b",
    "t.second": "second-pass-2b7c44",
    "i.vestigator": "invest-pass-16d3f0",
}
ROLES = {
    "root": ["admin"],
    "a.moreau": ["moderator"],
    "b.bauer": ["moderator"],
    "s.supervisor": ["supervisor"],
    "t.second": ["supervisor"],
    "i.vestigator": ["investigator"],
}


def add_accounts(ws: Workstation, names: list[str] | None = None) -> None:
    """The admin first (the first account needs no permission), then the others, added by the admin."""
    ws.accounts.add("root", PASSWORDS["root"], ROLES["root"], "root")
    for name in names if names is not None else [n for n in ROLES if n != "root"]:
        ws.accounts.add(name, PASSWORDS[name], ROLES[name], "root")
