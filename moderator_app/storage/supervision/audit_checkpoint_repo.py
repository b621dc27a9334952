"""Signed checkpoints of the audit chains, as kept in the database (a copy lives outside it too: the
database's own copy can be deleted by whoever owns the database, which a verify then notices)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.domain.supervision.anchor import Checkpoint, heads_from_body
from moderator_app.storage.accounts.orm_accounts import AuditCheckpointRow
from moderator_app.storage.orm import as_utc


def add(session: Session, cp: Checkpoint) -> None:
    session.add(
        AuditCheckpointRow(
            id=cp.id,
            at=cp.at,
            database=cp.database[:300],
            heads_json=json.dumps({"heads": sorted([h.origin, h.seq, h.hash] for h in cp.heads)}),
            signer=cp.signer,
            signature=cp.signature,
        )
    )


def all_checkpoints(session: Session) -> Iterator[Checkpoint]:
    for r in session.scalars(select(AuditCheckpointRow).order_by(AuditCheckpointRow.id)):
        at = as_utc(r.at)
        assert at is not None
        yield Checkpoint(r.id, at, r.database, heads_from_body(r.heads_json), r.signer, r.signature)
