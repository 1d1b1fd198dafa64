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
from fractions import Fraction
from typing import Any, Final, Literal

from ..knowledge._units import CURRENCIES, money_unit
from ._dates import find_dates
from ._lexicon import ID_WORDS, NOT_NOUNS, RATE_WORDS
from ._money import CURRENCY_AFTER, CURRENCY_BEFORE, code_after, currency_after, currency_before
from ._numbers import (
    DIGITS,
    MAGNITUDE,
    UNIT_KINDS,
    UNIT_PATTERN,
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
    #: data, data rate, weight, distance
    quantity = "quantity"


#: enum member look-ups are slow in 3.11; the hot paths use these
_DATE_KIND: Final = ClaimKind.date
_MONEY: Final = ClaimKind.money
_DURATION: Final = ClaimKind.duration
_PERCENT: Final = ClaimKind.percent
_COUNT: Final = ClaimKind.count
_KINDS: Final = {k.value: k for k in ClaimKind}
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

    @property
    def currency(self) -> str | None:
        """A money claim's ISO 4217 code (``unit`` is ``"cents:<code>"``)."""
        return self.unit[6:] if self.kind is _MONEY else None

    def brief(self) -> dict[str, Any]:
        """The claim as finding evidence (money: ``unit`` ``"cents"`` and ``currency``)."""
        out: dict[str, Any] = {
            "span": [self.start, self.end],
            "claim": self.text,
            "kind": self.kind.value,
            "value": self.value,
            "unit": self.unit,
        }
        if self.kind is _MONEY:
            out["unit"], out["currency"] = "cents", self.unit[6:]
        return out


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


_UNIT = UNIT_PATTERN
_NUM = rf"(?:{DIGITS}|{WORDS})"
#: an amount after a currency symbol or code: also "25,50" (a decimal comma)
_AMOUNT = rf"(?:\d+,\d{{2}}(?![\d,])|{DIGITS})"
_MAIN_PATTERN: Final = (
    rf"(?<![\w$#/.,-])(?:"
    rf"(?P<cur>{CURRENCY_BEFORE})(?P<n1>{_AMOUNT})(?P<mag1>{MAGNITUDE})?"
    rf"|between\s+(?P<blo>{_NUM})\s+and\s+(?P<bhi>{_NUM})[\s-]+(?P<bunit>{_UNIT})\b"
    rf"|(?P<n2>{_NUM}|an?\b)(?P<mag2>{MAGNITUDE})?(?:"
    rf"\s?(?P<cur2>(?:{CURRENCY_AFTER})\b|€(?!\s?\d))"
    rf"|\s*(?:-|–|—|to|or)\s*(?P<hi>{_NUM})[\s-]*(?P<runit>{_UNIT})\b"
    rf"|[\s-]*(?:(?:full|whole|more|additional|extra|further|included|inclusive|free|bonus"
    rf"|standard|national|domestic|local|international|consecutive|total|remaining|unused)"
    rf"\s+)?(?P<unit>{_UNIT})\b"
    rf"|\s?(?P<pct>%|percent\b|per\s?cent\b)"
    rf"|\s+(?P<noun>[a-z]+)\b(?!\$)(?P<rate>\s+(?:per|for\s+every|for\s+each|each)\b)?"
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
    r"(?P<rate>\s+(?:a|an|per|each|every)\s+(?:day|week|month|year|night|hour|second)\b"
    r"|/(?:s|sec|second|mo|month|day|night)\b)"
    r"|(?P<ago>\s*(?:ago|earlier|back|since)\b)"
    r"|(?P<ahead>\s*(?:left|remaining|to go|from now)\b)",
    re.IGNORECASE,
)
_AHEAD_BEFORE: Final = re.compile(
    r"\b(?:still\s+(?:have|got|has)\s+|another\s+|only\s+have\s+)(?:\w+\s+)?$", re.IGNORECASE
)
_PREV_WORD: Final = re.compile(r"([\w#'’]+)\W*$")
_NEXT_WORD: Final = re.compile(r"[ -]([A-Za-z]+)\b")


def extract_claims(
    text: str, as_of: datetime | date | None = None, dollar: str = "USD"
) -> list[Claim]:
    """Every claim in ``text``, in order. ``as_of`` resolves dates written without a year
    and relative dates ("next Monday"); without it they are not claims. ``dollar`` is
    the currency a bare "$" or "dollars" means (the tenant's dollar currency)."""
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
            claim = _main_claim(text, m, dollar)
            if claim is not None:
                claims.append(claim)
        return _compounds(text, claims) if len(claims) > 1 else claims
    # dates win over overlapping matches; both come in order and do not overlap among
    # themselves, so one pointer over the dates suffices (linear, not matches x dates)
    j, n_taken = 0, len(taken)
    for m in matches:
        m_start, m_end = m.span()
        while j < n_taken and taken[j][1] <= m_start:
            j += 1
        if j < n_taken and taken[j][0] < m_end:
            continue
        claim = _main_claim(text, m, dollar)
        if claim is not None:
            claims.append(claim)
    claims.sort(key=_start)
    return _compounds(text, claims) if len(claims) > 1 else claims


#: what joins the parts of a compound duration: "4 weeks and 2 days", "1 hour, 30 minutes"
_JOIN: Final = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s(?:and|plus)\s|\s?\+\s?)\s*", re.IGNORECASE)


def _compounds(text: str, claims: list[Claim]) -> list[Claim]:
    """Claims read together with their neighbour:

    * a compound duration ("4 weeks and 2 days") is summed into one claim (30 days), in
      the finest unit of its parts that states the sum exactly;
    * two values of one unit joined by "to" or a dash ("€5.99 to €7.99", "20 kg - 23 kg")
      are one range;
    * "a month" right after another value ("50 GB a month", "€30 a month") is a rate,
      not a duration claim."""
    out: list[Claim] = []
    for c in claims:
        prev = out[-1] if out else None
        if prev is None or c.kind is _DATE_KIND or prev.kind is _DATE_KIND:
            out.append(c)
            continue
        gap = c.start - prev.end
        if c.kind is _DURATION and gap <= 2 and c.text[:2].lower() in ("a ", "an"):
            continue  # "50 GB a month": a rate
        if (
            gap <= 8
            and c.unit == prev.unit
            and not c.is_range
            and not prev.is_range
            and _RANGE_JOIN.fullmatch(text, prev.end, c.start) is not None
            and prev.low < c.low
        ):
            out[-1] = _claim(
                c.kind,
                text[prev.start : c.end],
                prev.start,
                c.end,
                c.unit,
                prev.low,
                c.low,
                prev.number,
                relation=prev.relation,
                disowned=prev.disowned,
            )
            continue
        if (
            c.kind is _DURATION
            and prev.kind is _DURATION
            and not c.is_range
            and not prev.is_range
            and c.relation == ""
            and gap <= 8
            and _JOIN.fullmatch(text, prev.end, c.start) is not None
        ):
            fam, low, _ = prev.canonical()
            fam2, low2, _ = c.canonical()
            # "4 weeks and 2 days" and "1 week and 7 days" sum; "a year, 12 months"
            # restates (after a comma, only a part under one unit of the first is added)
            joined = text[prev.end : c.start].lower()
            summed = "and" in joined or "plus" in joined or "+" in joined
            if (
                fam == fam2
                and UNITS[c.unit][1] < UNITS[prev.unit][1]
                and (summed or low2 < UNITS[prev.unit][1])
            ):
                size = UNITS[c.unit][1]
                total = exact(Fraction(low + low2) / size)
                out[-1] = _claim(
                    _DURATION,
                    text[prev.start : c.end],
                    prev.start,
                    c.end,
                    c.unit,
                    total,
                    total,
                    total,
                    relation=prev.relation,
                    disowned=prev.disowned,
                )
                continue
        out.append(c)
    return out


#: what joins the two ends of a range of values with their units: "€5.99 to €7.99"
_RANGE_JOIN: Final = re.compile(r"\s*(?:-|–|—|to|up to)\s*", re.IGNORECASE)


def _start(claim: Claim) -> int:
    return claim.start


#: the main pattern's groups, in order (one ``m.groups()`` call instead of one
#: ``m.group(name)`` call per group)
_GROUPS: Final = ("cur", "n1", "mag1", "blo", "bhi", "bunit", "n2", "mag2", "cur2", "hi")
_GROUPS_2: Final = ("runit", "unit", "pct", "noun", "rate")
assert tuple(sorted(_MAIN.groupindex, key=_MAIN.groupindex.__getitem__)) == _GROUPS + _GROUPS_2
assert _MAIN_I.groups == _MAIN.groups == len(_GROUPS + _GROUPS_2)
_NOUN_GROUP: Final = _MAIN.groupindex["noun"]


def _main_claim(text: str, m: re.Match[str], dollar: str = "USD") -> Claim | None:
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
        return _money(text, start, end, exact(n * magnitude(mag1) * scale), n, code)
    if blo is not None:
        return _duration(text, start, end, blo, bhi, bunit)
    article = raw.lower() in ("a", "an")
    if cur2 is not None:
        n = parse_number(raw)
        if n is None:
            return None
        found = currency_after(cur2, text, start, end, dollar)
        if found is not None:
            code, scale = found
            return _money(text, start, end, exact(n * magnitude(mag) * scale), n, code)
        if mag:
            return None
        return _duration(text, start, end, raw, raw, cur2)  # "50 pounds" of luggage
    if mag:  # "5k days" is not a thing
        return None
    if runit is not None:
        return _duration(text, start, end, raw, hi, runit)
    if unit is not None:
        if article and _prev_word(text, start) in RATE_WORDS:
            return None
        after = text[end : end + 11].lower()
        if article and (after.startswith(" or ") or after.startswith(" and a half")):
            return None  # "a day or two": vague
        prev = _prev_word(text, start) if article else ""
        if article and (unit.lower().startswith("min") or prev[-1:].isdigit() or prev == "half"):
            return None  # "just a minute"; "$120 a night": a rate; "half a gigabit"
        return _duration(text, start, end, raw, raw, unit)
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
    prev = _prev_word(text, start)
    if prev in ID_WORDS or _is_name(text, start):
        return None
    return _claim(_COUNT, text[start:end], start, end, "count", n, n, n)


def _money(text: str, start: int, end: int, cents: Num, number: Num, code: str) -> Claim:
    return _claim(
        _MONEY,
        text[start:end],
        start,
        end,
        _MONEY_UNITS[code],
        cents,
        cents,
        number,
        disowned=_disowned(text, start),
    )


def _duration(text: str, start: int, end: int, lo: str, hi: str, unit: str) -> Claim | None:
    """A duration or another measured quantity ("50 GB", "2 nights", "5-7 business
    days")."""
    low, high = parse_number(lo), parse_number(hi)
    if low is None or high is None or high < low:
        return None
    name = _UNIT_NAMES.get(unit)
    if name is None:
        if len(_UNIT_NAMES) > 1_000:
            _UNIT_NAMES.clear()
        name = _UNIT_NAMES[unit] = _unit_word(unit)
    kind = _KINDS[UNIT_KINDS[name]]
    relation: Relation = ""
    after = _AFTER.match(text, end)
    if after is not None:
        if after.lastgroup == "rate":
            if kind is _DURATION:
                return None  # "24 hours a day": a rate
        elif kind is _DURATION:
            relation = "ago" if after.lastgroup == "ago" else "ahead"
    elif kind is _DURATION:
        before = text[max(0, start - 30) : start]
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
#: currency code → the unit of a money claim in it
_MONEY_UNITS: Final = {code: money_unit(code) for code in CURRENCIES}


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
