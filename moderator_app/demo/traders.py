"""Demo traders: business traders with their DSA Art 30 data (some of it missing) and private sellers,
in the EU and beyond."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from moderator_app.demo import product as k
from moderator_app.demo.countries import COUNTRIES, Country

SECTOR = {
    k.UNSAFE_TOY: "Toys",
    k.UNSAFE_ELECTRICAL: "Electronics",
    k.ILLEGAL_MEDICINE: "Pharma",
    k.UNAPPROVED_SUPPLEMENT: "Vital",
    k.COUNTERFEIT_SHOE: "Fashion",
    k.COUNTERFEIT_BAG: "Leather",
    k.COUNTERFEIT_CLOTHING: "Textile",
    k.HARMLESS: "Handel",
    k.MISLEADING: "Home",
    k.PROHIBITED: "Outdoor",
    k.HIDDEN_LINK: "Trading",
    k.ADULT: "Lifestyle",
    k.OTHER: "Commerce",
    k.TRACEABILITY: "Import",
}
HANDLE_ENDS = ("84", "_shop", ".vintage", "_sells", "-outlet", "2000", "_deals", "77")
ART30 = ("legal_name", "address", "email", "phone", "trade_register_number")


def digits(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randrange(10)) if c == "#" else c for c in pattern)


@dataclass(frozen=True, slots=True)
class DemoTrader:
    record: dict[str, object]  # the import record
    country: Country
    kinds: tuple[str, ...]
    business: bool
    missing: tuple[str, ...]  # Art 30 fields left out


def make_traders(rng: random.Random, count: int) -> list[DemoTrader]:
    countries = [c for c in COUNTRIES for _ in range(c.weight)]
    traders: list[DemoTrader] = []
    names: set[str] = set()
    for i in range(count):
        country = COUNTRIES[i] if i < min(count, 12) else rng.choice(countries)
        business = i % 4 != 3
        kinds = tuple(rng.sample(country.kinds, min(len(country.kinds), rng.choice((1, 2, 2, 3)))))
        record, missing = (_business if business else _private)(rng, country, kinds, names, i)
        traders.append(DemoTrader(record, country, kinds, business, missing))
    return traders


def _business(
    rng: random.Random, country: Country, kinds: tuple[str, ...], names: set[str], i: int
) -> tuple[dict[str, object], tuple[str, ...]]:
    stem = rng.choice(country.names)
    sector = SECTOR[kinds[0]]
    city_code, city = rng.choice(country.cities)
    name = f"{stem} {sector}"
    if name in names:
        name = f"{stem} {sector} {city}"
    if name in names:
        name = f"{stem} {sector} {i}"
    names.add(name)
    legal = (
        f"{city} {name} {country.suffixes[0]}"
        if country.code == "CN"
        else f"{name} {rng.choice(country.suffixes)}"
    )
    slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:20]
    record: dict[str, object] = {
        "record": "trader",
        "id": f"DT-{1001 + i}",
        "name": name,
        "kind": "business",
        "legal_name": legal,
        "address": f"{rng.choice(country.streets)} {rng.randint(1, 180)}, {city_code} {city}, {country.code}".replace(
            ",  ", ", "
        ),
        "email": f"{rng.choice(('sales', 'info', 'service', 'shop'))}@{slug}.example",
        "phone": digits(rng, country.phone),
        "trade_register_number": digits(rng, country.register),
        "country": country.code,
    }
    missing: tuple[str, ...] = ()
    outside_eu = country.code in ("CN", "HK", "TR", "IN", "US", "AE")
    if rng.random() < (0.5 if outside_eu else 0.15):
        missing = tuple(sorted(rng.sample(ART30, rng.randint(1, 3)), key=ART30.index))
        for name_ in missing:
            record[name_] = None
    return record, missing


def _private(
    rng: random.Random, country: Country, kinds: tuple[str, ...], names: set[str], i: int
) -> tuple[dict[str, object], tuple[str, ...]]:
    first = rng.choice(country.firsts)
    handle = f"{plain(first.lower())}{rng.choice(HANDLE_ENDS)}"
    while handle in names:
        handle = f"{handle}{rng.randrange(10)}"
    names.add(handle)
    return {
        "record": "trader",
        "id": f"DT-{1001 + i}",
        "name": handle,
        "kind": "private",
        "legal_name": None,
        "address": None,
        "email": None,
        "phone": None,
        "trade_register_number": None,
        "country": country.code,
    }, ()


def plain(text: str) -> str:
    """Plain ASCII for e-mail addresses and handles ("Wiśniewska" -> "wisniewska", "O'Brien" -> "obrien")."""
    text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L").replace("ı", "i"))
    return "".join(ch for ch in text if ch.isascii() and (ch.isalnum() or ch in " .-"))
