"""The demo database's accounts (issue 6): one per role, plus the demo's moderators, with passwords
that are published in the README (``## Accounts``) and docs/supervisors.md. Never for real use:
they are added only to a database that has no account yet."""

from __future__ import annotations

from moderator_app.services.workstation import Workstation

DEMO_PASSWORD_SUFFIX = "-demo-2025"
DEMO_ADMIN = "admin"
DEMO_REVIEWERS = ("a.moreau", "k.nowak", "j.schmidt", "l.rossi", "m.jansen", "s.garcia")
"""The moderators who decided the demo's history (``services.demo.catalog.REVIEWERS``)."""

DEMO_ACCOUNTS: dict[str, tuple[str, ...]] = {
    DEMO_ADMIN: ("admin",),
    "s.supervisor": ("supervisor",),
    "i.investigator": ("investigator",),
    **dict.fromkeys(DEMO_REVIEWERS, ("moderator",)),
}


def demo_password(name: str) -> str:
    return name + DEMO_PASSWORD_SUFFIX


def add_demo_accounts(ws: Workstation) -> list[str]:
    """Add the demo accounts if the database has none; returns the names added."""
    if ws.accounts.managed():
        return []
    ws.accounts.add(DEMO_ADMIN, demo_password(DEMO_ADMIN), DEMO_ACCOUNTS[DEMO_ADMIN], DEMO_ADMIN)
    for name, roles in DEMO_ACCOUNTS.items():
        if name != DEMO_ADMIN:
            ws.accounts.add(name, demo_password(name), roles, DEMO_ADMIN)
    return list(DEMO_ACCOUNTS)
