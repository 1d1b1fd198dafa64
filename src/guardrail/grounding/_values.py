"""What can back a claim: the values a source document states, and the values in the
conversation's structured ``context`` and in allowed tool calls' arguments.

Matching is by normalised value, never by string: "$129.00" is backed by
``total_cents: 12900``; "48 hours" by a document that says "2 days".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Final, TypeVar

from ..knowledge import Document
from ..knowledge._units import CURRENCIES, UNIT_TABLE, money_unit
from ..text import Claim, ClaimKind, Num, Segments, canonical, exact, extract_claims, words
from ._absence import markers

__all__ = ["DocumentValues", "StatedBy", "Values", "context_values"]

#: ``*_cents`` → cents, ``*_days`` → days, ``*_gb`` → GB … (the convention for numbers in
#: ``context``), from the unit table; longest suffix first ("business_days" before "days")
_SUFFIX_UNITS: Final = tuple(
    sorted(
        ((f"_{sfx}", u.name) for u in UNIT_TABLE for sfx in u.suffixes),
        key=lambda p: len(p[0]),
        reverse=True,
    )
)
_ISO_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGIT: Final = re.compile(r"[0-9]")
_MAX_DEPTH: Final = 8
_DATE: Final = ClaimKind.date  # enum member look-ups are slow in 3.11


@dataclass
class Values:
    """A bag of normalised values that back claims."""

    quantities: set[tuple[str, Num]] = field(default_factory=set)
    ranges: set[tuple[str, Num, Num]] = field(default_factory=set)
    #: bare numbers (a context value whose key names no unit)
    numbers: set[Num] = field(default_factory=set)
    dates: set[int] = field(default_factory=set)
    month_days: set[tuple[int, int]] = field(default_factory=set)

    def add_claim(self, claim: Claim) -> None:
        if claim.kind is _DATE:
            day = claim.day
            if day is not None:
                self.add_date(day)
            return
        family, low, high = claim.canonical()
        self.quantities.add((family, low))
        if high != low:
            self.quantities.add((family, high))
            self.ranges.add((family, low, high))

    def add_date(self, day: date) -> None:
        self.dates.add(day.toordinal())
        self.month_days.add((day.month, day.day))

    def update(self, other: Values) -> None:
        self.quantities |= other.quantities
        self.ranges |= other.ranges
        self.numbers |= other.numbers
        self.dates |= other.dates
        self.month_days |= other.month_days

    def backs(self, claim: Claim) -> bool:
        """Whether this bag states the claim's value (a date written without a year is
        matched on month and day)."""
        if claim.kind is _DATE:
            day = claim.day
            if day is None:
                return False
            if claim.year_given:
                return claim.low in self.dates
            return (day.month, day.day) in self.month_days
        family, low, high = claim.canonical()
        if claim.number in self.numbers and not claim.is_range:
            return True
        if high != low:
            return (family, low, high) in self.ranges or (
                (family, low) in self.quantities and (family, high) in self.quantities
            )
        return (family, low) in self.quantities

    def near_date(self, target: date, offsets: Iterable[int] = (0,), slack: int = 1) -> bool:
        """Whether some date here plus one of ``offsets`` days is within ``slack`` days
        of ``target`` (for "18 days ago", "12 days left")."""
        t = target.toordinal()
        return any(abs(d + off - t) <= slack for d in self.dates for off in offsets)


def text_values(text: str, as_of: datetime | date | None, dollar: str = "USD") -> Values:
    values = Values()
    for claim in extract_claims(text, as_of, dollar):
        values.add_claim(claim)
    return values


def context_values(items: Iterable[object], as_of: datetime, currency: str = "USD") -> Values:
    """The values in structured data (``conversation.context``, tool-call arguments).
    ``*_cents`` numbers are in ``currency`` (the tenant's), unless the mapping holding
    them has a ``"currency"`` key naming another."""
    values = Values()
    for item in items:
        _walk(item, "", values, as_of, 0, currency)
    return values


def _walk(item: object, key: str, out: Values, as_of: datetime, depth: int, cur: str) -> None:
    if depth > _MAX_DEPTH:
        return
    # a plain str, dict or int first (each what the chain below does with it):
    # ``isinstance(_, Mapping)`` is a slow ABC check
    kind = type(item)
    if kind is str:
        _string(item, out, as_of, cur)  # type: ignore[arg-type]
    elif kind is int:
        _number(item, key, out, cur)  # type: ignore[arg-type]
    elif isinstance(item, dict | Mapping):
        named = item.get("currency")
        if isinstance(named, str) and named.upper() in CURRENCIES:
            cur = named.upper()
        leaf = depth < _MAX_DEPTH  # (what ``_walk(v, …, depth + 1, …)`` would check)
        for k, v in item.items():
            kind = type(v)
            if leaf and type(k) is str and (kind is str or kind is int):
                # = ``_walk``'s first two cases, without the call
                if kind is str:
                    _string(v, out, as_of, cur)
                else:
                    _number(v, k.lower(), out, cur)
            else:
                _walk(v, str(k).lower(), out, as_of, depth + 1, cur)
    elif isinstance(item, list | tuple):
        for v in item:
            _walk(v, key, out, as_of, depth + 1, cur)
    elif isinstance(item, bool) or item is None:
        return
    elif isinstance(item, int | float):
        _number(item if isinstance(item, int) else exact(Fraction(item)), key, out, cur)
    elif isinstance(item, str):
        _string(item, out, as_of, cur)


def _string(item: str, out: Values, as_of: datetime, currency: str) -> None:
    if _ISO_DAY.match(item):
        try:
            out.add_date(datetime.fromisoformat(item.replace("Z", "+00:00")).date())
            return
        except ValueError:
            pass
    if len(item) <= 2_000 and _has_digit(item) and not _is_identifier(item):
        # no cache here on purpose: context strings are customer data (addresses, notes),
        # and a process-wide cache would keep them across conversations and tenants
        out.update(text_values(item, as_of))


def _has_digit(item: str) -> bool:
    """``any(map(str.isdigit, item))``: of ASCII characters only 0-9 are digits, found in C."""
    if item.isascii():
        return _DIGIT.search(item) is not None
    return any(map(str.isdigit, item))


#: letters, then digits: an order or SKU id ("A-1001", "ord#77", "SKU123")
_IDENTIFIER: Final = re.compile(r"([A-Za-z]+)(?:[-#]\d+|\d+)")


def _is_identifier(item: str) -> bool:
    """Whether ``item`` is letters and digits that cannot hold a claim: a claim would
    have to start at its first letter (elsewhere a letter precedes it), where only an
    ISO currency code straight before the digits reads as one ("USD30")."""
    m = _IDENTIFIER.fullmatch(item)
    return m is not None and (item[m.end(1)] in "-#" or m.group(1).upper() not in CURRENCIES)


def _number(value: Num, key: str, out: Values, currency: str) -> None:
    if "_" in key or key in _BARE_UNITS:
        k = f"_{key}"
        # the longest suffix of ``_SUFFIX_UNITS`` that ends ``k`` (each starts with "_"):
        # the one starting at the first "_" of ``k`` that starts one
        at = 0
        while at != -1:
            unit = _BY_SUFFIX.get(k[at:])
            if unit is not None:
                if unit == "cents":
                    unit = money_unit(currency)
                out.quantities.add(canonical(value, unit))
                return
            at = k.find("_", at + 1)
    out.numbers.add(value)


#: suffix → unit, the first of ``_SUFFIX_UNITS`` for each suffix
_BY_SUFFIX: Final = dict(reversed(_SUFFIX_UNITS))
#: a key that is only a unit ("cents": 500)
_BARE_UNITS: Final = frozenset(s[1:] for s, _ in _SUFFIX_UNITS)


@dataclass(frozen=True)
class DocumentValues:
    """One document version, read once at construction: the values it states, and per
    clause the values stated next to which words (for "does the policy itself say this
    about this topic")."""

    id: str
    version: str
    values: Values
    clauses: tuple[tuple[str, frozenset[tuple[str, Num]]], ...]

    @classmethod
    def of(cls, doc: Document, dollar: str = "USD") -> DocumentValues:
        claims = extract_claims(doc.text, doc.effective_from, dollar)
        values = Values()
        for c in claims:
            values.add_claim(c)
        seg = Segments.of(doc.text)
        by_clause: dict[int, set[tuple[str, Num]]] = {}
        for c in claims:
            if c.kind is ClaimKind.date:
                continue
            family, low, high = c.canonical()
            bucket = by_clause.setdefault(seg.clause(c.start), set())
            bucket.update({(family, low), (family, high)})
        for i, (s, e) in enumerate(seg.clauses):
            found = markers(doc.text[s:e])
            if found:
                by_clause.setdefault(i, set()).update(found)
        clauses = tuple(
            (f" {words(doc.text[s:e])} ", frozenset(by_clause[i]))
            for i, (s, e) in enumerate(seg.clauses)
            if i in by_clause
        )
        return cls(doc.id, doc.version, values, clauses)


Ref = tuple[str, str]
K = TypeVar("K")


class StatedBy:
    """Which document versions state each value: an inverted index over
    :class:`DocumentValues`, built once, so that "does any cited document back this
    claim" is a few look-ups instead of one :meth:`Values.backs` per cited document.
    :meth:`backs` answers exactly ``any(d.values.backs(claim) for d in cited)``."""

    def __init__(self, documents: Iterable[DocumentValues]) -> None:
        self.quantities: dict[tuple[str, Num], set[Ref]] = {}
        self.ranges: dict[tuple[str, Num, Num], set[Ref]] = {}
        self.numbers: dict[Num, set[Ref]] = {}
        self.dates: dict[int, set[Ref]] = {}
        self.month_days: dict[tuple[int, int], set[Ref]] = {}
        for doc in documents:
            ref, v = (doc.id, doc.version), doc.values
            _index(self.quantities, v.quantities, ref)
            _index(self.ranges, v.ranges, ref)
            _index(self.numbers, v.numbers, ref)
            _index(self.dates, v.dates, ref)
            _index(self.month_days, v.month_days, ref)

    def backs(self, claim: Claim, cited: set[Ref]) -> bool:
        """Whether some document version in ``cited`` states the claim's value (the
        logic of :meth:`Values.backs`, per document)."""
        if claim.kind is _DATE:
            if claim.year_given:
                return _meets(self.dates.get(int(claim.low)), cited)
            day = date.fromordinal(int(claim.low))
            return _meets(self.month_days.get((day.month, day.day)), cited)
        family, low, high = claim.canonical()
        if not claim.is_range and _meets(self.numbers.get(claim.number), cited):
            return True
        if high != low:
            if _meets(self.ranges.get((family, low, high)), cited):
                return True
            lows, highs = self.quantities.get((family, low)), self.quantities.get((family, high))
            return lows is not None and highs is not None and _meets(lows & highs, cited)
        return _meets(self.quantities.get((family, low)), cited)


def _index(bag: dict[K, set[Ref]], keys: Iterable[K], ref: Ref) -> None:
    for key in keys:
        bag.setdefault(key, set()).add(ref)


def _meets(refs: set[Ref] | None, cited: set[Ref]) -> bool:
    return refs is not None and not refs.isdisjoint(cited)


def shifted(day: date, days: Num) -> date:
    return day + timedelta(days=round(days))
