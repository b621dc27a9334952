"""Anchoring the audit log outside the database: signed checkpoints and expected heads.

A chain proves nothing against someone who can rewrite it whole (edit an event and rechain, delete and
renumber, insert and rechain, wipe and reset the head). What they cannot do is sign: a *checkpoint* is
the list of every chain head (origin, seq, hash) at one moment, signed with an Ed25519 key kept outside
the database. A verify then holds each chain against every checkpoint signed by a trusted key (and
against the heads a person noted down, ``--expect``): a chain shorter than a checkpoint says lost
events; a different hash at a checkpointed position says the chain was rewritten at or before it.

The signing itself is done by the services (the ``cryptography`` package); here are the plain parts:
what is signed (:func:`checkpoint_body`), and the check of a chain against these claims.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from moderator_app.domain.supervision.audit import (
    AuditEvent,
    ChainBreak,
    ChainHead,
    canonical,
    timestamp,
    verify_chain,
)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    id: str  # UUIDv7
    at: datetime
    database: str  # where it was taken (a description, for people)
    heads: tuple[ChainHead, ...]
    signer: str  # "ed25519:<base64 public key>"
    signature: str  # base64 of the Ed25519 signature of checkpoint_body(...)


def checkpoint_body(id: str, at: datetime, database: str, heads: Iterable[ChainHead]) -> bytes:
    """The exact bytes that are signed: canonical JSON, heads sorted by origin."""
    rows = sorted([h.origin, h.seq, h.hash] for h in heads)
    return canonical({"id": id, "at": timestamp(at), "database": database, "heads": rows}).encode("utf-8")


def heads_from_body(body: str) -> tuple[ChainHead, ...]:
    return tuple(ChainHead(int(s), h, o) for o, s, h in json.loads(body)["heads"])


@dataclass(frozen=True, slots=True)
class Claim:
    """What someone outside the database vouches for: event ``seq`` of ``origin`` has ``hash``
    (a prefix of at least 12 hex digits is enough for a hash noted by hand)."""

    origin: str
    seq: int
    hash: str
    source: str  # "the signed checkpoint of 2026-11-02 09:00 (key ed25519:abcd...)", "--expect"


class BadExpectation(ValueError):
    pass


def parse_expect(text: str, default_origin: str) -> Claim:
    """``[ORIGIN:]SEQ:HASH`` as printed by ``audit verify`` / ``audit heads``."""
    parts = text.strip().split(":")
    if len(parts) == 2:
        parts = [default_origin, *parts]
    if len(parts) != 3 or not parts[1].isdigit():
        raise BadExpectation(f"--expect {text!r}: give [ORIGIN:]SEQ:HASH, as printed by `audit heads`")
    origin, seq, digest = parts[0], int(parts[1]), parts[2].lower()
    if len(digest) < 12 or any(c not in "0123456789abcdef" for c in digest):
        raise BadExpectation(f"--expect {text!r}: the hash must be at least 12 hexadecimal digits")
    return Claim(origin, seq, digest, f"--expect {origin}:{seq}:{digest[:16]}")


def claims_of(cp: Checkpoint) -> list[Claim]:
    source = f"the signed checkpoint of {cp.at:%Y-%m-%d %H:%M:%S} UTC (key {cp.signer[:20]}...)"
    return [Claim(h.origin, h.seq, h.hash, source) for h in cp.heads if h.seq > 0]


def verify_anchored(
    origin: str, events: Iterable[AuditEvent], head: ChainHead, claims: Sequence[Claim]
) -> tuple[int, ChainBreak | None]:
    """The chain's own links (:func:`verify_chain`), then every claim on it, lowest seq first: the first
    event that no longer matches what was vouched for is named."""
    wanted = {c.seq for c in claims}
    seen: dict[int, str] = {}

    def tap() -> Iterator[AuditEvent]:
        for e in events:
            if e.seq in wanted:
                seen[e.seq] = e.hash
            yield e

    checked, broken = verify_chain(origin, tap(), head)
    if broken is not None:
        return checked, broken
    last_good = 0
    for c in sorted(claims, key=lambda c: c.seq):
        got = seen.get(c.seq)
        if got is None:
            return checked, ChainBreak(
                origin,
                checked + 1,
                f"the chain ends at #{checked} but {c.source} says it had {c.seq} events "
                "(events deleted, or the log wiped and its head reset)",
            )
        if not got.startswith(c.hash):
            since = f"after #{last_good}" if last_good else "from its first event"
            return checked, ChainBreak(
                origin,
                c.seq,
                f"it no longer matches {c.source}: the chain was rewritten {since} "
                "(an event edited, inserted or deleted, and the later ones rechained)",
            )
        last_good = c.seq
    return checked, None
