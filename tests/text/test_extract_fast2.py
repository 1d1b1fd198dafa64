"""Round-2 fast paths of claim extraction against the code they replace: the article
test without ``str.lower``, the digit-run starts by ``str.find``, a claim's brief
without the enum's ``value`` property, and the main pattern's alternations grouped by
first letter."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Final

from hypothesis import given
from hypothesis import strategies as st

from guardrail.text import ClaimKind, new_claim
from guardrail.text._numbers import (
    UNIT_KINDS,
    UNIT_PATTERN,
    by_first_letter,
    opener_starts,
    text_shape,
)
from guardrail.text._patterns import _ARTICLES, _MAIN, _MAIN_I, _main_pattern


def test_articles_are_every_spelling_the_pattern_reads_as_one() -> None:
    """``n2`` is an article exactly when it lower-cases to "a" or "an", in either
    pattern (case-insensitive matching folds nothing else to them)."""
    for pattern in (_MAIN, _MAIN_I):
        for text in ("a day", "A day", "an hour", "An hour", "aN hour", "AN HOUR", "ᴀ day"):
            m = pattern.match(text)
            raw = m.group("n2") if m is not None else None
            if raw is not None:
                assert (raw in _ARTICLES) == (raw.lower() in ("a", "an"))
    assert {s.lower() for s in _ARTICLES} == {"a", "an"}


@given(st.lists(st.sampled_from(["1", "22", " ", "a", "-", ".", "$", "x0", "00 "]), max_size=40))
def test_digit_starts_are_the_regex_scan(pieces: list[str]) -> None:
    """Every digit run's start is among the openers, as ``re.finditer(" 0", shape)``."""
    low = "".join(pieces)
    shape = text_shape(low)
    found = opener_starts(low, shape, set())
    expected = sorted(
        [m.start() for m in re.finditer(" 0", shape)] + [m.start() for m in re.finditer(r"\$", low)]
    )
    assert found == expected


def test_brief_names_the_kind_and_value() -> None:
    """``brief()["kind"]`` is the kind's JSON name; ``value`` a number, a range or a day."""
    units = {k: u for u, k in UNIT_KINDS.items()} | {"date": "date"}
    for kind in ClaimKind:
        unit = units[kind.value]
        c = new_claim(kind, "x", 0, 1, unit, 739000, 739000, 1)
        assert c.brief()["kind"] == kind.value
        r = new_claim(kind, "x", 0, 1, unit, 739000, Fraction(1478001, 2), 1)
        expected = "2024-04-24" if kind is ClaimKind.date else [739000, 739000.5]
        assert (c.value, r.value) == (
            ("2024-04-24", "2024-04-24") if kind is ClaimKind.date else (739000, expected)
        )


_PLAIN: Final = _main_pattern(lambda p: p)
_PLAIN_RE: Final = re.compile(_PLAIN)
_PLAIN_I: Final = re.compile(_PLAIN, re.IGNORECASE)
#: pieces that make the main pattern match, almost match and backtrack
_MAIN_PIECES = [
    *("30", "5", "1,000", "2.5", "$", "€", "us$", "usd ", "eur", "cad", "k", "m", "bn", " "),
    *(" days", " day", "-day", " business days", " working-days", " weeks", " months"),
    *(" kg", " kilograms", " km", " miles", " mb", " gb/s", " mbps", " minutes", " hrs"),
    *(" dollars", " dollar", " danish kroner", " pounds", " pounds sterling", " cents"),
    *(" full", " extra", " free", " total", " to ", " or ", "-", " and ", "between "),
    *("a", "an", "A", "An", "twenty", "thirty", "one", "hundred", "thousand", "-five"),
    *(" points", " per", " each", "%", " percent", "K", "ſ", "İ", "x", ".", "\n"),
]


@given(st.lists(st.sampled_from(_MAIN_PIECES), max_size=14).map("".join))
def test_grouped_main_pattern_is_the_plain_one(text: str) -> None:
    """The main pattern with its alternations grouped by first letter matches as the
    pattern written plainly, at every offset, case-sensitively (on lower-cased text) and
    not."""
    low = text.lower()
    for plain, grouped, subject in ((_PLAIN_RE, _MAIN, low), (_PLAIN_I, _MAIN_I, text)):
        for at in range(len(subject) + 1):
            a, b = plain.match(subject, at), grouped.match(subject, at)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_by_first_letter() -> None:
    assert by_first_letter("days?|weeks?|dollars") == "d(?:ays?|ollars)|weeks?"
    assert by_first_letter(r"(?:business|working)[\s-]days?|bits?") == (
        r"b(?:usiness[\s-]days?|its?)|working[\s-]days?"
    )
    assert by_first_letter(r"\$|days") == r"\$|days"  # not all letters: as it is
    assert by_first_letter("s?ecs|days") == "s?ecs|days"  # a letter that is optional
    assert by_first_letter(r"a[|)]b|c(?:d|e)|a") == r"a(?:[|)]b|)|c(?:d|e)"
    assert re.compile(by_first_letter(UNIT_PATTERN)).pattern != UNIT_PATTERN
