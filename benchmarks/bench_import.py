"""Import benchmark: python benchmarks/bench_import.py SOURCE.jsonl TARGET.db STATS.json

Imports a generated file into a fresh SQLite database through the real ImportService and writes the
rate and the peak memory as JSON. Called by benchmarks.common.big_database (so building the large
database for the other benchmarks is this benchmark).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import peak_rss_mb
from moderator_app.services.workstation import open_workstation


def main(src: Path, db: Path, stats: Path) -> None:
    ws = open_workstation(str(db))
    try:
        started = time.perf_counter()
        report = ws.importer.import_file(src)
        seconds = time.perf_counter() - started
    finally:
        ws.close()
    assert not report.rejected and not report.interrupted, report.rejection_messages()[:5]
    result = {
        "listings": report.listings_added,
        "traders": report.traders_added,
        "flags": report.flags_added,
        "seconds": round(seconds, 2),
        "listings_per_second": round(report.listings_added / seconds),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "file_mb": round(src.stat().st_size / 2**20, 1),
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }
    stats.write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
