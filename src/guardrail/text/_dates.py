"""Dates in text: ISO, US, day-month and month-day forms, and relative weekdays,
resolved against ``as_of``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Final

from ._scan import finditer_at

__all__ = ["find_dates"]

_MONTHS: Final = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS: Final = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERN: Final = (
    rf"(?<![\w/-])(?:"
    rf"(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})(?![\d-])"
    rf"|(?P<mon>{_MON})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<my>\d{{4}})\b)?"
    rf"|(?P<dm>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MON})\b\.?"
    rf"(?:,?\s+(?P<my2>\d{{4}})\b)?"
    rf"|(?P<um>\d{{1,2}})/(?P<ud>\d{{1,2}})/(?P<uy>\d{{4}})\b"
    rf"|(?P<rel>next|this|last|coming)\s+(?P<wd>{'|'.join(_WEEKDAYS)})\b"
    rf")"
)
# the patterns are lower case: they run on ``text.lower()`` (2-3x faster than IGNORECASE),
# and with IGNORECASE on the rare text whose lower-casing changes its length
_DATE: Final = re.compile(_DATE_PATTERN)
_DATE_I: Final = re.compile(_DATE_PATTERN, re.IGNORECASE)
#: where a match can start: every alternative opens with a digit, a month name (which
#: starts with its abbreviation) or a relative word
_DIGITS: Final = re.compile(r"\d\d*")  # not ``\d+``: a leading class lets ``re`` skip ahead
_START_WORDS: Final = sorted({n[:3] for n in _MONTHS} | {"next", "this", "last", "coming"})
_STARTS_I: Final = re.compile("|".join(_START_WORDS), re.IGNORECASE)


def find_dates(
    text: str, low: str, today: date | None, lowered: bool
) -> Iterator[tuple[int, int, date, bool]]:
    """``(start, end, day, year_given)`` for each date; ``low`` is ``text.lower()`` when
    ``lowered`` (same length), else ``text`` itself (matched case-insensitively)."""
    if not _maybe_dates(low):
        return
    pattern = _DATE if lowered else _DATE_I
    # ``pattern.finditer(low)``, but tried only where a date can start (a digit run, a
    # month name, a relative word): the pattern opens with a look-behind, so ``re``
    # would otherwise attempt its alternatives at every offset of the text
    starts = {m.start() for m in _DIGITS.finditer(low)}
    if lowered:
        for word in _START_WORDS:  # str.find beats a regex here: these letters are common
            at = low.find(word)
            while at >= 0:
                starts.add(at)
                at = low.find(word, at + 1)
    else:
        starts.update(m.start() for m in _STARTS_I.finditer(low))
    for m in finditer_at(pattern, low, starts):
        found = _date(m, today)
        if found is not None:
            yield m.start(), m.end(), found[0], found[1]


_DATE_HINTS: Final = (
    *("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    *("next ", "this ", "last ", "coming ", "-", "/"),
)


#: one scan for any hint (every month name contains its abbreviation, which is a hint);
#: case-sensitive, as ``low`` is the original text when lower-casing changed its length
_HINT: Final = re.compile("|".join(re.escape(h) for h in _DATE_HINTS))


def _maybe_dates(low: str) -> bool:
    """A cheap test that the date pattern could match at all."""
    return _HINT.search(low) is not None


def _date(m: re.Match[str], today: date | None) -> tuple[date, bool] | None:
    g = m.group
    year_given = True
    try:
        if g("iy") is not None:
            day = date(int(g("iy")), int(g("im")), int(g("id")))
        elif g("um") is not None:
            day = date(int(g("uy")), int(g("um")), int(g("ud")))
        elif g("rel") is not None:
            if today is None:
                return None
            weekday = _WEEKDAYS.get(g("wd").casefold())
            if weekday is None:
                return None
            day = _weekday(today, g("rel").casefold(), weekday)
            year_given = False
        else:
            # casefold, not lower: the case-insensitive pattern (used when lower-casing
            # changes the text's length) also matches e.g. "ſept" (long s)
            month = _MONTHS.get((g("mon") or g("mon2")).casefold())
            if month is None:
                return None
            dom = int(g("md") or g("dm"))
            year = g("my") or g("my2")
            if year is not None:
                day = date(int(year), month, dom)
            elif today is None:
                return None
            else:
                day, year_given = _nearest(today, month, dom), False
    except ValueError:
        return None  # "February 30": not a date
    return day, year_given


def _nearest(today: date, month: int, dom: int) -> date:
    """The date with this month and day nearest ``today`` (so "November 2" said on
    November 20 is this year's, said on January 3 it is last year's)."""
    options = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(date(year, month, dom))
        except ValueError:
            continue
    if not options:
        raise ValueError("no such day")
    return min(options, key=lambda d: abs((d - today).days))


def _weekday(today: date, rel: str, weekday: int) -> date:
    ahead = (weekday - today.weekday()) % 7
    if rel == "last":
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    if rel == "next":
        return today + timedelta(days=ahead or 7)
    return today + timedelta(days=ahead)  # this / coming
