"""Claim extraction: kinds, normalised values and units, offsets, and what is not a claim."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from guardrail.grounding import ClaimKind, extract_claims, split_sentences

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


def one(text: str) -> tuple[str, object, str]:
    claims = extract_claims(text, NOW)
    assert len(claims) == 1, claims
    c = claims[0]
    return c.kind.value, c.value, c.unit


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("$1", 100),
        ("$76,000", 7_600_000),
        ("USD 129.00", 12_900),
        ("76k dollars", 7_600_000),
        ("one dollar", 100),
        ("$1.5 million", 150_000_000),
        ("50 cents", 50),
        ("129 USD", 12_900),
        ("a dollar", 100),
    ],
)
def test_money_normalises_to_cents(text: str, cents: int) -> None:
    """Every way of writing an amount of money becomes an integer number of cents."""
    assert one(f"That is {text} today.") == ("money", cents, "cents:USD")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("30 days", 30, "day"),
        ("5-7 business days", [5, 7], "business_day"),
        ("between 5 and 7 working days", [5, 7], "business_day"),
        ("two weeks", 2, "week"),
        ("a year", 1, "year"),
        ("48 hours", 48, "hour"),
        ("sixty days", 60, "day"),
        ("forty-five days", 45, "day"),
        ("one hundred and twenty days", 120, "day"),
        ("a fortnight", 2, "week"),
        ("a 30-day window", 30, "day"),
    ],
)
def test_durations(text: str, value: object, unit: str) -> None:
    """Durations, ranges and number words normalise to a value (or [low, high]) and unit."""
    assert one(f"It takes {text}.") == ("duration", value, unit)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("November 2", "2026-11-02"),
        ("2026-11-02", "2026-11-02"),
        ("2 November 2026", "2026-11-02"),
        ("Nov. 2nd", "2026-11-02"),
        ("11/02/2026", "2026-11-02"),
        ("next Monday", "2026-11-23"),
        ("January 3", "2027-01-03"),
    ],
)
def test_dates_resolve_against_as_of(text: str, iso: str) -> None:
    """Dates normalise to ISO days; a missing year is the one nearest as_of, and
    relative dates count from as_of."""
    assert one(f"It arrives {text}.") == ("date", iso, "date")


def test_percentages_and_counts() -> None:
    """Percentages and counted nouns are claims with their own units."""
    assert one("A 15% restocking fee.") == ("percent", 15, "percent")
    assert one("fifteen per cent off") == ("percent", 15, "percent")
    assert one("You earn 2 points per dollar.") == ("count", 2, "count")
    assert one("You earn one point per dollar.") == ("count", 1, "count")


@pytest.mark.parametrize(
    "text",
    [
        "Your order A-1001 ships today.",
        "Call us on 1-800-555-0199 or (555) 123-4567.",
        "Send it to 221 Main St, Springfield 90210.",
        "The Summit 4 tents are back.",
        "Tracking number 1Z999AA10123456784.",
        "Since 2019 we have made boots.",
        "Open 24/7, 24 hours a day, 7 days a week.",
        "Have a great day!",
        "We will reply in a day or two.",
        "Give it a few days.",
        "Thanks for order #12345.",
    ],
)
def test_identifiers_and_chatter_are_not_claims(text: str) -> None:
    """Order and phone numbers, postcodes, product names, years, rates and vague time
    are not factual claims."""
    assert extract_claims(text, NOW) == []


def test_offsets_point_at_the_claim() -> None:
    """Each claim's span slices exactly its text out of the draft."""
    text = "Hi! Refunds take 5 business days, returns 30 days, and shipping is $5."
    claims = extract_claims(text, NOW)
    assert [text[c.start : c.end] for c in claims] == ["5 business days", "30 days", "$5"]
    assert [c.text for c in claims] == ["5 business days", "30 days", "$5"]


def test_relations_and_disowned_claims_are_marked() -> None:
    """Elapsed and remaining time are marked, and so is a value the text disowns."""
    ago, left, old = extract_claims(
        "It arrived 18 days ago, you have 12 days left, and it is not 60 days.", NOW
    )
    assert (ago.relation, left.relation, old.disowned) == ("ago", "ahead", True)
    assert not ago.disowned


def test_without_as_of_dates_need_a_year() -> None:
    """Without as_of a date missing its year, or a relative one, is not resolved."""
    assert extract_claims("on November 2 or next Monday") == []
    assert extract_claims("on 2026-11-02")[0].kind is ClaimKind.date


def test_sentence_splitter_keeps_decimals_and_abbreviations() -> None:
    """Sentences split on terminal punctuation, not on prices or abbreviations."""
    text = "It costs $129.00, e.g. for boots. Mr. Smith agreed!  Done"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "It costs $129.00, e.g. for boots.",
        "Mr. Smith agreed!",
        "Done",
    ]
