"""The countries demo traders come from: addresses, phone and trade register formats, what they sell.

The countries themselves are data: ``data/countries.json``. Phone numbers use ranges reserved for
fiction where a country has one (UK 07700 900xxx, France 06 39 98 xx xx, US 555-01xx) and a 555 block
elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderator_app.demo import product as k
from moderator_app.demo.data_files import frozen, read


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    lang: str
    weight: int
    currency: str
    rate: float  # EUR -> currency
    suffixes: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (postcode, city)
    streets: tuple[str, ...]
    phone: str  # "#" becomes a random digit
    register: str  # trade register number pattern, "#" a digit
    names: tuple[str, ...]  # surnames or name stems
    firsts: tuple[str, ...]
    kinds: tuple[str, ...]  # what its traders tend to sell


def load_countries() -> tuple[Country, ...]:
    """The countries in ``data/countries.json``, in file order (the first traders take them in turn)."""
    out = []
    for i, record in enumerate(read("countries.json")["countries"]):
        country = Country(**frozen(record))
        unknown = [x for x in country.kinds if x not in k.KINDS]
        if unknown:
            raise ValueError(f"demo data countries.json [{i}] {country.code}: unknown kind(s) {unknown}")
        out.append(country)
    return tuple(out)


COUNTRIES = load_countries()
