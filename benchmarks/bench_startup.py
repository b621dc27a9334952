"""How long ``moderator-app --help`` takes to start: every command pays this before it does anything.

Runs the command line in a fresh interpreter ``--runs`` times (after one warm-up run that fills the
file cache) and reports the median wall time and CPU time. With ``--write`` the figure goes into
docs/performance.md (section "## Start-up"), with ``--before SECONDS`` as the figure to compare with.

    python benchmarks/bench_startup.py --runs 10 --before '1.40 s' --write
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine_description, write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Start-up"
COMMAND = [sys.executable, "-c", "import sys; from moderator_app.cli import main; sys.exit(main(['--help']))"]


def one_run() -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system, all its threads)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(COMMAND, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu


def section(wall: float, cpu: float, runs: int, before: str | None) -> str:
    compare = f" | {before} |" if before else " | |"
    return (
        f"{SECTION}\n\n"
        f"Measured by `python benchmarks/bench_startup.py --runs {runs}` on {datetime.now(UTC):%Y-%m-%d}.\n"
        f"Machine: {machine_description()}. The machine was shared (load average 3 to 15 on 2 cores):\n"
        "wall times varied by a factor of two between runs; CPU time (the child's user + system time,\n"
        "all threads) is the steadier figure.\n\n"
        "| `moderator-app --help`, fresh interpreter | median of runs | before the change |\n"
        "|---|---|---|\n"
        f"| CPU time | {cpu:.2f} s{compare}\n"
        f"| wall time | {wall:.2f} s | |\n\n"
        "The command line built the dummy password hash (argon2id, which verifies unknown user names in\n"
        "the same time as known ones) when it was imported, so every command paid one argon2 hash before\n"
        "doing anything. The dummy hash is now a constant made with the shipped parameters (hashed\n"
        "lazily only if the parameters ever change), so only a login pays for argon2.\n"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--before", help="the CPU figure measured before a change, as text for the table")
    p.add_argument("--write", action="store_true", help="write the section of docs/performance.md")
    a = p.parse_args()
    one_run()  # warm the file cache
    runs = [one_run() for _ in range(a.runs)]
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    print(f"moderator-app --help over {a.runs} runs: median wall {wall:.3f} s, median CPU {cpu:.3f} s")
    if a.write:
        write_section(SECTION, section(wall, cpu, a.runs, a.before))
    return 0


if __name__ == "__main__":
    sys.exit(main())
