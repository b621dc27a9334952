"""Validation of import lines: a decoded JSON object becomes a record, or one plain sentence why not.

Plain Python, no schema library, so every bad record gets a reason a person can act on ("missing
required field 'title'") instead of a traceback. What needs the database (is the trader known? is the
listing already there?) is checked by the import service. The format is docs/import-format.md.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from moderator_app.domain.enums import FlagSource, PolicyCategory, TraderKind, TraderStatus
from moderator_app.domain.imports.imports import FlagRecord, ListingRecord, Record, TraderRecord
from moderator_app.domain.review.model import currency_exponent
from moderator_app.domain.review.work import internal_queue_problem
from moderator_app.domain.text_safety import IdentifierError, normalise_identifier

MAX_ID = 100
MAX_FLAG_ID = 90  # stored as "id:<id>" in a 100-character de-duplication key
MAX_NAME = 300
MAX_SHORT = 100
MAX_QUEUE = 64
MAX_PRIORITY = 1_000_000
MAX_PRICE_MINOR = 10**15
# Untrusted free text has limits too (docs/import-format.md): a 10 MB title froze the window.
MAX_TITLE = 1_000
MAX_DESCRIPTION = 20_000
MAX_EXPLANATION = 5_000
MAX_ADDRESS = 1_000
MAX_URL = 2_048
MAX_IMAGE_PATH = 1_024
MAX_IMAGES = 20
MAX_FLAGS = 20
MAX_LINE_BYTES = 1024 * 1024
"""A longer line is rejected without being read whole (the largest valid line is well below it)."""

_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")

E = TypeVar("E", FlagSource, PolicyCategory, TraderKind, TraderStatus)

_MEMBERS: dict[type, dict[str, Any]] = {
    e: {m.value: m for m in e} for e in (FlagSource, PolicyCategory, TraderKind, TraderStatus)
}


class RecordError(ValueError):
    """One record is unusable; the message says why in plain words."""


def json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _text(
    obj: dict[str, Any],
    key: str,
    where: str,
    *,
    required: bool = False,
    max_len: int = 0,
    strip: bool = True,
) -> str | None:
    value = obj.get(key)
    if value.__class__ is str:  # the common case first: imports of 100,000s of lines run through here
        if strip:
            value = value.strip()
        if value and (not max_len or len(value) <= max_len):
            return value
    if value is None:
        if required:
            raise RecordError(f"missing required field '{where}{key}'")
        return None
    if type(value) is not str:
        raise RecordError(f"field '{where}{key}' must be a string, not {json_kind(value)}")
    if not value:
        if required:
            raise RecordError(f"field '{where}{key}' is empty")
        return None
    raise RecordError(f"field '{where}{key}' is longer than {max_len} characters")


def _required(obj: dict[str, Any], key: str, where: str, max_len: int = 0) -> str:
    value = _text(obj, key, where, required=True, max_len=max_len)
    assert value is not None
    return value


def _identifier(
    obj: dict[str, Any], key: str, where: str, max_len: int, *, required: bool = True
) -> str | None:
    """An id or a queue name: NFC, and no format characters (look-alikes of other ids)."""
    value = _text(obj, key, where, required=required, max_len=max_len)
    if value is None:
        return None
    try:
        value = normalise_identifier(value)
    except IdentifierError as exc:
        raise RecordError(f"field '{where}{key}' {exc}") from None
    if len(value) > max_len:  # NFC can lengthen a few scripts' texts
        raise RecordError(f"field '{where}{key}' is longer than {max_len} characters")
    return value


def _required_id(obj: dict[str, Any], key: str, where: str, max_len: int) -> str:
    value = _identifier(obj, key, where, max_len)
    assert value is not None
    return value


def _choice(obj: dict[str, Any], key: str, where: str, enum: type[E], default: E | None = None) -> E:
    value = _text(obj, key, where, required=default is None)
    if value is None:
        assert default is not None
        return default
    member = _MEMBERS[enum].get(value)
    if member is None:
        allowed = ", ".join(m.value for m in enum)
        raise RecordError(f"field '{where}{key}' must be one of {allowed} (got '{value[:40]}')")
    return member  # type: ignore[no-any-return]


def parse_datetime(value: str) -> datetime:
    """ISO 8601; a time without offset is UTC. Raises ValueError."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is UTC:
        return parsed
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _datetime(obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> datetime | None:
    value = obj.get(key)
    if value.__class__ is str:  # fast path: a well-formed time, usually in UTC already
        try:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is UTC:
                return parsed
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            pass  # the careful way below says why
    value = _text(obj, key, where, required=required)
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except OverflowError:
        raise RecordError(
            f"field '{where}{key}' is outside the years 1 to 9999 once converted to UTC: '{value[:40]}'"
        ) from None
    except ValueError:
        raise RecordError(f"field '{where}{key}' is not an ISO 8601 date and time: '{value[:40]}'") from None


def ean13_check_digit(first12: str) -> int:
    digits = first12.encode("ascii")
    total = sum(digits[0::2]) + 3 * sum(digits[1::2]) - 4 * 48 * 6  # ord("0") == 48, 6 + 3 * 6
    return (10 - total % 10) % 10


def _ean(obj: dict[str, Any]) -> str | None:
    value = _text(obj, "ean", "")
    if value is None:
        return None
    if len(value) != 13 or not value.isascii() or not value.isdigit():  # isdigit alone admits "²"
        raise RecordError(f"field 'ean' must be 13 digits (got '{value[:40]}')")
    expected = ean13_check_digit(value[:12])
    if int(value[12]) != expected:
        raise RecordError(
            f"field 'ean' has a wrong check digit: '{value}' (the last digit should be {expected})"
        )
    return value


_PRICE_2 = re.compile(r"(\d{1,13})\.(\d\d)")


def parse_price(raw: object, currency: str) -> int:
    """A decimal price (string or number) in minor units of ``currency``. Raises RecordError."""
    if raw.__class__ is str and (m := _PRICE_2.fullmatch(raw)) and currency_exponent(currency) == 2:
        return int(m[1]) * 100 + int(m[2])  # "24.90": the usual case, without Decimal
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal | float):
        raise RecordError(f"field 'price' must be a decimal number or a string, not {json_kind(raw)}")
    try:
        amount = Decimal(raw.strip()) if isinstance(raw, str) else Decimal(str(raw))
    except InvalidOperation:
        raise RecordError(f"field 'price' is not a decimal number: '{str(raw)[:40]}'") from None
    if not amount.is_finite():
        raise RecordError(f"field 'price' is not a decimal number: '{str(raw)[:40]}'")
    if amount < 0:
        raise RecordError(f"field 'price' must not be negative (got {str(raw)[:40]})")
    exp = currency_exponent(currency)
    minor = amount.scaleb(exp)
    if minor != minor.to_integral_value():
        raise RecordError(f"field 'price' has more than {exp} decimals for {currency} (got {str(raw)[:40]})")
    if minor >= MAX_PRICE_MINOR:
        raise RecordError(f"field 'price' is implausibly large (got {str(raw)[:40]})")
    return int(minor)


def parse_trader(obj: dict[str, Any], where: str = "") -> TraderRecord:
    status = _choice(obj, "status", where, TraderStatus, TraderStatus.ACTIVE)
    suspended_until = _datetime(obj, "suspended_until", where)
    if suspended_until is not None and status is not TraderStatus.SUSPENDED:
        raise RecordError(f"field '{where}suspended_until' is only allowed with status 'suspended'")
    country = _text(obj, "country", where)
    if country is not None:
        country = country.upper()
        if not _COUNTRY.fullmatch(country):
            raise RecordError(
                f"field '{where}country' must be a two-letter ISO 3166 code (got '{country[:40]}')"
            )
    return TraderRecord(
        external_id=_required_id(obj, "id", where, MAX_ID),
        display_name=_required(obj, "name", where, MAX_NAME),
        kind=_choice(obj, "kind", where, TraderKind),
        legal_name=_text(obj, "legal_name", where, max_len=MAX_NAME),
        address=_text(obj, "address", where, max_len=MAX_ADDRESS),
        email=_text(obj, "email", where, max_len=MAX_NAME),
        phone=_text(obj, "phone", where, max_len=MAX_SHORT),
        trade_register_number=_text(obj, "trade_register_number", where, max_len=MAX_SHORT),
        country=country,
        status=status,
        suspended_until=suspended_until,
    )


_SOURCES: dict[str, FlagSource] = _MEMBERS[FlagSource]
_CATEGORIES: dict[str, PolicyCategory] = _MEMBERS[PolicyCategory]


def parse_flag(obj: object, where: str) -> FlagRecord:
    if obj.__class__ is not dict:
        raise RecordError(f"'{where[:-1]}' must be an object, not {json_kind(obj)}")
    assert isinstance(obj, dict)
    get = obj.get
    # Fast paths for the usual exact values; anything else takes the careful way (and its message).
    raw = get("source")
    source = _SOURCES.get(raw) if raw.__class__ is str else None
    if source is None:
        source = _choice(obj, "source", where, FlagSource)
    raw = get("category")
    category = _CATEGORIES.get(raw) if raw.__class__ is str else None
    if category is None:
        category = _choice(obj, "category", where, PolicyCategory)
    received_at = _datetime(obj, "received_at", where, required=True)
    assert received_at is not None
    explanation = get("explanation")
    if explanation.__class__ is not str or len(explanation) > MAX_EXPLANATION:
        explanation = _text(obj, "explanation", where, strip=False, max_len=MAX_EXPLANATION) or ""
    notifier = _text(obj, "notifier", where, max_len=MAX_NAME)
    notifier_email = (
        _text(obj, "notifier_email", where, max_len=MAX_NAME) if "notifier_email" in obj else None
    )
    notice_id = _identifier(obj, "id", where, MAX_FLAG_ID, required=False) if "id" in obj else None
    if notice_id is not None:
        key = "id:" + notice_id
    else:
        content = f"{source._value_}\x1f{notifier or ''}\x1f{category._value_}\x1f{received_at.isoformat()}\x1f{explanation}"
        key = "c:" + hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return FlagRecord(key, source, category, received_at, explanation, notifier, notifier_email)


def _list(obj: dict[str, Any], key: str, max_items: int) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"field '{key}' must be a list, not {json_kind(value)}")
    if len(value) > max_items:
        raise RecordError(f"field '{key}' has more than {max_items} entries ({len(value)})")
    return value


_FLAG_PREFIXES = tuple(f"flags[{i}]." for i in range(8))


def parse_listing(obj: dict[str, Any]) -> ListingRecord:
    external_id = _required_id(obj, "id", "", MAX_ID)
    raw_trader = obj.get("trader")
    inline: TraderRecord | None = None
    if isinstance(raw_trader, dict):
        inline = parse_trader(raw_trader, "trader.")
        trader_ref = inline.external_id
    else:
        trader_ref = _required_id(obj, "trader", "", MAX_ID)
    created_at = _datetime(obj, "created_at", "", required=True)
    assert created_at is not None
    currency = _text(obj, "currency", "")
    if currency is not None:
        currency = currency.upper()
        if not _CURRENCY.fullmatch(currency):
            raise RecordError(
                f"field 'currency' must be a three-letter ISO 4217 code (got '{currency[:40]}')"
            )
    price_minor = None
    if obj.get("price") is not None:
        if currency is None:
            raise RecordError("field 'price' needs a 'currency'")
        price_minor = parse_price(obj["price"], currency)
    url = _text(obj, "url", "", max_len=MAX_URL)
    if url is not None and not url.lower().startswith(("http://", "https://")):
        raise RecordError(f"field 'url' must be an http:// or https:// address (got '{url[:60]}')")
    images: list[str] = []
    for i, path in enumerate(_list(obj, "images", MAX_IMAGES) if "images" in obj else ()):
        if not isinstance(path, str) or not path.strip():
            raise RecordError(f"'images[{i}]' must be a file path (a string), not {json_kind(path)}")
        if len(path) > MAX_IMAGE_PATH:
            raise RecordError(f"'images[{i}]' is longer than {MAX_IMAGE_PATH} characters")
        images.append(path.strip())
    flags: dict[str, FlagRecord] = {}
    for i, raw_flag in enumerate(_list(obj, "flags", MAX_FLAGS)):
        flag = parse_flag(raw_flag, _FLAG_PREFIXES[i] if i < len(_FLAG_PREFIXES) else f"flags[{i}].")
        flags.setdefault(flag.dedup_key, flag)  # the same notice twice in one record counts once
    priority = obj.get("priority")
    if priority is not None and (type(priority) is not int or abs(priority) > MAX_PRIORITY):
        raise RecordError(
            f"field 'priority' must be a whole number between -{MAX_PRIORITY} and {MAX_PRIORITY}"
        )
    return ListingRecord(
        external_id,
        trader_ref,
        _required(obj, "title", "", MAX_TITLE),
        _required(obj, "category", "", MAX_SHORT),
        created_at,
        inline,
        _text(obj, "description", "", strip=False, max_len=MAX_DESCRIPTION) or "",
        price_minor,
        currency,
        url,
        _ean(obj) if "ean" in obj else None,
        tuple(images),
        tuple(flags.values()),
        _queue(obj) if "queue" in obj else None,
        priority,
    )


def _queue(obj: dict[str, Any]) -> str | None:
    """An explicit queue, never one of the workstation's internal queues (issue 9)."""
    queue = _identifier(obj, "queue", "", MAX_QUEUE, required=False)  # NFC, no format characters
    problem = internal_queue_problem(queue) if queue else None
    if problem:
        raise RecordError(problem)
    return queue


def _check_strings(value: object) -> None:
    """PostgreSQL refuses NUL characters and neither database stores lone surrogates: say so plainly."""
    if isinstance(value, str):
        if "\x00" in value:
            raise RecordError("a text contains a NUL character (\\u0000)")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RecordError("a text contains an invalid \\u escape (a lone surrogate)") from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_strings(k)
            _check_strings(v)
    elif isinstance(value, list):
        for v in value:
            _check_strings(v)


def parse_record(obj: object, raw_line: str = "") -> Record:
    """Validate one decoded JSON line. Raises :class:`RecordError` with the reason."""
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object, got {json_kind(obj)}")
    if "\\u" in raw_line:  # NULs and lone surrogates can only come in through escapes
        _check_strings(obj)
    kind = obj.get("record", "listing")
    if kind == "listing":
        return parse_listing(obj)
    if kind == "trader":
        return parse_trader(obj)
    raise RecordError(f"field 'record' must be 'trader' or 'listing' (got {str(kind)[:40]!r})")
