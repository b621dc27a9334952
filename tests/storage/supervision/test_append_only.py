"""The audit log and the database facts are append-only on both databases: the application's own
connection cannot change or delete an event or the "managed" marker (triggers); on PostgreSQL the
packaging script also takes those rights from the application's role, which cannot drop the triggers."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from moderator_app.services.workstation import Workstation, open_workstation
from tests.factories import seed
from tests.services.supervision.helpers import PASSWORDS, add_accounts

SCRIPT = Path(__file__).resolve().parents[3] / "packaging" / "postgresql-audit-append-only.sql"

REFUSED = [
    "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2",
    "DELETE FROM audit_events WHERE seq = 2",
    "DELETE FROM audit_events",
    "UPDATE db_facts SET value = 'no'",
    "DELETE FROM db_facts",
]


def _events(ws: Workstation) -> Workstation:
    seed(ws, listings=2)
    add_accounts(ws, ["a.moreau"])
    assert ws.review.claim_next("general", "a.moreau") is not None
    return ws


@pytest.mark.parametrize("statement", REFUSED)
def test_the_application_cannot_change_or_delete_an_event_or_the_marker(
    ws: Workstation, statement: str
) -> None:
    _events(ws)
    before = ws.audit.events("root", limit=100)
    with pytest.raises(DBAPIError, match="append-only"), ws.db.engine.begin() as conn:
        conn.execute(sa.text(statement))
    assert ws.audit.events("root", limit=100) == before
    assert ws.audit.verify("root").ok and ws.accounts.managed()


def test_appending_still_works_and_truncate_is_refused_on_postgresql(ws: Workstation) -> None:
    _events(ws)
    n = len(ws.audit.events("root"))
    ws.accounts.login("a.moreau", PASSWORDS["a.moreau"])  # a new event (login) is appended
    assert len(ws.audit.events("root")) == n + 1
    if ws.db.dialect == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), ws.db.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE audit_events"))
        with ws.db.engine.begin() as conn:
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))  # ENABLE ALWAYS
            with pytest.raises(DBAPIError, match="append-only"):
                conn.execute(sa.text("DELETE FROM audit_events"))
    assert len(ws.audit.events("root")) == n + 1


@pytest.mark.postgres
def test_the_packaging_script_leaves_the_application_role_insert_and_select_only(pg_url: str) -> None:
    """As the administrator would: the schema made by its owner, the script run, the app as its role."""
    owner_ws = _events(open_workstation(pg_url))
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    app_role = "app_" + uuid.uuid4().hex[:10]
    script = SCRIPT.read_text(encoding="utf-8").replace("moderator_app", app_role)
    script = script.replace("SCHEMA public", f'SCHEMA "{schema}"')
    try:
        with owner_ws.db.engine.begin() as conn:
            conn.execute(sa.text(f"CREATE ROLE {app_role} LOGIN"))
            conn.execute(sa.text(f'SET LOCAL search_path = "{schema}"'))
            for statement in _statements(script):
                conn.execute(sa.text(statement))
        app_url = pg_url.replace("postgres@", f"{app_role}@", 1)
        app = open_workstation(app_url)
        try:
            app.accounts.login("a.moreau", PASSWORDS["a.moreau"])  # the app appends as before
            assert app.audit.verify("root").ok
            for statement in [
                *REFUSED,
                "TRUNCATE audit_events",
                "DROP TRIGGER audit_events_append_only ON audit_events",
            ]:
                with (
                    pytest.raises(DBAPIError, match=r"permission denied|must be owner|append-only"),
                    app.db.engine.begin() as conn,
                ):
                    conn.execute(sa.text(statement))
        finally:
            app.close()
    finally:
        with owner_ws.db.engine.begin() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {app_role}"))
            conn.execute(sa.text(f"DROP ROLE {app_role}"))
        owner_ws.close()


def _statements(script: str) -> list[str]:
    """The script's statements (comments and psql meta-commands left out), split on semicolons."""
    body = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith(("--", "\\")))
    return [s.strip() for s in body.split(";") if s.strip()]
