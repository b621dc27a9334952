"""One demo listing: its import record (text, price, EAN, flags) and the specs of its photos."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from moderator_app.demo import notices
from moderator_app.demo import product as k
from moderator_app.demo.product import Product
from moderator_app.demo.spec import NOT_IMAGE, PLACEHOLDER, PRODUCT, TRUNCATED, ImageSpec
from moderator_app.demo.traders import DemoTrader, digits, plain
from moderator_app.domain.enums import FlagSource, PolicyCategory

SIZES = (
    (640, 480),
    (800, 600),
    (800, 800),
    (1024, 768),
    (1000, 1000),
    (1200, 900),
    (1280, 960),
    (1600, 1200),
)
EAN_PREFIX = {
    "DE": "40",
    "AT": "90",
    "FR": "30",
    "BE": "54",
    "PL": "590",
    "IT": "80",
    "ES": "84",
    "NL": "87",
    "CN": "69",
    "HK": "489",
    "TR": "869",
    "IN": "890",
    "GB": "50",
    "US": "0",
    "CZ": "859",
    "SE": "73",
}
CONTACT_WORDS = (
    "lux",
    "outlet",
    "kicks",
    "bags",
    "deals",
    "pharma",
    "vip",
    "eu",
    "store",
    "brand",
    "cheap",
    "shop",
)
CONTACT_LINES = {
    "en": "Cheaper outside the platform – message me: {contact}",
    "de": "Günstiger direkt bei mir: {contact}",
    "fr": "Moins cher en direct : {contact}",
    "pl": "Taniej bezpośrednio: {contact}",
    "it": "Prezzo migliore in privato: {contact}",
    "es": "Más barato fuera de la plataforma: {contact}",
}
HIDDEN_BASES = (
    k.COUNTERFEIT_SHOE,
    k.COUNTERFEIT_BAG,
    k.COUNTERFEIT_CLOTHING,
    k.UNAPPROVED_SUPPLEMENT,
    k.ILLEGAL_MEDICINE,
    k.UNSAFE_ELECTRICAL,
    k.UNSAFE_TOY,
)
ART30_WORDS = {
    "legal_name": "legal name",
    "address": "address",
    "email": "e-mail",
    "phone": "phone",
    "trade_register_number": "trade register number",
}


def ean13(rng: random.Random, prefix: str) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(12 - len(prefix)))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def contact(rng: random.Random) -> tuple[str, str]:
    """An off-platform contact as a seller prints it, and what kind it is."""
    w1, w2 = rng.sample(CONTACT_WORDS, 2)
    kind = rng.choice(("whatsapp", "whatsapp", "telegram", "wechat", "url"))
    if kind == "whatsapp":
        number = rng.choice(("+44 7700 900###", "+33 6 39 98 ## ##", "+1 202 555 01##", "+61 491 570 ###"))
        return f"WhatsApp {digits(rng, number)}", "WhatsApp number"
    if kind == "telegram":
        return f"Telegram @{w1}_{w2}{rng.randint(1, 99)}", "Telegram handle"
    if kind == "wechat":
        return f"WeChat: {w1}{w2}{rng.randint(10, 99)}", "WeChat ID"
    return f"www.{w1}-{w2}{rng.randint(1, 99)}.example", "shop URL"


@dataclass
class Special:
    """What makes a listing stand out in the demo: hostile markup or broken image files."""

    html_title: bool = False
    broken: dict[int, str] = field(default_factory=dict)  # image position -> TRUNCATED / NOT_IMAGE


@dataclass
class ListingFactory:
    rng: random.Random
    anchor: datetime
    pools: dict[str, tuple[Product, ...]]

    def build(
        self,
        number: int,
        kind: str,
        trader: DemoTrader,
        created: datetime,
        flags_until: datetime,
        *,
        forced_source: FlagSource | None = None,
        special: Special | None = None,
    ) -> tuple[dict[str, object], list[ImageSpec], PolicyCategory]:
        rng = self.rng
        lid = f"DL-{number:06d}"
        base = rng.choice(HIDDEN_BASES) if kind == k.HIDDEN_LINK else kind
        if kind == k.TRACEABILITY:
            base = rng.choice((k.HARMLESS, k.UNSAFE_ELECTRICAL, k.MISLEADING))
        item = rng.choice(self.pools[base])
        lang = trader.country.lang if trader.country.lang in item.titles else "en"
        values = {
            "brand": rng.choice(item.brands),
            "model": rng.choice(item.models),
            "size": rng.choice(item.sizes),
        }
        title = item.fill(item.titles[lang], values)
        text = item.fill(item.texts[lang], values)
        reach = (None, "") if kind != k.HIDDEN_LINK else contact(rng)
        if reach[0]:
            text += " " + CONTACT_LINES.get(lang, CONTACT_LINES["en"]).format(contact=reach[0])
        special = special or Special()
        if special.html_title:
            title = "<b>bold</b><img src=x> " + title
            text += ' <a href="https://cheap-outlet.example">Order here</a>'
        eur = rng.uniform(*item.price)
        price = self._price(eur, trader.country.currency, trader.country.rate)
        ean = ean13(rng, EAN_PREFIX.get(trader.country.code, "20")) if rng.random() < item.ean_rate else ""
        category = item.alleged if kind == k.HARMLESS and item.alleged else k.KINDS[kind][0]
        record: dict[str, object] = {
            "record": "listing",
            "id": lid,
            "trader": trader.record["id"],
            "title": title,
            "description": text,
            "price": price,
            "currency": trader.country.currency,
            "category": item.category,
            "url": f"https://marketplace.example/item/{lid}",
        }
        if ean:
            record["ean"] = ean
        record["created_at"] = iso(created)
        specs = self._images(
            lid, kind, item, values, reach[0], ean, f"{price} {trader.country.currency}", special
        )
        record["images"] = [s.path for s in specs]
        base_category = k.KINDS[base][0] if kind == k.HIDDEN_LINK else None
        record["flags"] = self._flags(
            lid, category, base_category, item, values, reach[1], trader, created, flags_until, forced_source
        )
        return record, specs, category

    def _price(self, eur: float, currency: str, rate: float) -> str:
        amount = eur * rate
        if currency == "HUF":
            return str(int(round(amount, -1)))
        return f"{int(amount)}.{self.rng.choice(('99', '90', '00', '49'))}"

    def _images(
        self,
        lid: str,
        kind: str,
        item: Product,
        values: dict[str, str],
        reach: str | None,
        ean: str,
        price: str,
        special: Special,
    ) -> list[ImageSpec]:
        rng = self.rng
        count = rng.choice((2, 2, 3))
        views = [item.views[i % len(item.views)] for i in range(count)]
        body, accent = rng.choice(item.colours)
        label = tuple(item.fill(line, values) for line in item.label)
        claims = [item.fill(c, values) for c in item.claims]
        mark = item.mark if not (item.mark == "CE_FAKE" and rng.random() < 0.3) else ""
        specs = []
        for pos, view in enumerate(views, start=1):
            width, height = rng.choice(SIZES)
            fmt = "PNG" if width <= 1200 and rng.random() < 0.3 else "JPEG"
            kind_of_file = PLACEHOLDER if kind == k.ADULT else PRODUCT
            broken = special.broken.get(pos)
            if broken:
                kind_of_file, fmt = broken, "JPEG"
            stickers = rng.sample(
                claims, min(len(claims), rng.choice((0, 1, 1, 2) if view == "product" else (0, 1)))
            )
            if reach and (view == "product" or rng.random() < 0.5):
                stickers.insert(0, reach)
            if view == "product" and rng.random() < 0.2:
                stickers.append(f"ONLY {price}")
            small = [item.fill(line, values) for line in item.small_print] or self._leaflet(
                item, values, price
            )
            if reach:
                small.append(f"Order: {reach}")
            specs.append(
                ImageSpec(
                    path=f"images/{lid}-{pos}.{'jpg' if fmt == 'JPEG' else 'png'}",
                    kind=kind_of_file,
                    view=view,
                    shape=item.shape,
                    width=width,
                    height=height,
                    fmt=fmt,
                    variation=rng.randrange(1000),
                    body=body,
                    accent=accent,
                    label=label,
                    stickers=tuple(stickers) if kind != k.ADULT else (),
                    mark=mark if view != "card" else "",
                    ean=ean if view != "product" else "",
                    small_print=tuple(small) if view == "card" else (),
                )
            )
        return specs

    def _leaflet(self, item: Product, values: dict[str, str], price: str) -> list[str]:
        """What a seller's info card says when the product template has no back label of its own."""
        title = item.fill(item.titles["en"], values)
        return [
            title,
            f"Price: {price}",
            self.rng.choice(("Fast shipping", "Ships in 24 h", "Limited stock!")),
        ]

    def _flags(
        self,
        lid: str,
        category: PolicyCategory,
        base_category: PolicyCategory | None,
        item: Product,
        values: dict[str, str],
        reach_kind: str,
        trader: DemoTrader,
        start: datetime,
        end: datetime,
        forced: FlagSource | None,
    ) -> list[dict[str, object]]:
        rng = self.rng
        harmless = item.alleged is not None
        count = rng.choice((1, 1, 1, 2, 2, 3))
        cats = [category] * count
        if base_category is not None and count > 1:
            cats[-1] = base_category
        span = max(60.0, (end - start).total_seconds() - 1800)
        times = sorted(start + timedelta(seconds=1800 + rng.uniform(0, span)) for _ in range(count))
        flags = []
        used: set[FlagSource] = set()
        for j, (cat, when) in enumerate(zip(cats, times, strict=True), start=1):
            weights = notices.HARMLESS_SOURCES if harmless else notices.SOURCE_WEIGHTS[cat]
            options = [s for s in weights if s not in used] or list(weights)
            source = forced if (forced and j == 1) else rng.choices(options, [weights[s] for s in options])[0]
            used.add(source)
            notifier, email, words = self._notice(source, cat, item, values, reach_kind, trader)
            flag: dict[str, object] = {
                "id": f"DN-{lid[3:]}-{j}",
                "source": source.value,
                "category": cat.value,
            }
            if notifier:
                flag["notifier"] = notifier
            if email:
                flag["notifier_email"] = email
            flag["explanation"] = words
            flag["received_at"] = iso(min(when, end))
            flags.append(flag)
        return flags

    def _notice(
        self,
        source: FlagSource,
        cat: PolicyCategory,
        item: Product,
        values: dict[str, str],
        reach_kind: str,
        trader: DemoTrader,
    ) -> tuple[str | None, str | None, str]:
        rng = self.rng
        year = self.anchor.strftime("%y")
        fill = {
            "brand": values["brand"] or "the brand",
            "ref": f"{rng.choice(('OR', 'TP', 'MS', 'CU'))}-20{year}-{rng.randint(100, 9999):04d}",
            "alert": f"A12/{rng.randint(100, 2999):05d}/{year}",
            "substance": item.substance or "an unauthorised substance",
            "claim": item.fill(item.claims[0], values)
            if item.claims
            else item.fill(item.titles["en"], values),
            "contact": reach_kind or "phone number",
            "score": f"0.{rng.randint(62, 99)}",
            "pct": str(rng.randint(55, 92)),
            "missing": ", ".join(ART30_WORDS[m] for m in trader.missing) or "trade register number",
            "category": cat.value.replace("_", " "),
        }
        if source is FlagSource.USER_NOTICE:
            if rng.random() < 0.1:
                return None, None, self._words(notices.USER_WORDS[cat], "en", fill)
            name, lang = rng.choice(notices.PEOPLE)
            words = self._words(notices.USER_WORDS[cat], lang, fill)
            email = ".".join(plain(part) for part in name.lower().split()) + "@example.org"
            return name, email, words
        template = notices.FORMAL.get((source, cat))
        if source is FlagSource.TRUSTED_FLAGGER:
            names = notices.TRUSTED.get(cat, notices.TRUSTED[PolicyCategory.PROHIBITED_ITEM])
            name = rng.choice(names)
            slug = "".join(ch for ch in plain(name.split(" (")[0].lower()) if ch.isalnum())[:24]
            words = template or "Notice under Art 22 DSA: the listing appears to breach the {category} rules."
            return name, f"notices@{slug}.example", self._fill(words, fill)
        if source is FlagSource.AUTHORITY_ORDER:
            name = rng.choice(notices.AUTHORITIES.get(cat, ("Digital services coordinator (IE)",)))
            words = template or "Order {ref} under Art 9 DSA: remove the listing and report the action taken."
            return name, None, self._fill(words, fill)
        if source is FlagSource.AUTOMATED:
            return notices.AUTOMATED[cat], None, self._fill(template or "Rule match (score {score}).", fill)
        return rng.choice(notices.STAFF), None, self._fill(template or notices.OWN_WORDS, fill)

    def _words(self, table: dict[str, tuple[str, ...]], lang: str, fill: dict[str, str]) -> str:
        return self._fill(self.rng.choice(table.get(lang) or table["en"]), fill)

    @staticmethod
    def _fill(template: str, values: dict[str, str]) -> str:
        for key, value in values.items():
            template = template.replace("{" + key + "}", value)
        return template


__all__ = ["NOT_IMAGE", "TRUNCATED", "ListingFactory", "Special", "ean13", "iso"]
