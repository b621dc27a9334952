"""The deterministic demo data set: traders, listings with flags, image specs and the decision history
of the repeat offenders, as plain import records (docs/import-format.md).

Every random choice comes from ``random.Random`` streams seeded from ``seed``; every time is relative
to ``anchor``. The same arguments give the same records, byte for byte once written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from moderator_app.demo import product as k
from moderator_app.demo.listings import ListingFactory, Special
from moderator_app.demo.product import Product, load_products
from moderator_app.demo.spec import NOT_IMAGE, TRUNCATED, ImageSpec
from moderator_app.demo.traders import DemoTrader, make_traders
from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory
from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.review.policy import default_ground

TRADERS_JOINED_DAYS = 500
CURRENT_DAYS = 30
"""Today's listings went online in the last 30 days; the history is older, so it is all in place
before they are flagged (and their items get the repeat-offender priority)."""
MIN_LISTINGS = 40
MIN_TRADERS = 12
REVIEWERS = ("a.moreau", "k.nowak", "j.schmidt", "l.rossi", "m.jansen", "s.garcia")
GRAVE = (
    k.COUNTERFEIT_SHOE,
    k.COUNTERFEIT_BAG,
    k.COUNTERFEIT_CLOTHING,
    k.UNSAFE_TOY,
    k.UNSAFE_ELECTRICAL,
    k.ILLEGAL_MEDICINE,
    k.UNAPPROVED_SUPPLEMENT,
    k.HIDDEN_LINK,
)
REASONS: dict[PolicyCategory, str] = {
    PolicyCategory.COUNTERFEIT: "Counterfeit goods: the trade mark is used without the holder's consent "
    "(packaging and labels differ from genuine goods).",
    PolicyCategory.UNSAFE_TOY: "Toy does not meet the toy safety rules: no valid CE marking, small parts or "
    "magnets accessible to young children.",
    PolicyCategory.UNSAFE_ELECTRICAL: "Mains electrical product without valid CE marking or manufacturer "
    "details; risk of electric shock and fire.",
    PolicyCategory.ILLEGAL_MEDICINE: "Prescription-only or unauthorised medicinal product offered to the public.",
    PolicyCategory.UNAPPROVED_SUPPLEMENT: "Food supplement with a banned substance or unauthorised health claims.",
    PolicyCategory.HIDDEN_LINK: "The listing sends buyers to contact and pay outside the marketplace "
    "(terms of service, section 4.2).",
}


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """A decision the demo records in the past, so repeat offenders have a real record."""

    listing: str
    trader: str
    action: Action
    category: PolicyCategory
    ground: Ground
    explanation: str
    reviewer: str
    flagged_at: datetime  # the last flag: when its review item opened
    claimed_at: datetime
    decided_at: datetime


@dataclass
class DemoCatalog:
    seed: int
    anchor: datetime
    traders: list[dict[str, object]] = field(default_factory=list)
    listings: list[dict[str, object]] = field(default_factory=list)
    images: list[ImageSpec] = field(default_factory=list)
    history: list[HistoryStep] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # listing id -> scenario kind
    repeat_offenders: list[str] = field(default_factory=list)  # trader ids

    @property
    def records(self) -> list[dict[str, object]]:
        return [*self.traders, *self.listings]

    @property
    def joined_at(self) -> datetime:
        """When the demo traders joined the marketplace: before anything in their history."""
        return self.anchor - timedelta(days=TRADERS_JOINED_DAYS)


def default_anchor(now: datetime) -> datetime:
    """Midnight UTC of ``now``: the demo's times are relative to it."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def make_catalog(
    *, listings: int = 360, traders: int = 48, seed: int = 2025, anchor: datetime
) -> DemoCatalog:
    if listings < MIN_LISTINGS or traders < MIN_TRADERS:
        raise InvalidInput(f"the demo needs at least {MIN_LISTINGS} listings and {MIN_TRADERS} traders")
    if anchor.tzinfo is None:
        raise InvalidInput("the demo anchor time needs a time zone")
    anchor = anchor.astimezone(UTC)
    catalog = DemoCatalog(seed=seed, anchor=anchor)
    people = make_traders(random.Random(f"{seed}:traders"), traders)
    kinds_of = _assign_kinds(people, random.Random(f"{seed}:kinds"))
    catalog.traders = [t.record for t in people]
    pools: dict[str, tuple[Product, ...]] = load_products()
    factory = ListingFactory(random.Random(f"{seed}:listings"), anchor, pools)
    plan_rng = random.Random(f"{seed}:history")
    number = 0

    def add(
        kind: str,
        trader: DemoTrader,
        created: datetime,
        until: datetime,
        source: FlagSource | None = None,
        special: Special | None = None,
    ) -> tuple[str, PolicyCategory]:
        nonlocal number
        number += 1
        record, specs, category = factory.build(
            number, kind, trader, created, until, forced_source=source, special=special
        )
        catalog.listings.append(record)
        catalog.images.extend(specs)
        catalog.kinds[str(record["id"])] = kind
        return str(record["id"]), category

    offenders = _pick_offenders(people, kinds_of, plan_rng, listings)
    catalog.repeat_offenders = [str(t.record["id"]) for t in offenders[0]]
    for trader, days_ago, action in _history_plan(offenders, plan_rng):
        kind = plan_rng.choice([x for x in kinds_of[_tid(trader)] if x in GRAVE] or [k.COUNTERFEIT_SHOE])
        decided = (
            anchor
            - timedelta(days=days_ago)
            + timedelta(hours=plan_rng.randint(8, 17), minutes=plan_rng.randint(0, 59))
        )
        created = decided - timedelta(days=plan_rng.randint(3, 25), minutes=plan_rng.randint(0, 600))
        lid, category = add(kind, trader, created, decided - timedelta(hours=2))
        flagged = max(flag_times(catalog.listings[-1]))
        why = REASONS.get(category, "The listing breaches the marketplace rules.")
        if action is Action.WARN:
            why = f"Warning: {why[0].lower()}{why[1:]} Further violations lead to suspension of the account."
        catalog.history.append(
            HistoryStep(
                lid,
                _tid(trader),
                action,
                category,
                default_ground(category),
                why,
                plan_rng.choice(REVIEWERS),
                flagged + timedelta(minutes=1),
                decided - timedelta(minutes=plan_rng.randint(2, 9)),
                decided,
            )
        )
    current = listings - number
    by_kind: dict[str, list[DemoTrader]] = {kind: [] for kind in k.KINDS}
    for trader in people:
        for kind in kinds_of[_tid(trader)]:
            by_kind[kind].extend([trader] * (3 if trader in offenders[0] else 1))
    sources = list(FlagSource)
    for i, kind in enumerate(_schedule(current, random.Random(f"{seed}:schedule"))):
        special = _special(i)
        created = anchor - timedelta(days=factory.rng.uniform(1, CURRENT_DAYS))
        created = created.replace(second=0, microsecond=0)
        source = sources[i] if i < len(sources) else None
        add(kind, factory.rng.choice(by_kind[kind]), created, anchor - timedelta(minutes=5), source, special)
    return catalog


def flag_times(record: dict[str, object]) -> list[datetime]:
    flags = record.get("flags")
    items = flags if isinstance(flags, list) else []
    return [datetime.fromisoformat(str(f["received_at"])) for f in items]


def _tid(trader: DemoTrader) -> str:
    return str(trader.record["id"])


def _assign_kinds(people: list[DemoTrader], rng: random.Random) -> dict[str, list[str]]:
    """What each trader sells; every kind gets sellers, traceability only traders with gaps in Art 30."""
    kinds_of = {_tid(t): [x for x in t.kinds if x != k.TRACEABILITY] for t in people}
    gaps = [t for t in people if t.missing]
    for kind in k.KINDS:
        sellers = gaps if kind == k.TRACEABILITY else people
        if not sellers:
            sellers = [t for t in people if t.business]
        if kind == k.TRACEABILITY:
            for t in sellers:
                kinds_of[_tid(t)].append(kind)
        elif not any(kind in kinds_of[_tid(t)] for t in sellers):
            kinds_of[_tid(rng.choice(sellers))].append(kind)
    return kinds_of


def _pick_offenders(
    people: list[DemoTrader], kinds_of: dict[str, list[str]], rng: random.Random, listings: int
) -> tuple[list[DemoTrader], list[DemoTrader]]:
    """Repeat offenders (several recent violations), and traders with one old violation or a warning."""
    grave = [t for t in people if any(x in GRAVE for x in kinds_of[_tid(t)])]
    count = max(3, min(len(people) // 10, listings // 40))  # history stays a small part of the demo
    chosen = rng.sample(grave, min(len(grave), count + 2))
    return chosen[:count], chosen[count:]


def _history_plan(
    offenders: tuple[list[DemoTrader], list[DemoTrader]], rng: random.Random
) -> list[tuple[DemoTrader, int, Action]]:
    plan: list[tuple[DemoTrader, int, Action]] = []
    for trader in offenders[0]:
        plan += [(trader, rng.randint(CURRENT_DAYS + 2, 85), Action.REMOVE) for _ in range(rng.randint(2, 3))]
        plan += [(trader, rng.randint(100, 400), Action.REMOVE) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.5:
            plan.append((trader, rng.randint(CURRENT_DAYS + 2, 70), Action.WARN))
    for n, trader in enumerate(offenders[1]):
        plan.append(
            (trader, rng.randint(120, 300), Action.REMOVE)
            if n % 2 == 0
            else (trader, rng.randint(CURRENT_DAYS + 2, 60), Action.WARN)
        )
    plan.sort(key=lambda step: -step[1])  # oldest first: listing numbers grow with time
    return plan


def _schedule(count: int, rng: random.Random) -> list[str]:
    """Every kind once first (so even a small demo shows each), then by weight."""
    kinds = list(k.KINDS)
    weights = [k.KINDS[x][1] for x in kinds]
    first = [*kinds, k.HIDDEN_LINK, k.UNSAFE_ELECTRICAL, k.UNSAFE_TOY, k.COUNTERFEIT_BAG]
    rest = rng.choices(kinds, weights, k=max(0, count - len(first)))
    return (first + rest)[:count]


def _special(i: int) -> Special | None:
    """The listing with markup in its title, and the ones with broken image files (right after the
    first round of kinds)."""
    n = len(k.KINDS)
    if i == n:
        return Special(html_title=True)
    if i == n + 1:
        return Special(broken={2: TRUNCATED})
    if i == n + 2:
        return Special(broken={2: NOT_IMAGE})
    if i == n + 3:
        return Special(broken={1: TRUNCATED})
    return None
