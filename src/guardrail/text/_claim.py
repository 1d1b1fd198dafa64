"""A claim: a number attached to a unit in a text, with its character offsets and a
normalised value ("30 days", "$129.00", "15%", "2 points", "November 2").

:class:`Claim` is built on the hot path of every check, so :func:`new_claim` sets its
slots directly (see there)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import Enum
from typing import Any, Final, Literal, cast

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
        # :func:`new_claim` inlines this body: keep the two in step
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
        low = self.low
        if self.kind is _DATE_KIND:
            return date.fromordinal(int(low)).isoformat()
        if low != self.high:  # a range
            return [plain(low), plain(self.high)]
        return plain(low)

    @property
    def currency(self) -> str | None:
        """A money claim's ISO 4217 code (``unit`` is ``"cents:<code>"``)."""
        return self.unit[6:] if self.kind is _MONEY else None

    def brief(self) -> dict[str, Any]:
        """The claim as finding evidence (money: ``unit`` ``"cents"`` and ``currency``)."""
        out: dict[str, Any] = {
            "span": [self.start, self.end],
            "claim": self.text,
            "kind": self.kind._value_,  # = ``.value``: a plain attribute, not a property
            "value": self.value,
            "unit": self.unit,
        }
        if self.kind is _MONEY:
            out["unit"], out["currency"] = "cents", self.unit[6:]
        return out


#: ``Claim(...)`` without the frozen dataclass's ``__init__`` (one ``object.__setattr__``
#: call per field, ~2x slower on the hot path), see :func:`new_claim`
_INIT_FIELDS: Final = tuple(f.name for f in fields(Claim) if f.init)
assert (
    *("kind", "text", "start", "end", "unit", "low", "high", "number"),
    *("relation", "disowned", "year_given"),
) == _INIT_FIELDS
assert Claim.__slots__ == (*_INIT_FIELDS, "_canon")


class _Unfrozen:
    """A :class:`Claim` under construction (see :func:`new_claim`): the same slots, so
    the same memory layout."""

    __slots__ = Claim.__slots__
    kind: ClaimKind
    text: str
    start: int
    end: int
    unit: str
    low: Num
    high: Num
    number: Num
    relation: Relation
    disowned: bool
    year_given: bool
    _canon: tuple[str, Num, Num]


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
    """``Claim(kind, text, …)``, the same object, ~2x faster: the fields are set by plain
    attribute stores on an :class:`_Unfrozen` (which the interpreter specialises for
    slots), then the object becomes a :class:`Claim` by ``__class__`` assignment, which
    CPython allows between classes of identical layout. ``_canon`` is what
    ``__post_init__`` sets (its body, inlined: keep the two in step)."""
    claim: _Unfrozen = _new(_Unfrozen)
    claim.kind = kind
    claim.text = text
    claim.start = start
    claim.end = end
    claim.unit = unit
    claim.low = low
    claim.high = high
    claim.number = number
    claim.relation = relation
    claim.disowned = disowned
    claim.year_given = year_given
    if kind is _DATE_KIND:
        claim._canon = ("date", low, high)
    else:
        family, size = UNITS[unit]
        low, high = low * size, high * size
        claim._canon = (
            family,
            low if type(low) is int else exact(low),
            high if type(high) is int else exact(high),
        )
    claim.__class__ = Claim  # type: ignore[assignment]
    return cast(Claim, claim)


_probe = Claim(ClaimKind.money, "$1", 0, 2, "cents:USD", 100, 100, 1, "", True, True)
assert new_claim(ClaimKind.money, "$1", 0, 2, "cents:USD", 100, 100, 1, "", True) == _probe
assert type(new_claim(ClaimKind.date, "x", 0, 1, "date", 1, 1, 1)) is Claim
del _probe
