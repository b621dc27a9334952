"""A team on one PostgreSQL: N workstations (processes) claiming and deciding in the same queue at once.

    python benchmarks/bench_team_pg.py [--url postgresql+psycopg://postgres@127.0.0.1:55432/moderator_test]
        [--workers 8] [--seconds 30] [--listings 12000]

Each run gets a fresh schema on the server (dropped afterwards), filled through the real importer. The
workers start together and claim + decide through the services for ``--seconds``; meanwhile this process
samples pg_stat_activity and pg_locks every 100 ms to show what the writers wait on. Three runs:
- as shipped: each workstation its own config folder, so its own audit chain (migration 0008, one head row
  per origin), and the queue counters in shards (migration 0007, a shard per connection);
- one shared audit chain: all workstations with one identity (one config folder), so every audited write
  locks the same head row, as the single ``audit_head`` row did before migration 0008;
- one counter row per queue (as migration 0005 had it), audit chains as shipped.
Writes the "Team on PostgreSQL" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import OUT, generate_jsonl, machine_description, percentiles, write_section

SECTION = "## Team on PostgreSQL (8 workstations deciding at once)"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:55432/moderator_test"
APP = "bench_team"


def schema_url(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}&application_name={APP}"


def worker(url: str, n: int, queue: str, go: Any, seconds: float, out: Any, config: str) -> None:
    """One workstation: claim the next item of ``queue`` and decide it, until time is up. ``config``: its
    config folder (its workstation id, so its audit chain)."""
    from moderator_app.domain.enums import Action, Ground, PolicyCategory
    from moderator_app.domain.errors import WorkstationError
    from moderator_app.services.workstation import open_workstation
    from moderator_app.settings import Settings

    actions = [
        (Action.REMOVE, PolicyCategory.COUNTERFEIT, Ground.ILLEGAL_CONTENT, "Counterfeit logo."),
        (Action.NO_VIOLATION, None, None, ""),
        (Action.RESTRICT, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "No CE mark."),
        (Action.WARN, PolicyCategory.HIDDEN_LINK, Ground.TERMS_OF_SERVICE, "Phone number in photo."),
    ]
    ws = open_workstation(url, settings=Settings(config_dir=Path(config)))
    who = f"ws{n}"
    claim_ms: list[float] = []
    decide_ms: list[float] = []
    failed: Counter[str] = Counter()
    try:
        ws.review.queue_counts()  # connect before the start
        out.put("ready")
        go.wait()
        end = time.time() + seconds
        i = 0
        while time.time() < end:
            t0 = time.perf_counter()
            case = ws.review.claim_next(queue, who)
            t1 = time.perf_counter()
            if case is None:
                break
            try:
                ws.review.decide(case.item.id, who, *actions[(i + n) % len(actions)])
            except WorkstationError as exc:  # a clear failure (locked, conflict): counted, not hidden
                failed[type(exc).__name__] += 1
                continue
            t2 = time.perf_counter()
            claim_ms.append((t1 - t0) * 1000)
            decide_ms.append((t2 - t1) * 1000)
            i += 1
    finally:
        ws.close()
    out.put({"worker": n, "claim": claim_ms, "decide": decide_ms, "failed": dict(failed)})


SAMPLE_WAITS = f"""
SELECT a.wait_event_type, a.wait_event, a.query,
       (SELECT string_agg(DISTINCT l.locktype || coalesce(':' || l.relation::regclass::text, ''), ',')
          FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted) AS waiting_for
FROM pg_stat_activity a
WHERE a.application_name = '{APP}' AND a.state = 'active' AND a.pid <> pg_backend_pid()
"""
TABLE = re.compile(r"\b(?:UPDATE|INSERT INTO|DELETE FROM|FROM)\s+([a-z_]+)", re.I)


def statement_of(query: str) -> str:
    """ "UPDATE audit_head", "INSERT INTO decisions" ...: what a waiting statement writes."""
    m = TABLE.search(query or "")
    verb = (query or "?").split(None, 1)[0].upper()
    return f"{verb} {m.group(1)}" if m else verb


def run(
    url: str, workers: int, seconds: float, listings: int, *, sharded: bool, own_chains: bool
) -> dict[str, Any]:
    import tempfile

    import sqlalchemy as sa

    from moderator_app.services.workstation import open_workstation

    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    target = schema_url(url, schema)
    try:
        ws = open_workstation(target)  # an empty database: the schema is made
        try:
            src = generate_jsonl(OUT / f"team-{listings}.jsonl", listings, seed=7)
            t = time.perf_counter()
            ws.importer.import_file(src)
            import_s = time.perf_counter() - t
            counts = sorted(ws.review.queue_counts(), key=lambda c: -c.pending)
            queue, pending = counts[0].queue, counts[0].pending
        finally:
            ws.close()
        if not sharded:  # every connection writes the queue's one row, as migration 0005 had it
            with admin.connect() as conn:
                conn.exec_driver_sql(f'SET search_path = "{schema}"')
                body = conn.exec_driver_sql(
                    "SELECT pg_get_functiondef('review_items_count'::regproc)"
                ).scalar()
                conn.exec_driver_sql(body.replace("pg_backend_pid() % 64", "0"))
                conn.exec_driver_sql(
                    "UPDATE queue_counters SET open_items = t.n FROM (SELECT queue, sum(open_items) AS n "
                    "FROM queue_counters GROUP BY queue) t WHERE queue_counters.queue = t.queue AND shard = 0"
                )
                conn.exec_driver_sql("DELETE FROM queue_counters WHERE shard <> 0")
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        go = ctx.Event()
        configs = tempfile.mkdtemp(prefix="bench-team-")
        procs = [
            ctx.Process(
                target=worker,
                args=(target, n, queue, go, seconds, out, f"{configs}/ws{n if own_chains else 0}"),
            )
            for n in range(workers)
        ]
        for p in procs:
            p.start()
        for _ in procs:  # every workstation started and connected
            assert out.get(timeout=300) == "ready"
        start_at = time.time()
        go.set()
        waits: Counter[str] = Counter()
        on: Counter[str] = Counter()
        samples = active = 0
        time.sleep(1.0)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'SET search_path = "{schema}"')
            stop = start_at + seconds - 1.0
            while time.time() < stop:
                rows = conn.exec_driver_sql(SAMPLE_WAITS).all()
                samples += 1
                active += len(rows)
                for wtype, wevent, query, waiting_for in rows:
                    if wtype in (None, "CPU"):
                        continue
                    waits[f"{wtype}:{wevent}"] += 1
                    if wtype == "Lock":
                        on[f"{statement_of(query)} ({waiting_for or wevent})"] += 1
                time.sleep(0.1)
        results = [out.get(timeout=seconds + 120) for _ in procs]
        for p in procs:
            p.join(timeout=30)
        with admin.connect() as conn:
            shards = conn.exec_driver_sql(
                f'SELECT count(*) FROM "{schema}".queue_counters WHERE queue = %s', (queue,)
            ).scalar()
            chains = conn.exec_driver_sql(
                f'SELECT count(DISTINCT origin) FROM "{schema}".audit_events WHERE action = %s', ("decide",)
            ).scalar()
        claim = [x for r in results for x in r["claim"]]
        decide = [x for r in results for x in r["decide"]]
        failed: Counter[str] = Counter()
        for r in results:
            failed.update(r["failed"])
        return {
            "sharded": sharded,
            "own_chains": own_chains,
            "chains": chains,
            "import_s": import_s,
            "listings": listings,
            "queue": queue,
            "pending": pending,
            "decisions": len(decide),
            "rate": len(decide) / seconds,
            "claim": percentiles(claim),
            "decide": percentiles(decide),
            "failed": dict(failed),
            "samples": samples,
            "active_per_sample": active / max(samples, 1),
            "waits": waits.most_common(6),
            "lock_waits_on": on.most_common(6),
            "counter_rows": shards,
        }
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def describe(r: dict[str, Any], seconds: float) -> str:
    d, c = r["decide"], r["claim"]
    lines = [
        f"- decide: p50 {d['p50']:.1f} ms, p95 {d['p95']:.1f} ms, p99 {d['p99']:.1f} ms "
        f"(max {d['max']:.0f} ms); claim next: p50 {c['p50']:.1f} ms, p95 {c['p95']:.1f} ms",
        f"- {r['decisions']} decisions in {seconds:.0f} s: **{r['rate']:.1f} decisions/s** for the team; "
        f"failed decisions: {r['failed'] or 'none'}; counter rows of the queue at the end: {r['counter_rows']}; "
        f"audit chains the decisions went to: {r.get('chains', '?')}",
        f"- {r['samples']} samples of pg_stat_activity: on average {r['active_per_sample']:.1f} of the "
        "workstations' connections busy; what they were waiting on (samples):",
    ]
    lines += [f"  - {name}: {n}" for name, n in r["waits"]] or ["  - nothing"]
    if r["lock_waits_on"]:
        lines.append("- the statements waiting on a lock, and the lock (pg_locks, not granted):")
        lines += [f"  - {name}: {n}" for name, n in r["lock_waits_on"]]
    return "\n".join(lines)


def _counter_waits(r: dict[str, Any]) -> int:
    """Lock-wait samples of statements that write the queue counters: closing or opening an item (an
    UPDATE or INSERT of review_items, whose trigger writes queue_counters) or queue_counters itself."""
    return sum(
        n
        for name, n in r["lock_waits_on"]
        if name.split(" (")[0] in ("UPDATE review_items", "INSERT review_items") or "queue_counters" in name
    )


def _head_waits(r: dict[str, Any]) -> int:
    """Lock-wait samples of statements on an audit chain's head row (``audit_origins``, before migration
    0008 ``audit_head``)."""
    return sum(n for name, n in r["lock_waits_on"] if "audit_origins" in name or "audit_head" in name)


def verdict(new: dict[str, Any], shared: dict[str, Any], one_row: dict[str, Any], workers: int) -> str:
    """Worked out from the figures, so it cannot say more than they do."""
    top = new["lock_waits_on"][0][0] if new["lock_waits_on"] else "nothing"
    return (
        f"Lock-wait samples on an audit head row: {_head_waits(new)} as shipped, {_head_waits(shared)} with one "
        f"shared chain. Lock-wait samples of statements writing the queue counters: {_counter_waits(new)} in "
        f"shards, {_counter_waits(one_row)} with one row. Decide p50 / p95: {new['decide']['p50']:.0f} / "
        f"{new['decide']['p95']:.0f} ms as shipped, {shared['decide']['p50']:.0f} / "
        f"{shared['decide']['p95']:.0f} ms with one shared chain, {one_row['decide']['p50']:.0f} / "
        f"{one_row['decide']['p95']:.0f} ms with one counter row; throughput {new['rate']:.1f}, "
        f"{shared['rate']:.1f} and {one_row['rate']:.1f} decisions/s. The most frequent lock wait left as "
        f"shipped: {top}. As shipped, on average {new['active_per_sample']:.1f} of the {workers} connections "
        f"were busy in the database at a time: the rest of each decision's time was its process's own "
        f"Python, {workers} processes sharing {os.cpu_count()} cores (this machine), so the latencies here "
        "measure the share of CPU each workstation gets, not waits in the database; on separate machines "
        "each workstation has its own CPU (the single-process figures are in \"Decision path (claim + decide)\")."
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=os.environ.get("MODERATOR_BENCH_PG_URL", DEFAULT_URL))
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--listings", type=int, default=12000)
    ap.add_argument("--from-json", type=Path, help="write the section again from a saved run")
    a = ap.parse_args()
    if a.from_json:
        saved = json.loads(a.from_json.read_text())
    else:
        load_before = os.getloadavg()
        runs = [
            run(a.url, a.workers, a.seconds, a.listings, sharded=sharded, own_chains=own)
            for sharded, own in ((True, True), (True, False), (False, True))
        ]
        load_after = os.getloadavg()
        import sqlalchemy as sa

        eng = sa.create_engine(a.url)
        with eng.connect() as conn:
            server = conn.exec_driver_sql("SHOW server_version").scalar()
        eng.dispose()
        saved = {
            "runs": runs,
            "load_before": load_before,
            "load_after": load_after,
            "server": server,
            "machine": machine_description(),
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "workers": a.workers,
            "seconds": a.seconds,
        }
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "team-pg.json").write_text(json.dumps(saved, indent=1))
    runs, load_before, load_after = saved["runs"], saved["load_before"], saved["load_after"]
    server, a.workers, a.seconds = saved["server"], saved["workers"], saved["seconds"]
    new, shared, one_row = runs
    text = f"""{SECTION}

Measured by `python benchmarks/bench_team_pg.py --workers {a.workers} --seconds {a.seconds:.0f}` on
{saved["when"]}, PostgreSQL {server} on the same machine (the section is written again from
benchmarks/out/team-pg.json by `--from-json`). Machine: {saved["machine"]}. Load average (1, 5, 15 min) before: {", ".join(f"{x:.1f}" for x in load_before)};
after: {", ".join(f"{x:.1f}" for x in load_after)} (a shared machine: other work ran at the same time, so the
figures are lower bounds; compare the runs with each other).

{a.workers} workstation processes claim and decide in the same queue (`{new["queue"]}`, {new["pending"]} open
items of {new["listings"]} imported listings, import {new["import_s"]:.1f} s) for {a.seconds:.0f} s, through the
services (the claim with `FOR UPDATE SKIP LOCKED`, the decision with its statement of reasons, strike, outbox,
audit event and quality sample in one transaction).

As shipped: each workstation appends to its own audit chain (migration 0008: one head row per origin in
`audit_origins`), queue counters in shards (migration 0007: each connection writes row `pg_backend_pid() % 64`):

{describe(new, a.seconds)}

For comparison, one shared audit chain (all workstations with one identity, so every audited write locks one
head row, as the single `audit_head` row did before migration 0008; the same code otherwise):

{describe(shared, a.seconds)}

For comparison, one counter row per queue (as migration 0005 had it; audit chains as shipped):

{describe(one_row, a.seconds)}

Reading: a `Lock:transactionid` or `Lock:tuple` wait is a transaction waiting for another to commit a row
both write. {verdict(new, shared, one_row, a.workers)}
"""
    write_section(SECTION, text)
    print(text)


if __name__ == "__main__":
    main()
