"""Verifying every audit chain against itself and against what is kept outside the database: the
signed checkpoints (the database's copies, this workstation's copies, files given by a person) and
the heads a person noted down (``--expect``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.supervision.anchor import (
    BadExpectation,
    Checkpoint,
    Claim,
    claims_of,
    parse_expect,
    verify_anchored,
)
from moderator_app.domain.supervision.audit import GENESIS, ChainBreak, ChainHead, VerifyResult
from moderator_app.services.supervision.audit_keys import AuditKeys, read_checkpoints, valid
from moderator_app.storage.supervision import audit_checkpoint_repo, audit_repo
from moderator_app.storage.unit import UnitOfWork


@dataclass(frozen=True, slots=True)
class Anchors:
    claims: dict[str, list[Claim]]
    trusted: int  # checkpoints whose signature holds, by a trusted key
    problems: list[str]  # checkpoints forged, by unknown keys, or deleted from the database
    anchored: dict[str, int]  # origin -> highest seq a trusted checkpoint vouches for


def _when(cp: Checkpoint) -> str:
    return f"{cp.at:%Y-%m-%d %H:%M:%S} UTC"


def gather(s: UnitOfWork, keys: AuditKeys, database: str, files: Sequence[Path] = ()) -> Anchors:
    in_db = list(audit_checkpoint_repo.all_checkpoints(s))
    kept = keys.kept(database)
    given: list[Checkpoint] = []
    for f in files:
        try:
            given.extend(read_checkpoints(f))
        except OSError as exc:
            raise InvalidInput(f"cannot read {f}: {exc.strerror or exc}") from None
    problems: list[str] = []
    db_ids = {c.id for c in in_db}
    for cp in kept:
        if cp.id not in db_ids:
            problems.append(
                f"the checkpoint of {_when(cp)} that this workstation signed is no longer in the "
                "database (deleted)"
            )
    trusted_keys = keys.trusted()
    claims: dict[str, list[Claim]] = defaultdict(list)
    anchored: dict[str, int] = {}
    trusted, seen = 0, set()
    for cp in [*in_db, *kept, *given]:
        if (cp.id, cp.signature) in seen:
            continue
        seen.add((cp.id, cp.signature))
        if not valid(cp):
            problems.append(f"the checkpoint of {_when(cp)} does not match its signature (forged or altered)")
            continue
        if cp.signer not in trusted_keys:
            problems.append(
                f"the checkpoint of {_when(cp)} is signed by a key this workstation does not trust "
                f"({cp.signer}); if it is a colleague's, trust it with `audit key --trust KEY`"
            )
            continue
        trusted += 1
        for c in claims_of(cp):
            claims[c.origin].append(c)
            anchored[c.origin] = max(anchored.get(c.origin, 0), c.seq)
    return Anchors(claims, trusted, problems, anchored)


def default_origin(s: UnitOfWork) -> str:
    own = audit_repo.own_origin(s)
    infos = audit_repo.origins(s)
    if own and any(i.head.origin == own and i.head.seq for i in infos):
        return own
    with_events = [i.head.origin for i in infos if i.head.seq]
    return with_events[0] if len(with_events) == 1 else (own or "")


def verify_all(
    s: UnitOfWork,
    keys: AuditKeys,
    database: str,
    expect: Sequence[str] = (),
    files: Sequence[Path] = (),
) -> VerifyResult:
    anchors = gather(s, keys, database, files)
    claims = anchors.claims
    fallback = default_origin(s)
    for text in expect:
        try:
            c = parse_expect(text, fallback)
        except BadExpectation as exc:
            raise InvalidInput(str(exc)) from None
        if not c.origin:
            raise InvalidInput(
                "--expect: several chains, none of them this workstation's: give ORIGIN:SEQ:HASH"
            )
        claims[c.origin].append(c)
    infos = {i.head.origin: i for i in audit_repo.origins(s)}
    for origin in claims:
        if origin not in infos:  # vouched for, but neither head row nor events left
            infos[origin] = audit_repo.OriginInfo(ChainHead(0, GENESIS, origin), "gone", "", None, None)
    checked, breaks = 0, []
    for origin, info in infos.items():
        if info.kind == "":
            n = sum(1 for _ in audit_repo.chain_events(s, origin))
            checked += n
            breaks.append(
                ChainBreak(
                    origin,
                    1,
                    f"{n} events of a chain with no head row (a chain inserted, or its head deleted)",
                )
            )
            continue
        n, broken = verify_anchored(
            origin, audit_repo.chain_events(s, origin), info.head, claims.get(origin, [])
        )
        checked += n
        if broken is not None:
            breaks.append(broken)
    heads = tuple(i.head for i in infos.values() if i.kind != "gone")
    own = audit_repo.own_origin(s)
    if breaks:
        first = breaks[0]
        notes = tuple(f"event #{b.seq} of chain {b.origin}: {b.problem}" for b in breaks[1:]) + tuple(
            anchors.problems
        )
        head = infos[first.origin].head
        return VerifyResult(
            False, checked, head, first.seq, first.problem, first.origin, heads, anchors.trusted, notes
        )
    mine = next((h for h in heads if h.origin == fallback), None) or next(
        (h for h in heads if h.origin == own), heads[-1] if heads else ChainHead(0, GENESIS, own or "")
    )
    if anchors.problems:
        return VerifyResult(
            False,
            checked,
            mine,
            None,
            anchors.problems[0],
            "",
            heads,
            anchors.trusted,
            tuple(anchors.problems[1:]),
        )
    return VerifyResult(True, checked, mine, heads=heads, checkpoints=anchors.trusted)
