"""The unit table: every unit a quantity fact may have, how claims spell it, and the exact
conversions within a family. Data, not code: to add a unit, add a row here (and its
name to ``UnitName``); to add a currency, add a row to ``CURRENCIES``.

A family's values are compared in its base unit; a conversion is made only when it is
exact (1 week = 7 days, 1 GB = 1000 MB, 1 lb = 0.45359237 kg, 1 mi = 1.609344 km).
Month and year share a family of their own, as do business days and nights: a month is
28-31 days, a business day is not a calendar day, a night is not a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal, get_args

__all__ = [
    "CURRENCIES",
    "UNIT_TABLE",
    "Currency",
    "UnitDef",
    "UnitName",
    "money_unit",
]

UnitName = Literal[
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "business_day",
    "night",
    "cents",
    "percent",
    "count",
    "KB",
    "MB",
    "GB",
    "TB",
    "kbps",
    "Mbps",
    "Gbps",
    "g",
    "kg",
    "lb",
    "m",
    "km",
    "mi",
]


@dataclass(frozen=True)
class UnitDef:
    """One unit: its family, its size in the family's base unit, the claim kind it makes,
    how a claim spells it after a number (lower-case regex alternatives, longest first)
    and the ``context`` key suffixes that carry it (``delivered_days``, ``cap_gb``)."""

    name: str
    family: str
    size: int | Fraction
    kind: str
    spellings: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()


_LB: Final = Fraction("453.59237")  # grams, exactly (1959 international pound)
_MI: Final = Fraction("1609.344")  # metres, exactly (1959 international mile)

#: every unit a fact may have (the base unit of a family has size 1); money is ``cents``,
#: in the minor unit of the fact's ``currency`` (see ``CURRENCIES``)
UNIT_TABLE: Final[tuple[UnitDef, ...]] = (
    # durations: minute/hour/day/week exact; month/year exact between themselves only
    UnitDef("minute", "time", Fraction(1, 60), "duration", (r"minutes?", r"mins?"),
            ("minutes", "mins")),
    UnitDef("hour", "time", 1, "duration", (r"hours?", r"hrs?"), ("hours",)),
    UnitDef("day", "time", 24, "duration", (r"calendar[\s-]days?", r"days?"), ("days",)),
    UnitDef("week", "time", 24 * 7, "duration", (r"weeks?",), ("weeks",)),
    UnitDef("month", "calendar", 1, "duration", (r"months?",), ("months",)),
    UnitDef("year", "calendar", 12, "duration", (r"years?", r"yrs?"), ("years",)),
    UnitDef("business_day", "business_day", 1, "duration",
            (r"(?:business|working)[\s-]days?",), ("business_days",)),
    UnitDef("night", "night", 1, "duration", (r"nights?",), ("nights",)),
    # money, percentages, counts
    UnitDef("cents", "money", 1, "money", (), ("cents",)),
    UnitDef("percent", "percent", 1, "percent", (), ("percent", "pct")),
    UnitDef("count", "count", 1, "count"),
    # data volume (decimal) and data rate
    UnitDef("KB", "data", 1, "quantity", (r"kb", r"kilobytes?"), ("kb",)),
    UnitDef("MB", "data", 1000, "quantity", (r"mb", r"megabytes?", r"megs?"), ("mb",)),
    UnitDef("GB", "data", 1000**2, "quantity", (r"gb", r"gigabytes?", r"gigs?"), ("gb",)),
    UnitDef("TB", "data", 1000**3, "quantity", (r"tb", r"terabytes?"), ("tb",)),
    UnitDef("kbps", "rate", 1, "quantity",
            (r"kbps", r"kbit/s", r"kb/s", r"kilobits?\s+per\s+second"), ("kbps",)),
    UnitDef("Mbps", "rate", 1000, "quantity",
            (r"mbps", r"mbit/s", r"mb/s", r"megabits?\s+per\s+second", r"megabits?"),
            ("mbps",)),
    UnitDef("Gbps", "rate", 1000**2, "quantity",
            (r"gbps", r"gbit/s", r"gb/s", r"gigabits?\s+per\s+second", r"gigabits?"),
            ("gbps",)),
    # weight ("5G" is a network, so a bare "g" is not grams)
    UnitDef("g", "weight", 1, "quantity", (r"grams?", r"grammes?"), ("grams",)),
    UnitDef("kg", "weight", 1000, "quantity",
            (r"kilograms?", r"kilogrammes?", r"kilos?", r"kgs?"), ("kg",)),
    UnitDef("lb", "weight", _LB, "quantity", (r"lbs?", r"pounds?"), ("lb", "lbs")),
    # distance ("5m" is money, so a bare "m" is not metres)
    UnitDef("m", "distance", 1, "quantity", (r"met(?:er|re)s?",), ("meters", "metres")),
    UnitDef("km", "distance", 1000, "quantity", (r"kilomet(?:er|re)s?", r"kms?"), ("km",)),
    UnitDef("mi", "distance", _MI, "quantity", (r"miles?", r"mi"), ("mi", "miles")),
)  # fmt: skip


@dataclass(frozen=True)
class Currency:
    """An ISO 4217 currency: its minor-unit exponent (2: cents; 0: yen), the symbols
    written before an amount and the words written after it (lower case)."""

    code: str
    exponent: int
    symbols: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    #: words for the minor unit written after an amount ("50 cents", "80 pence")
    minor_words: tuple[str, ...] = ()
    #: a dollar currency: "$500 CAD" names it after a bare "$"
    dollar: bool = False


#: the currencies a fact may name; a claim's currency comes from its symbol, code or word.
#: "$" and "dollars" read as USD; "¥" as JPY; "pounds" as GBP unless the clause is about
#: weight (see the grounding layer)
CURRENCIES: Final[dict[str, Currency]] = {
    c.code: c
    for c in (
        Currency("USD", 2, ("us$", "$"), ("us dollars", "dollars", "dollar", "bucks"),
                 ("cents", "cent"), dollar=True),
        Currency("EUR", 2, ("€",), ("euros", "euro"), ("euro cents",)),
        Currency("GBP", 2, ("£",), ("pounds sterling", "pounds", "pound", "quid"), ("pence",)),
        Currency("JPY", 0, ("¥",), ("yen",)),
        Currency("CAD", 2, ("c$", "ca$"), ("canadian dollars",), dollar=True),
        Currency("AUD", 2, ("a$", "au$"), ("australian dollars",), dollar=True),
        Currency("NZD", 2, ("nz$",), ("new zealand dollars",), dollar=True),
        Currency("CHF", 2, (), ("swiss francs", "francs")),
        Currency("SEK", 2, (), ("swedish kronor",)),
        Currency("NOK", 2, (), ("norwegian kroner",)),
        Currency("DKK", 2, (), ("danish kroner",)),
        Currency("PLN", 2, (), ("zloty",)),
        Currency("INR", 2, ("₹",), ("rupees",)),
        Currency("CNY", 2, (), ("yuan", "renminbi")),
        Currency("HKD", 2, ("hk$",), ("hong kong dollars",), dollar=True),
        Currency("SGD", 2, ("s$",), ("singapore dollars",), dollar=True),
        Currency("KRW", 0, ("₩",), ("won",)),
        Currency("MXN", 2, ("mx$",), ("mexican pesos", "pesos"), dollar=True),
        Currency("BRL", 2, ("r$",), ("reais",)),
        Currency("ZAR", 2, (), ("rand",)),
    )
}  # fmt: skip

assert {u.name for u in UNIT_TABLE} == set(get_args(UnitName)), "UnitName and UNIT_TABLE differ"


def money_unit(currency: str) -> str:
    """The grounding layer's unit name for money in ``currency``: ``"cents:EUR"``."""
    return f"cents:{currency}"
