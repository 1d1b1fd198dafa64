"""Claim extraction: money, durations, dates, percentages and counts, with character
offsets and a normalised value and unit.

Only a number attached to a unit is a claim ("30 days", "$129.00", "15%", "2 points",
"November 2"); a bare number never is, so order numbers, phone numbers, postcodes,
years and product names ("Summit 4") are left alone. Two regex passes (dates, then
everything else), compiled once; no allocation beyond the claims found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Literal

from ._dates import find_dates
from ._lexicon import ID_WORDS, NOT_NOUNS, RATE_WORDS
from ._numbers import (
    DIGITS,
    MAGNITUDE,
    UNITS,
    WORDS,
    Num,
    exact,
    first_matches,
    magnitude,
    parse_number,
    plain,
)
from ._numbers import unit_word as _unit_word

__all__ = ["Claim", "ClaimKind", "extract_claims"]


class ClaimKind(Enum):
    """What a claim is about; ``.value`` is its JSON name."""

    money = "money"
    duration = "duration"
    date = "date"
    percent = "percent"
    count = "count"


#: enum member look-ups are slow in 3.11; the hot paths use these
_DATE_KIND: Final = ClaimKind.date
_MONEY: Final = ClaimKind.money
_DURATION: Final = ClaimKind.duration
_PERCENT: Final = ClaimKind.percent
_COUNT: Final = ClaimKind.count
_setattr: Final = object.__setattr__

Relation = Literal["", "ago", "ahead"]


@dataclass(frozen=True, slots=True)
class Claim:
    """One factual claim in a text. ``low``/``high`` are in ``unit`` (cents for money, the
    proleptic ordinal for dates) and differ only for a range ("5-7 business days")."""

    kind: ClaimKind
    text: str
    start: int
    end: int
    unit: str
    low: Num
    high: Num
    #: the number as written (dollars for "$129"), matched against bare context numbers
    number: Num
    #: "ago" for elapsed time ("18 days ago"), "ahead" for time left ("12 days left")
    relation: Relation = ""
    #: the text disowns it: "not 60 days", "used to be 60 days", "instead of $10"
    disowned: bool = False
    #: dates only: whether the year was written (else it is the one nearest ``as_of``)
    year_given: bool = True
    _canon: tuple[str, Num, Num] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind is _DATE_KIND:
            canon: tuple[str, Num, Num] = ("date", self.low, self.high)
        else:
            family, size = UNITS[self.unit]  # as ``canonical``, inlined: claims are many
            low, high = self.low * size, self.high * size
            canon = (
                family,
                low if type(low) is int else exact(low),
                high if type(high) is int else exact(high),
            )
        _setattr(self, "_canon", canon)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def day(self) -> date | None:
        return date.fromordinal(int(self.low)) if self.kind is _DATE_KIND else None

    def canonical(self) -> tuple[str, Num, Num]:
        """``(family, low, high)`` in the family's base unit (see ``_numbers.UNITS``)."""
        return self._canon

    @property
    def value(self) -> int | float | str | list[int | float]:
        """The normalised value as JSON: a number, ``[low, high]``, or an ISO date."""
        if self.kind is ClaimKind.date:
            return date.fromordinal(int(self.low)).isoformat()
        if self.is_range:
            return [plain(self.low), plain(self.high)]
        return plain(self.low)

    def brief(self) -> dict[str, Any]:
        """The claim as finding evidence."""
        return {
            "span": [self.start, self.end],
            "claim": self.text,
            "kind": self.kind.value,
            "value": self.value,
            "unit": self.unit,
        }


#: ``Claim(...)`` without the frozen dataclass's ``__init__`` (one ``object.__setattr__``
#: call per field, ~2x slower on the hot path): the slots' descriptors set the same
#: fields, then ``__post_init__`` runs as usual, so the objects are identical
_INIT_FIELDS: Final = tuple(f.name for f in fields(Claim) if f.init)
assert (
    *("kind", "text", "start", "end", "unit", "low", "high", "number"),
    *("relation", "disowned", "year_given"),
) == _INIT_FIELDS
_SETTERS: Final = tuple(Claim.__dict__[name].__set__ for name in _INIT_FIELDS)
_new: Final = object.__new__


def _claim(
    kind: ClaimKind,
    text: str,
    start: int,
    end: int,
    unit: str,
    low: Num,
    high: Num,
    number: Num,
    relation: Relation = "",
    disowned: bool = False,
    year_given: bool = True,
) -> Claim:
    claim: Claim = _new(Claim)
    s_kind, s_text, s_start, s_end, s_unit, s_low, s_high, s_number, s_rel, s_dis, s_year = _SETTERS
    s_kind(claim, kind)
    s_text(claim, text)
    s_start(claim, start)
    s_end(claim, end)
    s_unit(claim, unit)
    s_low(claim, low)
    s_high(claim, high)
    s_number(claim, number)
    s_rel(claim, relation)
    s_dis(claim, disowned)
    s_year(claim, year_given)
    claim.__post_init__()
    return claim


_UNIT = (
    r"(?:business|working)[\s-]days?|calendar[\s-]days?|days?|hours?|hrs?|weeks?|months?"
    r"|years?|yrs?|fortnights?"
)
_NUM = rf"(?:{DIGITS}|{WORDS})"
_MAIN_PATTERN: Final = (
    rf"(?<![\w$#/.,-])(?:"
    rf"(?P<cur>us\$|\$|usd\s?)(?P<n1>{DIGITS})(?P<mag1>{MAGNITUDE})?"
    rf"|between\s+(?P<blo>{_NUM})\s+and\s+(?P<bhi>{_NUM})[\s-]+(?P<bunit>{_UNIT})\b"
    rf"|(?P<n2>{_NUM}|an?\b)(?P<mag2>{MAGNITUDE})?(?:"
    rf"\s?(?P<cur2>(?:us\s)?dollars?|bucks|usd|cents?)\b"
    rf"|\s*(?:-|–|—|to|or)\s*(?P<hi>{_NUM})[\s-]+(?P<runit>{_UNIT})\b"
    rf"|[\s-]+(?:(?:full|whole|more|additional|extra|further)\s+)?(?P<unit>{_UNIT})\b"
    rf"|\s?(?P<pct>%|percent\b|per\s?cent\b)"
    rf"|\s+(?P<noun>[a-z]+)\b(?P<rate>\s+(?:per|for\s+every|for\s+each|each)\b)?"
    rf"))"
)

_MAIN: Final = re.compile(_MAIN_PATTERN)
_MAIN_I: Final = re.compile(_MAIN_PATTERN, re.IGNORECASE)

_DISOWNED: Final = re.compile(
    r"(?:\bnot|n['’]t|\bno longer|\binstead of|\brather than|\bused to be|\bformerly"
    r"|\bpreviously|\bnever)\s+(?:(?:a|an|the)\s+)?$",
    re.IGNORECASE,
)
#: what follows a duration: a rate ("24 hours a day"), elapsed or remaining time
_AFTER: Final = re.compile(
    r"(?P<rate>\s+(?:a|an|per|each|every)\s+(?:day|week|month|year)\b)"
    r"|(?P<ago>\s*(?:ago|earlier|back|since)\b)"
    r"|(?P<ahead>\s*(?:left|remaining|to go|from now)\b)",
    re.IGNORECASE,
)
_AHEAD_BEFORE: Final = re.compile(
    r"\b(?:still\s+(?:have|got|has)\s+|another\s+|only\s+have\s+)(?:\w+\s+)?$", re.IGNORECASE
)
_PREV_WORD: Final = re.compile(r"([\w#'’]+)\W*$")


def extract_claims(text: str, as_of: datetime | date | None = None) -> list[Claim]:
    """Every claim in ``text``, in order. ``as_of`` resolves dates written without a year
    and relative dates ("next Monday"); without it they are not claims."""
    today = as_of.date() if isinstance(as_of, datetime) else as_of
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    exact_case = len(low) == len(text)
    main = _MAIN if exact_case else _MAIN_I
    if not exact_case:
        low = text
    for start, end, day, year_given in find_dates(text, low, today, exact_case):
        n = day.toordinal()
        claims.append(
            _claim(_DATE_KIND, text[start:end], start, end, "date", n, n, n, year_given=year_given)
        )
        taken.append((start, end))
    matches = first_matches(main, low)
    if not taken:
        for m in matches:
            claim = _main_claim(text, m)
            if claim is not None:
                claims.append(claim)
        return claims
    # dates win over overlapping matches; both come in order and do not overlap among
    # themselves, so one pointer over the dates suffices (linear, not matches x dates)
    j, n_taken = 0, len(taken)
    for m in matches:
        m_start, m_end = m.span()
        while j < n_taken and taken[j][1] <= m_start:
            j += 1
        if j < n_taken and taken[j][0] < m_end:
            continue
        claim = _main_claim(text, m)
        if claim is not None:
            claims.append(claim)
    claims.sort(key=_start)
    return claims


def _start(claim: Claim) -> int:
    return claim.start


#: the main pattern's groups, in order (one ``m.groups()`` call instead of one
#: ``m.group(name)`` call per group)
_GROUPS: Final = ("cur", "n1", "mag1", "blo", "bhi", "bunit", "n2", "mag2", "cur2", "hi")
_GROUPS_2: Final = ("runit", "unit", "pct", "noun", "rate")
assert tuple(sorted(_MAIN.groupindex, key=_MAIN.groupindex.__getitem__)) == _GROUPS + _GROUPS_2
assert _MAIN_I.groups == _MAIN.groups == len(_GROUPS + _GROUPS_2)
_NOUN_GROUP: Final = _MAIN.groupindex["noun"]


def _main_claim(text: str, m: re.Match[str]) -> Claim | None:
    start, end = m.span()
    cur, n1, mag1, blo, bhi, bunit, raw, mag, cur2, hi, runit, unit, pct, noun, rate = m.groups()
    if cur is not None:
        n = parse_number(n1)
        if n is None:
            return None
        cents = exact(n * magnitude(mag1) * 100)
        return _money(text, start, end, cents, n)
    if blo is not None:
        return _duration(text, start, end, blo, bhi, bunit)
    article = raw.lower() in ("a", "an")
    if cur2 is not None:
        n = parse_number(raw)
        if n is None:
            return None
        scale = 1 if cur2.lower().startswith("cent") else 100
        return _money(text, start, end, exact(n * magnitude(mag) * scale), n)
    if mag:  # "5k days" is not a thing; "5 m" might be metres
        return None
    if runit is not None:
        return _duration(text, start, end, raw, hi, runit)
    if unit is not None:
        if article and _prev_word(text, start) in RATE_WORDS:
            return None
        if article and text[end : end + 7].lower().startswith((" or ", " and ")):
            return None  # "a day or two": vague
        return _duration(text, start, end, raw, raw, unit)
    if article:
        return None
    n = parse_number(raw)
    if n is None:
        return None
    if pct is not None:
        return _claim(_PERCENT, text[start:end], start, end, "percent", n, n, n)
    noun = noun.lower()
    if not noun.endswith("s") and not (n == 1 and rate):
        return None  # a counted noun is plural, or "one point per dollar"
    if noun.endswith(("ss", "us", "is")) or noun in NOT_NOUNS:
        return None
    if (isinstance(n, int) and 1900 <= n <= 2100 and "," not in raw) or n >= 10_000:
        return None  # a year or an identifier
    prev = _prev_word(text, start)
    if prev in ID_WORDS or _is_name(text, start):
        return None
    end = m.end(_NOUN_GROUP)
    return _claim(_COUNT, text[start:end], start, end, "count", n, n, n)


def _money(text: str, start: int, end: int, cents: Num, number: Num) -> Claim:
    return _claim(
        _MONEY,
        text[start:end],
        start,
        end,
        "cents",
        cents,
        cents,
        number,
        disowned=_disowned(text, start),
    )


def _duration(text: str, start: int, end: int, lo: str, hi: str, unit: str) -> Claim | None:
    low, high = parse_number(lo), parse_number(hi)
    if low is None or high is None or high < low:
        return None
    relation: Relation = ""
    after = _AFTER.match(text, end)
    if after is not None:
        if after.lastgroup == "rate":
            return None  # "24 hours a day": a rate
        relation = "ago" if after.lastgroup == "ago" else "ahead"
    else:
        before = text[max(0, start - 30) : start]
        if ("still" in before or "another" in before) and _AHEAD_BEFORE.search(before):
            relation = "ahead"
    name = _UNIT_NAMES.get(unit)
    if name is None:
        if len(_UNIT_NAMES) > 1_000:
            _UNIT_NAMES.clear()
        name = _UNIT_NAMES[unit] = _unit_word(unit)
    if name == "fortnight":
        name, low, high = "week", low * 2, high * 2
    return _claim(
        _DURATION,
        text[start:end],
        start,
        end,
        name,
        low,
        high,
        low,
        relation=relation,
        disowned=_disowned(text, start),
    )


_DISOWN_HINTS: Final = (
    "not",
    "n't",
    "n’t",
    "no longer",
    "instead",
    "rather",
    "used to",
    "formerly",
    "previously",
    "never",
)


#: any of the hints as a substring (one scan)
_DISOWN_HINT: Final = re.compile("|".join(re.escape(h) for h in _DISOWN_HINTS))
#: a unit as written → its name (few distinct spellings; bounded)
_UNIT_NAMES: dict[str, str] = {}


def _disowned(text: str, start: int) -> bool:
    window = text[max(0, start - 24) : start].lower()
    if _DISOWN_HINT.search(window) is None:
        return False
    return _DISOWNED.search(text, max(0, start - 24), start) is not None


def _prev_word(text: str, start: int) -> str:
    m = _PREV_WORD.search(text, max(0, start - 24), start)
    return m.group(1).lower().lstrip("#") if m else ""


def _is_name(text: str, start: int) -> bool:
    """Whether the number follows a capitalised word mid-sentence ("the Summit 4 tents")."""
    m = _PREV_WORD.search(text, max(0, start - 24), start)
    if m is None or not m.group(1)[:1].isupper():
        return False
    before = text[max(0, m.start(1) - 40) : m.start(1)].rstrip()
    return bool(before) and before[-1] not in ".!?:\n"
