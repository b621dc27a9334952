"""Eight workstations at work on one database while an import runs (issue 10, 11).

Eight workstation processes claim and decide flat out while the import adds flagged listings, each with
an Art 16 notice, and ends, as ``moderator-app import`` does, with the notice sync. The workstations
take the imported items as soon as each batch commits (they rank first), so their decisions and the
sync record notices of the same listings at the same moment. Afterwards: no item was handed to two
workstations, every acknowledged decision is recorded and stands alone on its item, the counters equal
a recount, the import has finished with every listing, and every notice has its record and its receipt.
On SQLite (a file) and on PostgreSQL.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderator_app.services.workstation import open_workstation
from moderator_app.storage import orm
from moderator_app.storage.dsa.orm_dsa import Notice, OutboxMessage
from tests.factories import seed
from tests.reliability.harness import Workstation
from tests.reliability.invariants import acknowledged, drift, lost_acknowledged

WORKSTATIONS = 8
SEEDED = 40
IMPORTED = 120
BATCH = 20
START_TIMEOUT_S = 60

pytestmark = pytest.mark.slow


def import_lines(n: int, prefix: str = "IMP") -> list[str]:
    """``n`` listings of new traders, each with one user notice (notifier with an e-mail address), routed
    to the general queue above the seeded items."""
    received = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    lines = []
    for i in range(n):
        lines.append(
            json.dumps(
                {
                    "id": f"{prefix}-{i:05d}",
                    "trader": {
                        "id": f"{prefix}-T{i % 9}",
                        "name": f"Import shop {i % 9}",
                        "kind": "business",
                    },
                    "title": f"Magnetic set {i}",
                    "price": "9.90",
                    "currency": "EUR",
                    "category": "Toys & Games",
                    "url": f"https://marketplace.example/item/{prefix}-{i:05d}",
                    "created_at": received.isoformat(),
                    "flags": [
                        {
                            "source": "user_notice",
                            "notifier": f"Notifier {i % 17}",
                            "notifier_email": f"n{i % 17}@example.org",
                            "category": "unsafe_toy",
                            "explanation": "Small magnets come loose.",
                            "received_at": received.isoformat(),
                        }
                    ],
                    "queue": "general",
                    "priority": 500,
                }
            )
        )
    return lines


def test_eight_workstations_and_an_import(db_url: str, tmp_path: Path) -> None:
    ws = open_workstation(db_url)
    stations: list[Workstation] = []
    try:
        seed(ws, traders=6, listings=SEEDED, created=datetime.now(UTC).replace(microsecond=0))
        rng = random.Random(7)
        stations += [Workstation(db_url, f"ws-{n}", rng.randrange(1 << 30)) for n in range(WORKSTATIONS)]
        for st in stations:
            assert st.working.wait(START_TIMEOUT_S), f"a workstation did not start working: {st.errors}"
        report = ws.importer.import_lines(import_lines(IMPORTED), tmp_path, batch_size=BATCH)
        ws.dsa.notices.sync()  # what `moderator-app import` does when the file is in
        lines: list[str] = []
        claims: dict[int, set[str]] = defaultdict(set)
        for st in stations:
            code = st.join(120)
            assert code == 0, f"a workstation failed (exit code {code}): {st.errors}"
            reviewer = f"ws-{stations.index(st)}"
            for line in st.lines:
                if line.startswith("claimed "):
                    claims[int(line.split()[1])].add(reviewer)
            lines += st.lines

        assert not report.rejected and not report.interrupted
        assert report.listings_added == IMPORTED
        shared = {item: who for item, who in claims.items() if len(who) > 1}
        assert shared == {}, "items handed to two workstations at once"
        decided, undone = acknowledged(lines)
        assert lost_acknowledged(ws, decided, undone) == []
        assert drift(ws) == []
        assert len(decided) >= SEEDED + IMPORTED, "not every item was decided"
        busy = sum(1 for st in stations if sum(x.startswith("decided") for x in st.lines) >= 5)
        assert busy >= WORKSTATIONS // 2, "the workstations did not really work side by side"
        with ws.db.read() as s:
            imported_flags = s.scalar(
                select(func.count())
                .select_from(orm.Flag)
                .join(orm.Listing, orm.Listing.id == orm.Flag.listing_id)
                .where(orm.Listing.external_id.startswith("IMP-"))
            )
            notices = s.scalar(
                select(func.count())
                .select_from(Notice)
                .join(orm.Listing, orm.Listing.id == Notice.listing_id)
                .where(orm.Listing.external_id.startswith("IMP-"))
            )
            receipts = s.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind == "notice_receipt", OutboxMessage.dedup_key.startswith("receipt:"))
            )
        assert imported_flags == IMPORTED
        assert notices == IMPORTED, "an Art 16 notice went unrecorded"
        assert receipts == IMPORTED, "a notifier's receipt is missing"
    finally:
        for st in stations:  # after a failure: none may outlive the test's schema
            st.kill()
            st.join()
        ws.close()
