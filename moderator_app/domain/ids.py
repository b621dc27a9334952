"""Global ids for the rows that travel between databases (a team's PostgreSQL, a workstation's
SQLite file, an investigator's offline case copy).

An integer primary key means something only inside one database; a row that is copied to another
needs a name that cannot collide there. We use time-ordered UUIDs (version 7, RFC 9562): 48 bits of
milliseconds then 74 random bits, so ids made on different machines never collide, and ids sort in
the order they were made (an index on them stays append-mostly, unlike random version 4 ids).

Stdlib only: Python 3.11 has no uuid.uuid7 yet.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def new_id(now_ms: int | None = None) -> str:
    """A new UUIDv7 as its canonical 36-character text. Monotonic within one process: two ids made in
    the same millisecond still sort in the order they were made (RFC 9562 method 2, a counter in the
    random bits)."""
    global _last_ms, _last_rand
    with _lock:
        ms = int(time.time() * 1000) if now_ms is None else now_ms
        if ms <= _last_ms:
            ms = _last_ms
            rand = _last_rand + 1
            if rand >= 1 << 74:  # counter exhausted within one millisecond: borrow the next one
                ms, rand = ms + 1, int.from_bytes(os.urandom(10), "big") >> 7
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 6  # 74 bits
        _last_ms, _last_rand = ms, rand
    return _compose(ms, rand)


def _compose(ms: int, rand: int) -> str:
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def ids_made_at(times_ms: Iterable[int]) -> Iterator[str]:
    """UUIDv7s for rows made in the past (a migration giving existing rows their ids), one per time, in
    the order given: each carries its row's time (or the latest time before it, so they sort in the
    order given), without moving :func:`new_id`'s clock back."""
    last_ms, rand = -1, 0
    for made in times_ms:
        if made <= last_ms:
            rand += 1
        else:
            last_ms, rand = made, int.from_bytes(os.urandom(10), "big") >> 7  # room for a counter
        yield _compose(last_ms, rand)


def id_time_ms(gid: str) -> int:
    """The milliseconds since the epoch at which a UUIDv7 was made."""
    return uuid.UUID(gid).int >> 80
