"""Schema upgrades on start: new files get the schema, older ones are backed up and upgraded, newer
ones are refused untouched, and the ORM mappings match what the migrations build."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from moderator_app.domain.errors import SchemaTooNew
from moderator_app.services.workstation import open_workstation
from moderator_app.storage import migrate
from moderator_app.storage.db import Database
from moderator_app.storage.schema import metadata


def test_a_new_database_gets_the_whole_schema_and_it_matches_the_mappings(db_url: str) -> None:
    ws = open_workstation(db_url)
    try:
        assert ws.migration is not None
        assert (ws.migration.before, ws.migration.after) == (None, migrate.head_revision())
        with ws.db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        ws.close()


def test_an_older_file_is_backed_up_then_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(str(path))
    migrate.upgrade(db, to="0001")  # a file as the first release left it
    db.dispose()
    with sqlite3.connect(path) as conn:  # with data written by that release
        conn.execute(
            "INSERT INTO traders (id, external_id, display_name, kind, status, violations_total, "
            "warnings_total, created_at) VALUES (1, 'T-1', 'Shop', 'business', 'active', 0, 0, '2026-01-01')"
        )
        for i in range(3):
            conn.execute(
                "INSERT INTO listings (id, external_id, trader_id, title, description, category, created_at, "
                "status, imported_at) VALUES (?, ?, 1, 'Toy', '', 'Toys', '2026-01-01', 'live', '2026-01-01')",
                (i + 1, f"L-{i}"),
            )
            conn.execute(
                "INSERT INTO review_items (listing_id, queue, priority, state, created_at) "
                "VALUES (?, 'general', 10, 'open', '2026-01-01')",
                (i + 1,),
            )
    ws = open_workstation(str(path))
    try:
        assert ws.migration is not None
        assert (ws.migration.before, ws.migration.after) == ("0001", migrate.head_revision())
        backup = ws.migration.backup
        assert backup is not None and backup.exists() and backup.parent == tmp_path
        assert "0001" in backup.name
        counts = ws.review.queue_counts()  # the queue counters were filled from the existing items
        assert [(c.queue, c.pending) for c in counts] == [("general", 3)]
        case = ws.review.claim_next("general", "ana")
        assert case is not None and case.listing.external_id == "L-0"
    finally:
        ws.close()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM listings").fetchone() == (3,)


def test_a_newer_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_workstation(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer version of the workstation"):
        open_workstation(str(path))
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.bak")) == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    ws = open_workstation(str(tmp_path / "x.db"))
    try:
        with ws.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert ws.db.media.root == tmp_path / "x.media"
    finally:
        ws.close()


GID_TABLES = ["review_items", "decisions", "flags", "strikes", "notices", "appeals"]


def _alembic(db: Database, verb: str, to: str) -> None:
    from alembic import command

    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, to)


def test_rows_of_a_0006_database_get_global_ids_and_new_rows_get_their_own(db_url: str) -> None:
    """Every row that travels (items, decisions, flags, strikes, notices, complaints) gets a UUIDv7 made
    from its own time, unique, in id order; rows written after the upgrade get one on insert."""
    import uuid

    from sqlalchemy import text

    from moderator_app.domain.enums import Action, Ground, PolicyCategory
    from moderator_app.domain.ids import id_time_ms

    db = Database(db_url)
    migrate.upgrade(db, to="0006")  # as version 0006 left it: no gid anywhere
    _rows_of_0006(db)
    db.dispose()

    db = Database(db_url)  # what `moderator-app db upgrade` (or a SQLite file's first open) does
    assert migrate.upgrade(db).before == "0006"
    db.dispose()
    ws = open_workstation(db_url)
    try:
        with ws.db.engine.connect() as conn:
            for table, made in [
                ("review_items", "created_at"),
                ("decisions", "decided_at"),
                ("flags", "received_at"),
                ("strikes", "created_at"),
                ("notices", "created_at"),
                ("appeals", "received_at"),
            ]:
                rows = conn.execute(text(f"SELECT id, gid, {made} FROM {table} ORDER BY id")).all()
                assert rows, table
                gids = [g for _, g, _ in rows]
                assert all(uuid.UUID(g).version == 7 for g in gids), table
                assert len(set(gids)) == len(gids) and gids == sorted(gids), table
                made_ms = [migrate_ms(at) for _, _, at in rows]
                assert [id_time_ms(g) for g in gids] == [max(made_ms[: i + 1]) for i in range(len(rows))]
        case = ws.review.case(ws.review.claim_listing("L-2", "ben").id)
        with ws.db.engine.connect() as conn:
            stored = conn.execute(text("SELECT gid FROM review_items WHERE id = :i"), {"i": case.item.id})
            assert case.item.gid == stored.scalar()
        after = ws.review.decide(
            case.item.id,
            "ben",
            Action.REMOVE,
            PolicyCategory.UNSAFE_TOY,
            Ground.ILLEGAL_CONTENT,
            "Same again.",
        )
        assert uuid.UUID(after.gid).version == 7 and after.gid > max(gids)
        assert {n.gid for n in ws.dsa.notices.notices()} <= set(_column(ws, "notices"))
    finally:
        ws.close()


def migrate_ms(at: object) -> int:
    from moderator_app.storage.orm import as_utc

    value = as_utc(at)  # type: ignore[arg-type]
    assert value is not None
    return int(value.timestamp() * 1000)


def _column(ws: object, table: str) -> list[str]:
    from sqlalchemy import text

    with ws.db.engine.connect() as conn:  # type: ignore[attr-defined]
        return list(conn.execute(text(f"SELECT gid FROM {table}")).scalars())


def _pg_at(url: str, revision: str) -> None:
    db = Database(url)
    migrate.upgrade(db, to=revision)
    db.dispose()


def _revision(url: str) -> str | None:
    db = Database(url)
    try:
        return migrate.current_revision(db)
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_shared_postgresql_is_upgraded_only_by_db_upgrade(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from moderator_app.cli.main import main
    from moderator_app.domain.errors import SchemaOutdated

    _pg_at(pg_url, "0006")  # a team database of the previous version
    with pytest.raises(SchemaOutdated, match="run `moderator-app db upgrade`"):
        open_workstation(pg_url)
    assert _revision(pg_url) == "0006"  # the workstation changed nothing
    assert main(["--db", pg_url, "db", "status"]) == 1
    assert "state: older than this version: run `moderator-app db upgrade`" in capsys.readouterr().out

    assert main(["--db", pg_url, "db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"upgraded from schema 0006 to {migrate.head_revision()}\n"
    open_workstation(pg_url).close()
    assert main(["--db", pg_url, "db", "upgrade"]) == 0  # a second run finds nothing to do
    assert "nothing to do" in capsys.readouterr().out
    assert main(["--db", pg_url, "db", "status"]) == 0


@pytest.mark.postgres
def test_a_workstation_older_than_the_shared_database_refuses_to_run(pg_url: str) -> None:
    open_workstation(pg_url).close()  # an empty team database gets the schema
    db = Database(pg_url)
    with db.engine.begin() as conn:  # as a later version's `db upgrade` leaves it
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    db.dispose()
    with pytest.raises(SchemaTooNew, match=r"this database .* was upgraded by a newer version"):
        open_workstation(pg_url)
    db = Database(pg_url)
    try:
        with pytest.raises(SchemaTooNew):
            migrate.upgrade(db)  # nor does this version's `db upgrade` touch it
    finally:
        db.dispose()
    assert _revision(pg_url) == "0099_from_the_future"


@pytest.mark.postgres
def test_db_upgrade_runs_one_at_a_time_under_an_advisory_lock(pg_url: str) -> None:
    """While another run holds the upgrade lock, a second one waits (here: 0.3 s) and then says so,
    changing nothing; once the lock is free it upgrades."""
    import sqlalchemy as sa

    from moderator_app.domain.errors import DatabaseUnavailable

    _pg_at(pg_url, "0006")
    holder = sa.create_engine(pg_url)
    try:
        with holder.connect() as other:
            other.exec_driver_sql(migrate.UPGRADE_LOCK)
            db = Database(pg_url)
            try:
                with pytest.raises(DatabaseUnavailable, match="another `moderator-app db upgrade` is still"):
                    migrate.upgrade(db, wait=0.3)
                assert _revision(pg_url) == "0006"
                other.exec_driver_sql(migrate.UPGRADE_UNLOCK)
                other.commit()
                assert migrate.upgrade(db, wait=0.3).after == migrate.head_revision()
                with holder.connect() as third:  # and it let the lock go
                    key = migrate.UPGRADE_KEY
                    assert third.exec_driver_sql(f"SELECT pg_try_advisory_lock({key})").scalar() is True
                    third.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
            finally:
                db.dispose()
    finally:
        holder.dispose()


@pytest.mark.postgres
def test_a_workstation_left_running_during_db_upgrade_stops_writing(pg_url: str) -> None:
    """An administrator upgraded the database with a newer version while this workstation ran: its next
    write is refused with a clear message (nothing written), its reads still work."""
    from tests.factories import seed

    ws = open_workstation(pg_url)
    try:
        seed(ws, traders=1, listings=2)
        db = Database(pg_url)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        db.dispose()
        with pytest.raises(SchemaTooNew, match=r"upgraded by a newer version .* while this one was running"):
            ws.review.claim_next("general", "ana")
        assert [(c.queue, c.pending, c.claimed) for c in ws.review.queue_counts()] == [("general", 2, 0)]
    finally:
        ws.close()


def _rows_of_0006(db: Database) -> None:
    """Rows as the 0006 release wrote them, by raw SQL on its tables (today's mappings have gid columns):
    two traders' listings with open items and notices; on the first, a decision, its strike and a
    complaint. Every NOT NULL column without a default gets a plain value of its type."""
    import sqlalchemy as sa

    meta = sa.MetaData()
    meta.reflect(db.engine)
    t0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)

    def row(table: str, **given: object) -> dict[str, object]:
        values = dict(given)
        for col in meta.tables[table].columns:
            if col.name in values or col.nullable or col.server_default is not None or col.primary_key:
                continue
            kind = col.type.python_type if hasattr(col.type, "python_type") else str
            if col.name.endswith("_id") and col.foreign_keys:
                values[col.name] = 1  # the first trader, listing, item, flag or decision
            else:
                values[col.name] = {int: 0, bool: False, datetime: t0}.get(kind, "x")  # type: ignore[call-overload]
        return values

    with db.engine.begin() as conn:

        def add(table: str, **given: object) -> None:
            conn.execute(meta.tables[table].insert().values(**row(table, **given)))

        add("traders", id=1, external_id="T-1", kind="business", status="active", created_at=t0)
        for n in (1, 2):
            at = t0 + timedelta(hours=n)
            add(
                "listings",
                id=n,
                external_id=f"L-{n}",
                trader_id=1,
                status="live",
                created_at=at,
                imported_at=at,
            )
            add("review_items", id=n, listing_id=n, queue="product-safety", priority=10, state="open",
                created_at=at)  # fmt: skip
            add("flags", id=n, listing_id=n, dedup_key=f"k{n}", source="user_notice", category="unsafe_toy",
                notifier="Jane Roe", notifier_email="jane@example.org", received_at=at)  # fmt: skip
            add("notices", id=n, flag_id=n, listing_id=n, created_at=at + timedelta(minutes=1))
        decided = t0 + timedelta(hours=3)
        conn.execute(
            sa.text("UPDATE review_items SET state = 'decided', closed_at = :t WHERE id = 1"), {"t": decided}
        )
        conn.execute(sa.text("UPDATE listings SET status = 'removed' WHERE id = 1"))
        add("decisions", id=1, puid="mw-old-1", item_id=1, listing_id=1, trader_id=1, action="remove",
            category="unsafe_toy", ground="illegal_content", reviewer="ana", decided_at=decided,
            listing_status_before="live")  # fmt: skip
        add("strikes", id=1, trader_id=1, decision_id=1, listing_id=1, kind="violation", created_at=decided)
        add("appeals", id=1, decision_id=1, received_at=decided + timedelta(days=1))
        if conn.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table in (
                "traders",
                "listings",
                "review_items",
                "flags",
                "notices",
                "decisions",
                "strikes",
                "appeals",
            ):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                )
