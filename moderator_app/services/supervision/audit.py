"""Reading, verifying, anchoring and exporting the audit log (appending is done by each service, in its
own transaction, through :func:`record`).

Checkpoints (every chain head, signed with this workstation's key, see audit_keys.py) are written by
``audit checkpoint``, with every export, and when a workstation closes after its chain moved on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from moderator_app.domain.accounts.roles import Right
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.anchor import Checkpoint
from moderator_app.domain.supervision.audit import (
    AuditAction,
    AuditEvent,
    ChainHead,
    EventDraft,
    VerifyResult,
)
from moderator_app.domain.supervision.crosscheck import CrosscheckResult, crosscheck, fold_log
from moderator_app.services.access import Access
from moderator_app.services.clock import Clock, system_clock
from moderator_app.services.supervision import audit_merge, audit_verify
from moderator_app.services.supervision.audit_keys import AuditKeys, to_json
from moderator_app.storage.db import Database
from moderator_app.storage.supervision import audit_checkpoint_repo, audit_repo, crosscheck_repo
from moderator_app.storage.supervision.audit_repo import AuditFilter
from moderator_app.storage.unit import UnitOfWork

__all__ = ["AuditFilter", "AuditService", "ChainLine", "record"]

CSV_COLUMNS = (
    "id",
    "origin",
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


@dataclass(frozen=True, slots=True)
class ChainLine:
    """One chain as ``audit heads`` shows it."""

    head: ChainHead
    kind: str  # local / foreign / legacy ("" for events without a head row)
    label: str
    mine: bool  # this workstation appends to it
    anchored: int  # the highest seq a trusted signed checkpoint vouches for


class AuditService:
    def __init__(
        self,
        db: Database,
        clock: Clock = system_clock,
        access: Access | None = None,
        keys: AuditKeys | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._access = access or Access(db, clock)
        self.keys = keys or AuditKeys()

    def verify(
        self, actor: str, expect: Sequence[str] = (), checkpoints: Sequence[Path] = ()
    ) -> VerifyResult:
        """Walk every chain (in chunks), hold each against the trusted signed checkpoints and the
        expected heads, and name the first event that does not hold."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            return audit_verify.verify_all(s, self.keys, self._db.description, expect, checkpoints)

    def heads(self, actor: str) -> list[ChainLine]:
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            anchors = audit_verify.gather(s, self.keys, self._db.description)
            own = audit_repo.own_origin(s)
            return [
                ChainLine(
                    i.head, i.kind, i.label, i.head.origin == own, anchors.anchored.get(i.head.origin, 0)
                )
                for i in audit_repo.origins(s)
            ]

    def checkpoint(self, actor: str) -> Checkpoint:
        """Sign every chain head now (kept in the database and in this workstation's config folder)."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
        return self._checkpoint()

    def checkpoint_if_due(self) -> Checkpoint | None:
        """When this workstation's chain moved on since its last checkpoint (a workstation closing)."""
        with self._db.read() as s:
            own = audit_repo.head(s)
        if not own.origin or not own.seq:
            return None
        kept = self.keys.kept(self._db.description)
        if kept and any(h.origin == own.origin and h.seq >= own.seq for h in kept[-1].heads):
            return None
        return self._checkpoint()

    def _checkpoint(self) -> Checkpoint:
        with self._db.read() as s:
            heads = [i.head for i in audit_repo.origins(s) if i.kind and i.head.seq]
            for h in heads:  # never sign a head its newest event does not bear out
                last = audit_repo.event_at(s, h.origin, h.seq)
                if last is None or last.hash != h.hash:
                    raise InvalidInput(
                        f"not signed: chain {h.origin} does not end at its head #{h.seq}; run `audit verify`"
                    )
        cp = self.keys.sign(self._clock(), self._db.description[:300], heads)
        with self._db.write() as s:
            audit_checkpoint_repo.add(s, cp)
        self.keys.keep(cp)
        return cp

    def key_info(self) -> tuple[str, Path, dict[str, str]]:
        """This workstation's public key (made on first use), the key file, the trusted keys."""
        return self.keys.public(), self.keys.key_path, self.keys.trusted()

    def trust(self, actor: str, key: str, name: str = "") -> None:
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
        self.keys.trust(key, name)

    def merge_from(self, actor: str, source_url: str) -> audit_merge.MergeReport:
        """Bring the chains of another database (an offline case copy) here, each under its origin
        (an import into the log: it needs the right to import as well as to read the log)."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            self._access.require(s, actor, Right.IMPORT)
        report = audit_merge.merge(self._db, source_url, actor, self._clock())
        if report.merged:
            self._checkpoint()
        return report

    def crosscheck(self, actor: str) -> CrosscheckResult:
        """Compare the tables with the log (decisions, undos, reversals, strikes, accounts), in one
        snapshot: what the chain cannot see, a row changed without its event."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            state = crosscheck_repo.state_facts(s)
            log, events = fold_log(crosscheck_repo.crosschecked_events(s))
            return crosscheck(state, log, events)

    def events(
        self, actor: str, f: AuditFilter | None = None, limit: int = 500, before_id: str | None = None
    ) -> list[AuditEvent]:
        """Newest first; ``before_id`` (an event's global id) pages back."""
        with self._access.guard(), self._db.read() as s:
            self._access.require(s, actor, Right.VIEW_AUDIT)
            return audit_repo.search(s, f or AuditFilter(), max(1, min(limit, 10_000)), before_id)

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
                    e.id,
                    e.origin,
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
        cp = self._checkpoint()  # every export is anchored; the file beside it can be kept elsewhere
        if out is not None:
            side = out.with_name(out.name + ".checkpoint")
            try:
                side.write_text(to_json(cp) + "\n", encoding="utf-8")
            except OSError as exc:
                raise InvalidInput(f"cannot write {side}: {exc.strerror or exc}") from None
        return len(rows), (str(out) if out is not None else text)

    def _rows(self, s: UnitOfWork, f: AuditFilter | None) -> Iterator[AuditEvent]:
        if f is None or f == AuditFilter():
            yield from audit_repo.in_order(s)
            return
        yield from reversed(audit_repo.search(s, f, 1_000_000))
