"""A claim: a number attached to a unit in a text, with its character offsets and a
normalised value ("30 days", "$129.00", "15%", "2 points", "November 2").

:class:`Claim` is built on the hot path of every check, so :func:`new_claim` sets its
slots directly (see there)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import Enum
from typing import Any, Final, Literal

from ._numbers import UNITS, Num, exact, plain

__all__ = ["Claim", "ClaimKind", "Relation", "new_claim"]


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


def new_claim(
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
