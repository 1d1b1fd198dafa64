"""Claim extraction: money, durations, dates, percentages and counts, with character
offsets and a normalised value and unit.

Only a number attached to a unit is a claim ("30 days", "$129.00", "15%", "2 points",
"November 2"); a bare number never is, so order numbers, phone numbers, postcodes,
years and product names ("Summit 4") are left alone. Two regex passes (dates, then
everything else), compiled once, each tried only where a match can start: for ASCII
text both take those places from one "shape" of the text (``_numbers.text_shape``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Final

from ..knowledge._units import CURRENCIES, money_unit
from ._claim import Claim, ClaimKind, Relation
from ._claim import new_claim as _claim
from ._compound import compounds as _compounds
from ._dates import find_dates, shape_dates
from ._lexicon import ID_WORDS, NOT_NOUNS, RATE_WORDS
from ._money import code_after, currency_after, currency_before
from ._numbers import (
    PARSED,
    UNIT_KINDS,
    Num,
    exact,
    first_matches,
    magnitude,
    opener_starts,
    parse_number,
    text_shape,
)
from ._numbers import unit_word as _unit_word
from ._patterns import (
    _AFTER,
    _AFTER_LOW,
    _AHEAD_BEFORE,
    _ARTICLES,
    _DISOWNED,
    _LAST_WORD,
    _MAIN,
    _MAIN_I,
    _NEXT_WORD,
    _NOT_AFTER,
    _NOUN_GROUP,
    _PREV_WORD,
    _SHAPE_WORDS,
)
from ._scan import finditer_at

__all__ = ["extract", "extract_claims"]

#: enum member look-ups are slow in 3.11; the hot paths use these
_DATE_KIND: Final = ClaimKind.date
_MONEY: Final = ClaimKind.money
_DURATION: Final = ClaimKind.duration
_PERCENT: Final = ClaimKind.percent
_COUNT: Final = ClaimKind.count
_KINDS: Final = {k.value: k for k in ClaimKind}


def extract_claims(
    text: str, as_of: datetime | date | None = None, dollar: str = "USD"
) -> list[Claim]:
    """Every claim in ``text``, in order. ``as_of`` resolves dates written without a year
    and relative dates ("next Monday"); without it they are not claims. ``dollar`` is
    the currency a bare "$" or "dollars" means (the tenant's dollar currency)."""
    return extract(text, as_of, dollar)[0]


def extract(
    text: str, as_of: datetime | date | None = None, dollar: str = "USD"
) -> tuple[list[Claim], list[Claim]]:
    """``(claims, atoms)``: :func:`extract_claims`'s claims, and the single values they
    were read from before compounds and ranges were joined ("€5.99 to €7.99" is one
    claim and two atoms). The commitment scan reads its amounts from the atoms."""
    if not text:  # (no pattern matches an empty text: nothing to set up)
        return [], []
    today = as_of.date() if isinstance(as_of, datetime) else as_of
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    matches: Iterable[re.Match[str]] = ()
    ascii_low: str | None = None
    if low.isascii() and len(low) == len(text):
        ascii_low = low
        # one shape of the text serves both scans (see ``text_shape``)
        shape = text_shape(low)
        words = _SHAPE_WORDS.intersection(shape.split())  # the words either scan needs
        dates: Iterable[tuple[int, int, date, bool]] = shape_dates(low, shape, words, today)
        if "usd" in low:
            matches = _MAIN.finditer(low)
        else:
            # ``first_matches(_MAIN, low)``, from the places a match can start
            matches = finditer_at(_MAIN, low, opener_starts(low, shape, words))
    else:
        exact_case = len(low) == len(text)
        if not exact_case:
            low = text
        dates = find_dates(text, low, today, exact_case)
        matches = first_matches(_MAIN if exact_case else _MAIN_I, low)
    for start, end, day, year_given in dates:
        n = day.toordinal()
        claims.append(
            _claim(_DATE_KIND, text[start:end], start, end, "date", n, n, n, "", False, year_given)
        )
        taken.append((start, end))
    # dates win over overlapping matches; both come in order and do not overlap among
    # themselves, so one pointer over the dates suffices (linear, not matches x dates)
    j, n_taken = 0, len(taken)
    for m in matches:
        m_start, m_end = m.span()
        while j < n_taken and taken[j][1] <= m_start:
            j += 1
        if j < n_taken and taken[j][0] < m_end:
            continue
        claim = _main_claim(text, m, dollar, ascii_low)
        if claim is not None:
            claims.append(claim)
    if n_taken:
        claims.sort(key=_start)
    return (_compounds(text, claims) if len(claims) > 1 else claims), claims


def _start(claim: Claim) -> int:
    return claim.start


def _main_claim(
    text: str, m: re.Match[str], dollar: str = "USD", lowered: str | None = None
) -> Claim | None:
    """The claim of a main-pattern match, if any. ``lowered`` is ``text.lower()`` when it is
    ASCII (then the look-arounds read it case-sensitively: the same matches, faster),
    else None."""
    start, end = m.span()
    cur, n1, mag1, blo, bhi, bunit, raw, mag, cur2, hi, runit, unit, pct, noun, rate = m.groups()
    if cur is not None:
        if len(n1) > 3 and n1[-3] == "," and n1.count(",") == 1 and "." not in n1:
            n1 = n1.replace(",", ".")  # "€25,50": a decimal comma
        n = parse_number(n1)
        if n is None:
            return None
        code, scale = currency_before(cur, dollar)
        if cur.strip() == "$":
            named = code_after(text, end)  # "$500 CAD"
            if named is not None:
                code, end = named.group(1).upper(), named.end()
        return _money(text, start, end, exact(n * magnitude(mag1) * scale), n, code, lowered)
    if blo is not None:
        return _duration(text, start, end, blo, bhi, bunit, lowered)
    article = raw in _ARTICLES  # = ``raw.lower() in ("a", "an")``, without the call
    if cur2 is not None:
        n = parse_number(raw)
        if n is None:
            return None
        found = currency_after(cur2, text, start, end, dollar)
        if found is not None:
            code, scale = found
            return _money(text, start, end, exact(n * magnitude(mag) * scale), n, code, lowered)
        if mag:
            return None
        return _duration(text, start, end, raw, raw, cur2, lowered)  # "50 pounds" of luggage
    if mag:  # "5k days" is not a thing
        return None
    if runit is not None:
        return _duration(text, start, end, raw, hi, runit, lowered)
    if unit is not None:
        if article:
            prev = _prev_word(text, start)
            if prev in RATE_WORDS:
                return None
            after = text[end : end + 11].lower()
            if after.startswith(" or ") or after.startswith(" and a half"):
                return None  # "a day or two": vague
            if unit.lower().startswith("min") or prev[-1:].isdigit() or prev == "half":
                return None  # "just a minute"; "$120 a night": a rate; "half a gigabit"
        return _duration(text, start, end, raw, raw, unit, lowered)
    if article:
        return None
    n = parse_number(raw)
    if n is None:
        return None
    if pct is not None:
        return _claim(_PERCENT, text[start:end], start, end, "percent", n, n, n)
    noun = noun.lower()
    end = m.end(_NOUN_GROUP)
    if not noun.endswith("s") and not (n == 1 and rate):
        second = _NEXT_WORD.match(text, end)  # "3 battery replacements"
        if second is None or not second.group(1).lower().endswith("s"):
            return None  # a counted noun is plural, or "one point per dollar"
        noun, end = second.group(1).lower(), second.end()
    if noun.endswith(("ss", "us", "is")) or noun in NOT_NOUNS:
        return None
    if (isinstance(n, int) and 1900 <= n <= 2100 and "," not in raw) or n >= 10_000:
        return None  # a year or an identifier
    # the word before: an identifier's label ("order 1001") or a name ("Summit 4")
    before = _word_before(text, start)
    if before is not None and (
        before[0].lower().lstrip("#") in ID_WORDS or _is_name(text, *before)
    ):
        return None
    return _claim(_COUNT, text[start:end], start, end, "count", n, n, n)


def _money(
    text: str, start: int, end: int, cents: Num, number: Num, code: str, lowered: str | None
) -> Claim:
    return _claim(
        _MONEY,
        text[start:end],
        start,
        end,
        _MONEY_UNITS[code],
        cents,
        cents,
        number,
        "",
        _disowned(text, start, lowered),
    )


def _duration(
    text: str, start: int, end: int, lo: str, hi: str, unit: str, lowered: str | None
) -> Claim | None:
    """A duration or another measured quantity ("50 GB", "2 nights", "5-7 business
    days")."""
    try:  # ``parse_number(lo)``: its cache read without the call
        low = PARSED[lo]
    except KeyError:
        low = parse_number(lo)
    high = low if hi is lo else parse_number(hi)  # one number: parsed once
    if low is None or high is None or high < low:
        return None
    found = _UNIT_INFO.get(unit)
    if found is None:
        if len(_UNIT_INFO) > 1_000:
            _UNIT_INFO.clear()
        unit_name = _unit_word(unit)
        found = _UNIT_INFO[unit] = (unit_name, _KINDS[UNIT_KINDS[unit_name]])
    name, kind = found
    relation: Relation = ""
    if lowered is None:
        after = _AFTER.match(text, end)
    elif lowered[end : end + 1] in _NOT_AFTER or (
        lowered[end : end + 1] == " " and lowered[end + 1 : end + 2] in _NOT_AFTER
    ):
        after = None  # what follows cannot start ``_AFTER`` (see ``_NOT_AFTER``)
    else:
        after = _AFTER_LOW.match(lowered, end)
    if after is not None:
        if after.lastgroup == "rate":
            if kind is _DURATION:
                return None  # "24 hours a day": a rate
        elif kind is _DURATION:
            relation = "ago" if after.lastgroup == "ago" else "ahead"
    elif kind is _DURATION:
        before = text[start - 30 if start > 30 else 0 : start]  # (no ``max`` call)
        if ("still" in before or "another" in before) and _AHEAD_BEFORE.search(before):
            relation = "ahead"
    if name == "fortnight":
        name, low, high = "week", low * 2, high * 2
    return _claim(
        kind,
        text[start:end],
        start,
        end,
        name,
        low,
        high,
        low,
        relation,
        _disowned(text, start, lowered),
    )


#: a unit as written → its name and the kind of claim it makes (few distinct spellings;
#: bounded)
_UNIT_INFO: dict[str, tuple[str, ClaimKind]] = {}
#: currency code → the unit of a money claim in it
_MONEY_UNITS: Final = {code: money_unit(code) for code in CURRENCIES}


def _disowned(text: str, start: int, lowered: str | None) -> bool:
    at = start - 24 if start > 24 else 0
    window = text[at:start].lower() if lowered is None else lowered[at:start]
    # a cheap test first: ``_DISOWNED`` needs one of these in the window (``in`` on a
    # few characters beats a regex search, and most windows have none)
    if not (
        "not" in window
        or "n't" in window
        or "n’t" in window
        or "no longer" in window
        or "instead" in window
        or "rather" in window
        or "used to" in window
        or "formerly" in window
        or "previously" in window
        or "never" in window
    ):
        return False
    return _DISOWNED.search(text, at, start) is not None


def _prev_word(text: str, start: int) -> str:
    found = _word_before(text, start)
    return found[0].lower().lstrip("#") if found else ""


def _word_before(text: str, start: int) -> tuple[str, int] | None:
    r"""The word before ``start`` and where it starts: ``_PREV_WORD``'s group in the 24
    characters before ``start``.

    That search tries every offset of the window and backtracks at each, so this first
    reads the window backwards: with a word character in the window, the search finds
    the run of ``[\w#'’]`` that holds the last one (an earlier run leaves a word
    character for ``\W*$``; the greedy run stops only at the run's end), which is the
    first such run of the reversed window that holds a word character: ``_LAST_WORD``.
    Without one (rare) the search itself decides."""
    at = start - 24 if start > 24 else 0
    m = _LAST_WORD.match(text[at:start][::-1])
    if m is not None:
        return m.group(1)[::-1], start - m.end()
    m = _PREV_WORD.search(text, at, start)
    return (m.group(1), m.start(1)) if m else None


def _is_name(text: str, word: str, at: int) -> bool:
    """Whether the number follows a capitalised word mid-sentence ("the Summit 4 tents"),
    given that word (:func:`_word_before`) and its offset."""
    if not word[:1].isupper():
        return False
    before = text[max(0, at - 40) : at].rstrip()
    return bool(before) and before[-1] not in ".!?:\n"
