"""``finditer_at`` against ``pattern.finditer``: the same matches whenever the candidate
positions cover every place a match can start, for each of the hand-tuned scans that use
it (claim numbers, dates, clause breaks) and for arbitrary patterns."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from guardrail.text import finditer_at
from guardrail.text._dates import _DATE, _date, find_dates
from guardrail.text._extract import _MAIN
from guardrail.text._numbers import first_matches
from guardrail.text._scan import _CLAUSE_BREAK, clause_spans

#: characters that make the patterns under test match, break and overlap
_PIECES = ["may ", "nov 2", " days", "day", "usd", "k", " but ", " so", "ten ", "a ", "2026-11-02"]
_ALPHABET = st.sampled_from([*"ab01 9,.;-$€%/\n", *_PIECES])
_TODAY = date(2026, 11, 20)
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)
_PATTERNS = [
    re.compile(r"(?<![\w$])\$?\d+(?:[.,]\d+)?k?"),
    re.compile(r"a+b|b"),
    re.compile(r"(?<=;)\s*\w+|,\s*(?:but|so)\b"),
    re.compile(r"\d\d?(?:\s+days?)?"),
    _MAIN,
    _DATE,
    _CLAUSE_BREAK,
]


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@given(text=_TEXT, which=st.integers(0, len(_PATTERNS) - 1), extra=st.sets(st.integers(0, 60)))
def test_finditer_at_every_offset_is_finditer(text: str, which: int, extra: set[int]) -> None:
    """Tried at every offset (plus any others, duplicated, unordered), it finds exactly
    the matches ``finditer`` finds."""
    pattern = _PATTERNS[which]
    positions = [*range(len(text) + 1), *extra, 0, 3]
    assert _spans(finditer_at(pattern, text, reversed(positions))) == _spans(pattern.finditer(text))


@given(text=_TEXT, which=st.integers(0, len(_PATTERNS) - 1), drop=st.sets(st.integers(0, 60)))
def test_finditer_at_the_match_starts_is_finditer(text: str, which: int, drop: set[int]) -> None:
    """Tried only where some match can start (and at other offsets that start none),
    it finds exactly the matches ``finditer`` finds."""
    pattern = _PATTERNS[which]
    starts = {i for i in range(len(text) + 1) if pattern.match(text, i)}
    others = {i for i in drop if i not in starts}
    assert _spans(finditer_at(pattern, text, starts | others)) == _spans(pattern.finditer(text))


@given(text=_TEXT)
def test_claim_number_scan_is_finditer(text: str) -> None:
    """The claim pattern tried at the number starts finds what ``finditer`` finds."""
    low = text.lower()
    assert _spans(first_matches(_MAIN, low)) == _spans(_MAIN.finditer(low))


@given(text=_TEXT)
def test_date_scan_is_finditer(text: str) -> None:
    """The date scan finds the dates ``finditer`` finds (those that are real days)."""
    low = text.lower()
    found = [(s, e) for s, e, _, _ in find_dates(text, low, _TODAY, True)]
    expected = [m.span() for m in _DATE.finditer(low) if _date(m, _TODAY) is not None]
    assert found == expected


@given(text=_TEXT)
def test_clause_break_scan_is_finditer(text: str) -> None:
    """The clause-break scan finds what ``finditer`` finds."""
    low = text.lower()
    assert clause_spans(low) == _spans(_CLAUSE_BREAK.finditer(low))
