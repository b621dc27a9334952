"""Merging the audit chains of another database (an offline case copy) into this one.

Each chain comes across whole and unchanged, under its own origin (its events keep their global ids,
positions and hashes, so they verify here as they did there), and this workstation's chain records an
``audit_merge`` event naming the foreign chain's head: from then on a rewrite of the merged chain here
also breaks the checkpoints that cover that event. A chain that does not continue what was merged
before (a fork: both sides went on from a common event) is not merged; it is reported for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.audit import (
    AuditAction,
    AuditEvent,
    ChainHead,
    EventDraft,
    verify_chain,
)
from moderator_app.storage import migrate
from moderator_app.storage.db import Database
from moderator_app.storage.supervision import audit_repo
from moderator_app.storage.unit import UnitOfWork


@dataclass
class MergeReport:
    merged: list[tuple[ChainHead, int]] = field(default_factory=list)  # new head, events added
    conflicts: list[str] = field(default_factory=list)
    unchanged: int = 0

    def text(self) -> str:
        lines = [f"merged {n} events of chain {h.origin}, now at #{h.seq} {h.hash}" for h, n in self.merged]
        lines += [f"NOT merged: {c}" for c in self.conflicts]
        if self.unchanged:
            lines.append(f"{self.unchanged} chains already here")
        return "\n".join(lines) or "nothing to merge"


def merge(target: Database, source_url: str, actor: str, now: datetime) -> MergeReport:
    src = Database(source_url)
    try:
        if migrate.current_revision(src) != migrate.head_revision():
            raise InvalidInput(
                f"{src.description} is not at this version's schema: open it once with this version first"
            )
        with src.read() as rs:
            chains = [(i, list(audit_repo.chain_events(rs, i.head.origin))) for i in audit_repo.origins(rs)]
    finally:
        src.dispose()
    report = MergeReport()
    for info, events in chains:
        origin = info.head.origin
        _, broken = verify_chain(origin, events, info.head)
        if broken is not None or info.kind == "":
            why = broken.problem if broken else "it has no head row"
            report.conflicts.append(
                f"chain {origin} of the copy does not verify at event #{broken.seq if broken else 1}: {why}"
            )
            continue
        if not events:
            continue
        with target.write() as s:
            outcome = _merge_one(s, info.label or info.kind, events, src.description, actor, now)
        if isinstance(outcome, str):
            report.conflicts.append(outcome)
        elif outcome is None:
            report.unchanged += 1
        else:
            report.merged.append(outcome)
    return report


def _merge_one(
    s: UnitOfWork, label: str, events: list[AuditEvent], source: str, actor: str, now: datetime
) -> tuple[ChainHead, int] | str | None:
    origin = events[0].origin
    here = audit_repo.lock_head(s, origin)
    have = here.seq if here else 0
    if have:
        theirs = events[have - 1] if have <= len(events) else None
        if theirs is None:  # ours is longer: theirs must be a prefix of ours
            mine = next(audit_repo.chain_events(s, origin, len(events) - 1), None)
            if mine is not None and mine.hash == events[-1].hash:
                return None
            return f"chain {origin} forks: the copy's event #{len(events)} differs from this database's"
        if here is not None and theirs.hash != here.hash:
            return f"chain {origin} forks at or before event #{have}: both sides went on differently"
    new = events[have:]
    if not new:
        return None
    head = audit_repo.append_foreign(s, origin, label, new, now)
    audit_repo.append(
        s,
        EventDraft(
            actor=actor,
            action=AuditAction.AUDIT_MERGE,
            subject=f"chain:{origin}"[:120],
            after={"origin": origin, "seq": head.seq, "hash": head.hash, "events": len(new), "from": source},
        ),
        now,
    )
    return head, len(new)
