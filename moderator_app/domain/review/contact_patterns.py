"""Contact details hidden in listing text: web addresses, e-mail, phone numbers and messenger handles.

"Hidden links" send buyers off the platform, where the platform's protections no longer apply. The
review window highlights what this module finds; the text rules of the next issue reuse the same
patterns. Standard library only; the patterns work on plain text, line by line or on a whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ContactKind(StrEnum):
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    MESSENGER = "messenger"


@dataclass(frozen=True, slots=True)
class ContactMatch:
    kind: ContactKind
    start: int
    end: int
    text: str


_TLDS = (
    "com|net|org|info|biz|shop|store|online|site|top|xyz|io|me|co|ly|link|app|click|vip|club|"
    "de|fr|it|es|nl|be|at|ch|pl|cz|se|dk|fi|no|pt|ie|uk|eu|ru|cn|hk|tw|jp|kr|in|us|ca|au|br|tr|ua"
)
_DOT = r"(?:\.|\s{0,3}[\[\(\{]\s{0,3}(?:dot|\.)\s{0,3}[\]\)\}]\s{0,3}|\s{1,3}dot\s{1,3})"

# Every repetition that can run over the text is bounded (at most 8 labels, a 64-character e-mail local
# part, ...): unbounded ones made the search quadratic on hostile text ("a." * 10,000 took two minutes).
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.)[^\s<>\"']+"  # explicit links
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?{_DOT}){{1,8}}(?:{_TLDS})\b(?:/[^\s<>\"']*)?",  # bare domains
    re.IGNORECASE,
)
_EMAIL = re.compile(
    # "name@shop.com", and the obfuscated "name (at) shop dot com" / "name [at] shop.com"
    rf"\b[\w.+-]{{1,64}}\s*(?:@|[\[\(\{{]\s*at\s*[\]\)\}}])\s*[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{0,6}}{_DOT}[a-z]{{2,24}}\b",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}(?:[\s./-]?\(?\d{1,5}\)?){2,6}"  # international: +49 30 1234567
    r"|(?<![\w.,])0\d{1,4}(?:[\s/.-]?\d{2,}){1,4}(?![\w.,]\d)"  # national: 030 1234567, 0171-1234567
)
_MESSENGERS = (
    r"whats\s?app|wa\.me|telegram|tg|t\.me|we\s?chat|weixin|viber|signal|skype|snap(?:chat)?|"
    r"insta(?:gram)?|ig|line(?:\s?id)?|kik|discord|threema|facebook|fb|tiktok"
)
_MESSENGER = re.compile(
    # A messenger name needs a separator before the handle ("Signal light" is not a contact).
    rf"\b(?:{_MESSENGERS})\b(?:\s*(?:id)?\s*[:=]\s*@?|\s*id\s+@?|\s+@|\s*-\s*@)"
    r"(?:\+?\d[\d ()-]{5,30}\d|[A-Za-z0-9_][\w.+-]{2,64})"
    r"|(?<![\w@.])@[A-Za-z_][\w.]{2,31}\b",  # a bare @handle (not the middle of an e-mail address)
    re.IGNORECASE,
)

_PHONE_DIGITS = (7, 15)
_ORDER = (ContactKind.URL, ContactKind.EMAIL, ContactKind.MESSENGER, ContactKind.PHONE)


def _phone_ok(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]


def find_contacts(text: str) -> list[ContactMatch]:
    """Every contact detail in ``text``, in order, without overlaps.

    Where two finds overlap, the longer one wins (an e-mail address over the domain inside it, a
    "WhatsApp +49 ..." handle over the bare number); at equal length the order URL, e-mail, messenger,
    phone decides.
    """
    found: list[ContactMatch] = []
    for kind, pattern in (
        (ContactKind.URL, _URL),
        (ContactKind.EMAIL, _EMAIL),
        (ContactKind.MESSENGER, _MESSENGER),
        (ContactKind.PHONE, _PHONE),
    ):
        for m in pattern.finditer(text):
            value = m.group(0).rstrip(".,;:!?)]}")
            if not value:
                continue
            if kind is ContactKind.PHONE and not _phone_ok(value):
                continue
            found.append(ContactMatch(kind, m.start(), m.start() + len(value), value))
    found.sort(key=lambda c: (-(c.end - c.start), _ORDER.index(c.kind), c.start))
    chosen: list[ContactMatch] = []
    for cand in found:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    return chosen


def has_contact(text: str) -> bool:
    return bool(find_contacts(text))
