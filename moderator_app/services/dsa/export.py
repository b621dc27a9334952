"""``export sor``: statements of reasons as the Transparency Database API v1 takes them.

The file holds one request body per line for the bulk endpoint (``POST /api/v1/statements`` with
``{"statements": [...]}``, at most 100 each). Every statement is checked against the API's rules and
for personal data before it is written; one that fails is left out and reported with the reason.
The same selection always gives the same file (statements are frozen when decided, in a fixed order),
and the Transparency Database refuses a puid it already has, so nothing is ever stored there twice.

Each export is an audit event (``export``, subject ``statements``) in the transaction that logs it:
who exported which range, how many statements, and the SHA-256 of the file written.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time
from pathlib import Path

from moderator_app.domain.accounts.rights import Right
from moderator_app.domain.dsa import tdb
from moderator_app.domain.dsa.model import ExportReport
from moderator_app.domain.dsa.sor import final_checks
from moderator_app.domain.supervision.audit import AuditAction, EventDraft
from moderator_app.services.access import Access
from moderator_app.services.bus import Transactions
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.dsa.files import write_atomically
from moderator_app.services.dsa.permissions import actor_name


class SorExportService:
    def __init__(self, tx: Transactions, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._tx = tx
        self._clock = clock
        self._access = access or Access(tx.db, clock)

    def export(
        self, out: Path, actor: str, *, since: date | None = None, only_new: bool = False
    ) -> ExportReport:
        """Write the statements decided on or after ``since`` (all when None); ``only_new``: only those
        no earlier export carried. The export is logged; the file is written whole or not at all."""
        actor = actor_name(actor)
        # Checked and read in one snapshot; the file is written outside any write transaction (a large
        # export must not hold SQLite's write lock while reviewers decide), then logged in one.
        with self._access.guard(), self._tx.read() as tx:
            self._access.require(tx, actor, Right.EXPORT)
            start = datetime.combine(since, time(0), tzinfo=UTC) if since else None
            found = tx.exports.statements(since=start, only_new=only_new)
            good: list[dict[str, object]] = []
            good_ids: list[int] = []
            failed: list[tuple[str, str]] = []
            for sid, payload, personal in found:
                problems = final_checks(payload, personal)
                if problems:
                    failed.append((str(payload.get("puid", f"statement {sid}")), "; ".join(problems)))
                else:
                    good.append(payload)
                    good_ids.append(sid)
            batches = [good[i : i + tdb.BULK_LIMIT] for i in range(0, len(good), tdb.BULK_LIMIT)]
            text = "".join(
                json.dumps({"statements": batch}, ensure_ascii=False, sort_keys=True) + "\n"
                for batch in batches
            )
        write_atomically(out, text)
        with self._tx.write() as tx:
            now = self._clock()
            export_id = tx.exports.log(
                actor=actor,
                since=since,
                only_new=only_new,
                file=str(out),
                written_ids=good_ids,
                failed=len(failed),
                now=now,
            )
            tx.audit.append(
                EventDraft(
                    actor=actor,
                    action=AuditAction.EXPORT,
                    subject="statements",
                    after={
                        "export_id": export_id,
                        "since": since.isoformat() if since else None,
                        "until": now.isoformat(),
                        "only_new": only_new,
                        "statements": len(good),
                        "batches": len(batches),
                        "failed": len(failed),
                        "file": str(out),
                        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    },
                ),
                now,
            )
        return ExportReport(export_id, str(out), len(good), len(batches), failed, since, only_new)
