"""The contact finder: what a moderator must see highlighted, and ordinary text it must leave alone."""

from __future__ import annotations

import itertools

import pytest

from moderator_app.domain.review.contact_patterns import ContactKind, find_contacts, has_contact


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(m.kind.value, m.text) for m in find_contacts(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Order at https://cheap-toys.example/item?id=3.", [("url", "https://cheap-toys.example/item?id=3")]),
        ("Visit www.best-deals.shop now", [("url", "www.best-deals.shop")]),
        ("see bestshop(dot)com for more", [("url", "bestshop(dot)com")]),
        ("bestshop dot com", [("url", "bestshop dot com")]),
        ("mail jane.roe@example.org please", [("email", "jane.roe@example.org")]),
        ("sales (at) brighttoys dot com", [("email", "sales (at) brighttoys dot com")]),
        ("call +49 30 1234567", [("phone", "+49 30 1234567")]),
        ("or 0171-1234567 after six", [("phone", "0171-1234567")]),
        ("order 0049 170 1234567", [("phone", "0049 170 1234567")]),
        ("WhatsApp: +86 138 0013 8000 today", [("messenger", "WhatsApp: +86 138 0013 8000")]),
        ("Telegram @cheapmeds_eu", [("messenger", "Telegram @cheapmeds_eu")]),
        ("add me on wechat: shop_88", [("messenger", "wechat: shop_88")]),
        ("Line ID: shop88", [("messenger", "Line ID: shop88")]),
        ("DM @real_deals_now", [("messenger", "@real_deals_now")]),
    ],
)
def test_contact_details_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_and_texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Signal light with 3 modes, line of 20 LEDs",
        "Price 24.90 EUR, 120 pcs, EAN 4006381333931",
        "size 30 x 20 x 10 cm, made 2024-10-03, 1.5 kg",
        "Kids magnetic building set, e.g. for ages 3+",
        "",
    ],
)
def test_ordinary_listing_text_is_left_alone(text: str) -> None:
    assert find_contacts(text) == []
    assert not has_contact(text)


def test_positions_point_into_the_text_and_never_overlap() -> None:
    text = "Shop: www.toys.shop | mail: a.b@toys.shop | tel +44 20 7946 0958 | telegram: toysdeal"
    found = find_contacts(text)
    assert [m.kind for m in found] == [
        ContactKind.URL,
        ContactKind.EMAIL,
        ContactKind.PHONE,
        ContactKind.MESSENGER,
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


def test_markup_in_text_is_just_text() -> None:
    text = '<a href="https://evil.example/x">click</a>'
    assert kinds_and_texts(text) == [("url", "https://evil.example/x")]


def test_the_word_at_before_a_link_is_not_an_email_address() -> None:
    assert kinds_and_texts("Order cheaper at www.bright-toys.shop today") == [("url", "www.bright-toys.shop")]
