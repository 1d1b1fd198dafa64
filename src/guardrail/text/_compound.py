"""Claims read together with their neighbour: compound durations, ranges of two values,
and "a month" as a rate."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Final

from ._claim import Claim, ClaimKind, new_claim
from ._numbers import UNITS, exact

__all__ = ["compounds"]

_DATE_KIND: Final = ClaimKind.date
_DURATION: Final = ClaimKind.duration

#: what joins the parts of a compound duration: "4 weeks and 2 days", "1 hour, 30 minutes"
_JOIN: Final = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s(?:and|plus)\s|\s?\+\s?)\s*", re.IGNORECASE)


def compounds(text: str, claims: list[Claim]) -> list[Claim]:
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
        if gap <= 2 and c.kind is _DURATION and c.text[:2].lower() in ("a ", "an"):
            continue  # "50 GB a month": a rate
        if (
            gap <= 8
            and c.unit == prev.unit
            and not c.is_range
            and not prev.is_range
            and _RANGE_JOIN.fullmatch(text, prev.end, c.start) is not None
            and prev.low < c.low
        ):
            out[-1] = new_claim(
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
            gap <= 8  # first: most neighbours are farther apart (the tests have no effects)
            and c.kind is _DURATION
            and prev.kind is _DURATION
            and not c.is_range
            and not prev.is_range
            and c.relation == ""
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
                out[-1] = new_claim(
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
