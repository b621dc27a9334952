"""Reading, verifying and exporting the audit log (appending is done by each service, in its own
transaction, through :func:`record`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.audit import AuditAction, AuditEvent, EventDraft, VerifyResult, verify
from moderator_app.domain.supervision.crosscheck import CrosscheckResult, crosscheck, fold_log
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.storage.db import Database
from moderator_app.storage.supervision import audit_repo, crosscheck_repo
from moderator_app.storage.supervision.audit_repo import AuditFilter
from moderator_app.storage.unit import UnitOfWork

__all__ = ["AuditFilter", "AuditService", "record"]

CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "queue",
    "category",
    "listing_id",
    "before",
    "after",
    "detail",
    "prev_hash",
    "hash",
)


def record(s: UnitOfWork, draft: EventDraft, now: datetime) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with the change)."""
    return audit_repo.append(s, draft, now)


def _cell(value: object) -> str:
    """CSV cells that a spreadsheet would run as formulas are prefixed with a quote (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class AuditService:
    def __init__(self, db: Database, clock: Clock = system_clock, access: Access | None = None) -> None:
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)

    def verify(self, actor: str) -> VerifyResult:
        """Walk the whole chain (in chunks) and name the first broken link."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            head = audit_repo.head(s)
            return verify(audit_repo.in_order(s), head)

    def crosscheck(self, actor: str) -> CrosscheckResult:
        """Compare the tables with the log (decisions, undos, reversals, strikes, accounts), in one
        snapshot: what the chain cannot see, a row changed without its event."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            state = crosscheck_repo.state_facts(s)
            log, events = fold_log(crosscheck_repo.crosschecked_events(s))
            return crosscheck(state, log, events)

    def events(
        self, actor: str, f: AuditFilter | None = None, limit: int = 500, before_seq: int | None = None
    ) -> list[AuditEvent]:
        """Newest first; ``before_seq`` pages back."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            return audit_repo.search(s, f or AuditFilter(), max(1, min(limit, 10_000)), before_seq)

    def export_csv(self, actor: str, out: Path | None, f: AuditFilter | None = None) -> tuple[int, str]:
        """Write the events (oldest first) as CSV to ``out`` (or return the text when ``out`` is None);
        the export itself is an audit event. Returns (rows, text or path)."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            rows = list(self._rows(s, f))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for e in rows:
            w.writerow(
                [
                    e.seq,
                    e.at.isoformat(),
                    _cell(e.actor),
                    e.action,
                    _cell(e.subject),
                    _cell(e.queue),
                    _cell(e.category),
                    e.listing_id if e.listing_id is not None else "",
                    _cell(e.before),
                    _cell(e.after),
                    _cell(e.detail),
                    e.prev_hash,
                    e.hash,
                ]
            )
        text = buf.getvalue()
        if out is not None:
            try:
                out.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise InvalidInput(f"cannot write {out}: {exc.strerror or exc}") from None
        with self._db.write() as s:
            record(
                s,
                EventDraft(
                    actor=actor, action=AuditAction.EXPORT, subject="audit_log", after={"rows": len(rows)}
                ),
                self._clock(),
            )
        return len(rows), (str(out) if out is not None else text)

    def _rows(self, s: UnitOfWork, f: AuditFilter | None) -> Iterator[AuditEvent]:
        if f is None or f == AuditFilter():
            yield from audit_repo.in_order(s)
            return
        yield from reversed(audit_repo.search(s, f, 1_000_000))
