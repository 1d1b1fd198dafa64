"""The fast paths of claim extraction against the straightforward code they replace:
the date scan from the text's shape, the backwards read of the word before a number,
the nearest-year rule for dates without a year, and the claim constructor."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from guardrail.text import Claim, ClaimKind, new_claim
from guardrail.text._dates import (
    _DATE,
    _date,
    _nearest,
    _nearest_of_three,
    find_dates,
    shape_dates,
)
from guardrail.text._extract import _PREV_WORD, _word_before
from guardrail.text._numbers import text_shape

#: pieces that make dates match, almost match and overlap
_DATE_PIECES = [
    *("may ", "nov 2", "2 nov", "3rd of june", "sept. 5", "september 5, 2025"),
    *("2026-11-02", "12/31/2025", "1/2/2026", "next monday", "this friday", "last sunday"),
    *("coming ", "of ", "a-", "x", "_", "2026", "12", "5", "0", " ", "  ", "\n", "-", "/"),
    *(",", ".", "jan", "mar", "dec", "monday", "day", "th", "st"),
]
_TODAY = date(2026, 11, 20)


@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=30).map("".join))
def test_shape_dates_is_find_dates(text: str) -> None:
    """From the shape, the dates are those of the scan over every candidate offset and
    of ``finditer`` itself."""
    low = text.lower()
    shape = text_shape(low)
    words = frozenset(shape.split())
    for today in (_TODAY, None):
        found = shape_dates(low, shape, words, today)
        assert found == list(find_dates(text, low, today, True))
        expected = [m.span() for m in _DATE.finditer(low) if _date(m, today) is not None]
        assert [(s, e) for s, e, _, _ in found] == expected


_WORD_ALPHABET = st.sampled_from([*"ab Z9_#'’ .,\n-:!é\t", "ab", "  ", "Order", "#5"])


@given(st.lists(_WORD_ALPHABET, max_size=40).map("".join), st.integers(0, 60))
def test_word_before_is_the_search(text: str, start: int) -> None:
    """The backwards read finds the word (and offset) the ``_PREV_WORD`` search finds."""
    start = min(start, len(text))
    m = _PREV_WORD.search(text, max(0, start - 24), start)
    assert _word_before(text, start) == ((m.group(1), m.start(1)) if m else None)


def _check_nearest(today: date, month: int, dom: int) -> None:
    try:
        expected: date | None = _nearest_of_three(today, month, dom)
    except ValueError:
        expected = None
    try:
        found: date | None = _nearest(today, month, dom)
    except ValueError:
        found = None
    assert found == expected


@given(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.integers(1, 12),
    st.sampled_from([1, 2, 15, 28, 29, 30, 31]),
)
def test_nearest_is_the_nearest_of_three(today: date, month: int, dom: int) -> None:
    _check_nearest(today, month, dom)


def test_nearest_ties_and_leap_days() -> None:
    """Every day of four years, each month's 29th to 31st included."""
    for i in range(4 * 366):
        today = date(2023, 1, 1) + timedelta(days=i)
        for month in range(1, 13):
            for dom in (1, 15, 29, 30, 31):
                _check_nearest(today, month, dom)


@given(
    st.sampled_from(list(ClaimKind)),
    st.sampled_from(["day", "cents:USD", "percent", "count", "GB", "week"]),
    st.integers(0, 10**6) | st.fractions(min_value=0, max_value=1000),
    st.sampled_from(["", "ago", "ahead"]),
    st.booleans(),
    st.booleans(),
)
def test_new_claim_is_the_dataclass(
    kind: ClaimKind,
    unit: str,
    low: int | Fraction,
    relation: str,
    disowned: bool,
    year_given: bool,
) -> None:
    """``new_claim`` builds the object ``Claim(...)`` builds: type, fields, canonical
    value, hash, and it is frozen."""
    args = (kind, "x", 3, 9, "date" if kind is ClaimKind.date else unit, low, low * 2, low)
    made = new_claim(*args, relation=relation, disowned=disowned, year_given=year_given)  # type: ignore[arg-type]
    built = Claim(*args, relation=relation, disowned=disowned, year_given=year_given)  # type: ignore[arg-type]
    assert type(made) is Claim
    assert made == built and repr(made) == repr(built) and hash(made) == hash(built)
    assert made.canonical() == built.canonical()
    try:
        made.start = 0  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("a built claim must stay frozen")
