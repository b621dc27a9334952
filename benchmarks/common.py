"""Shared by the benchmarks: synthetic import files and a cached large database.

The large database is built through the real importer from a generated JSON Lines file, so building it
is itself the import benchmark. Files go to benchmarks/out/ (ignored by git).
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
PERFORMANCE_DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"

CATEGORIES = [
    ("Clothing", "counterfeit"),
    ("Shoes", "counterfeit"),
    ("Bags", "counterfeit"),
    ("Toys & Games", "unsafe_toy"),
    ("Electronics", "unsafe_electrical"),
    ("Health", "illegal_medicine"),
    ("Food supplements", "unapproved_supplement"),
    ("Home", "hidden_link"),
    ("Adult", "adult_content"),
    ("Garden", "other"),
]
SOURCES = ["user_notice", "trusted_flagger", "automated", "authority_order", "own_initiative"]


def generate_jsonl(path: Path, listings: int, *, traders: int | None = None, seed: int = 1) -> Path:
    """Write ``listings`` flagged listings (1-2 flags each, no images) and their traders."""
    rng = random.Random(seed)
    traders = traders or max(10, listings // 50)
    anchor = datetime(2026, 11, 1, tzinfo=UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for t in range(traders):
            fh.write(
                json.dumps(
                    {
                        "record": "trader",
                        "id": f"BT-{t:07d}",
                        "name": f"Bench shop {t}",
                        "kind": "business" if t % 4 else "private",
                        "legal_name": f"Bench shop {t} Ltd",
                        "email": f"shop{t}@bench.example",
                        "country": rng.choice(["DE", "FR", "PL", "CN", "IT"]),
                    }
                )
                + "\n"
            )
        for i in range(listings):
            cat, reason = CATEGORIES[rng.randrange(len(CATEGORIES))]
            created = anchor - timedelta(minutes=rng.randrange(60 * 24 * 200))
            flags = [
                {
                    "source": rng.choice(SOURCES),
                    "category": reason,
                    "explanation": "Reported by benchmark generator",
                    "received_at": (created + timedelta(hours=rng.randrange(1, 48))).isoformat(),
                }
                for _ in range(rng.choice((1, 1, 2)))
            ]
            fh.write(
                json.dumps(
                    {
                        "id": f"BL-{i:08d}",
                        "trader": f"BT-{rng.randrange(traders):07d}",
                        "title": f"Benchmark listing {i} {cat}",
                        "description": "Generated for the benchmark.",
                        "price": f"{rng.randrange(100, 100000) / 100:.2f}",
                        "currency": "EUR",
                        "category": cat,
                        "url": f"https://marketplace.example/item/BL-{i:08d}",
                        "created_at": created.isoformat(),
                        "flags": flags,
                    }
                )
                + "\n"
            )
    return path


def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine_description() -> str:
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import sqlite3

    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)

    def pick(p: float) -> float:
        return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]

    return {"p50": pick(50), "p95": pick(95), "p99": pick(99), "max": s[-1], "n": len(s)}


def big_database(listings: int = 1_000_000, *, rebuild: bool = False) -> Path:
    """A SQLite database with ``listings`` flagged listings, built once by the real importer and cached.

    Returns the database file; the import figures are written beside it as JSON.
    """
    db = OUT / f"big-{listings}.db"
    stats = db.with_suffix(".import.json")
    if db.exists() and stats.exists() and not rebuild:
        return db
    for p in (db, stats, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        p.unlink(missing_ok=True)
    src = generate_jsonl(OUT / f"big-{listings}.jsonl", listings)
    # A separate process, so the figures of the import are its own (memory above all).
    subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_import.py")), str(src), str(db), str(stats)],
        check=True,
    )
    return db


def write_section(section: str, text: str) -> None:
    """Put ``text`` (which starts with the heading ``section``) into docs/performance.md, replacing that
    section if it is there, so each benchmark owns its section and leaves the others alone."""
    doc = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else "# Performance\n"
    start = doc.find(section)
    if start >= 0:
        nxt = doc.find("\n## ", start + len(section))
        doc = doc[:start] + text + (doc[nxt + 1 :] if nxt >= 0 else "")
    else:
        doc = doc.rstrip() + "\n\n" + text
    PERFORMANCE_DOC.parent.mkdir(parents=True, exist_ok=True)
    PERFORMANCE_DOC.write_text(doc.rstrip() + "\n")
