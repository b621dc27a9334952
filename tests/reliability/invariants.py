"""What must hold in a database after any number of crashed workstations: recounted row by row."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from moderator_app.domain.enums import Action, ItemState
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm

VIOLATIONS = {Action.REMOVE.value, Action.RESTRICT.value}


def acknowledged(lines: Iterable[str]) -> tuple[dict[int, int], set[int]]:
    """From a workstation driver's output: decision id -> item id, and the undone decision ids."""
    decided: dict[int, int] = {}
    undone: set[int] = set()
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "decided":
            decided[int(parts[1])] = int(parts[2])
        elif len(parts) == 2 and parts[0] == "undone":
            undone.add(int(parts[1]))
    return decided, undone


def lost_acknowledged(ws: Workstation, decided: dict[int, int], undone: set[int]) -> list[str]:
    """Acknowledged changes the database does not hold."""
    with ws.db.read() as s:
        rows = {
            d.id: (d.item_id, d.undone_at is not None)
            for d in s.scalars(select(orm.Decision).where(orm.Decision.id.in_(list(decided) or [-1])))
        }
    problems = []
    for decision_id, item_id in sorted(decided.items()):
        row = rows.get(decision_id)
        if row is None:
            problems.append(f"acknowledged decision {decision_id} is missing")
        elif row[0] != item_id:
            problems.append(f"decision {decision_id} is on item {row[0]}, acknowledged on {item_id}")
        elif decision_id in undone and not row[1]:
            problems.append(f"acknowledged undo of decision {decision_id} is missing")
    return problems


def drift(ws: Workstation) -> list[str]:
    """Everything stored that summarises other rows, compared with a recount of those rows."""
    problems: list[str] = []
    with ws.db.read() as s:
        decisions = s.scalars(select(orm.Decision)).all()
        items = s.scalars(select(orm.ReviewItem)).all()
        strikes = s.scalars(select(orm.Strike)).all()
        traders = s.scalars(select(orm.Trader)).all()
        counters = dict(s.execute(select(orm.QueueCounter.queue, orm.QueueCounter.open_items)).tuples().all())

        live_per_item = Counter(d.item_id for d in decisions if d.undone_at is None)
        for item_id, n in live_per_item.items():
            if n > 1:
                problems.append(f"item {item_id} has {n} standing decisions")
        for item in items:
            standing = live_per_item.get(item.id, 0)
            if item.state == ItemState.DECIDED.value and standing != 1:
                problems.append(f"item {item.id} is decided with {standing} standing decisions")
            if item.state == ItemState.OPEN.value and standing != 0:
                problems.append(f"item {item.id} is open with a standing decision")

        open_per_queue = Counter(i.queue for i in items if i.state == ItemState.OPEN.value)
        for queue in set(open_per_queue) | {q for q, n in counters.items() if n}:
            if counters.get(queue, 0) != open_per_queue.get(queue, 0):
                problems.append(
                    f"queue {queue}: counter says {counters.get(queue, 0)} open, "
                    f"the items say {open_per_queue.get(queue, 0)}"
                )

        strike_of = {st.decision_id: st for st in strikes}
        recount: dict[int, Counter[str]] = defaultdict(Counter)
        for d in decisions:
            wants = (
                "violation"
                if d.action in VIOLATIONS
                else "warning"
                if d.action == Action.WARN.value
                else None
            )
            st = strike_of.get(d.id)
            if wants is None:
                if st is not None:
                    problems.append(f"decision {d.id} ({d.action}) has a strike")
                continue
            if st is None or st.kind != wants:
                problems.append(f"decision {d.id} ({d.action}) lacks its {wants} strike")
            elif (st.revoked_at is None) != (d.undone_at is None):
                problems.append(
                    f"decision {d.id}: undone={d.undone_at is not None}, strike revoked={st.revoked_at}"
                )
            if d.undone_at is None:
                recount[d.trader_id][wants] += 1
        for t in traders:
            counted = (recount[t.id]["violation"], recount[t.id]["warning"])
            if (t.violations_total, t.warnings_total) != counted:
                problems.append(
                    f"trader {t.external_id}: stored {t.violations_total} violations / {t.warnings_total} "
                    f"warnings, the decisions say {counted[0]} / {counted[1]}"
                )
        return problems
