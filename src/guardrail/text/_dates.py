"""Dates in text: ISO, US, day-month and month-day forms, and relative weekdays,
resolved against ``as_of``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Final

from ._scan import finditer_at

__all__ = ["DATE_WORDS", "find_dates", "shape_dates"]

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


#: the words a date can open or close with, as whole words of a text's shape
_MONTH_WORDS: Final = frozenset(_MONTHS)
_RELATIVE_WORDS: Final = frozenset(["next", "this", "last", "coming"])
_WEEKDAY_WORDS: Final = frozenset(_WEEKDAYS)
#: every word :func:`shape_dates` looks for
DATE_WORDS: Final = _MONTH_WORDS | _RELATIVE_WORDS | _WEEKDAY_WORDS


def shape_dates(
    low: str, shape: str, words: frozenset[str], today: date | None
) -> list[tuple[int, int, date, bool]]:
    r"""``find_dates(text, low, today, True)`` for lower-cased ASCII ``low``, from its
    ``text_shape`` (``_numbers.text_shape``: a-z kept, digits "0", else a space, one
    space in front so that ``shape`` at ``k`` is the character before ``low[k]``) and
    the set of that shape's words (or those of them in :data:`DATE_WORDS`).

    The pattern is tried only where a date can start, found without a scan of its own.
    A match starts where ``low`` has no word character, "/" or "-" before it, so at a
    word of the shape (ASCII ``\w`` is a-z, 0-9 and "_", which is a space there):

    * a month name (``mon``) is a whole word: a "." or whitespace follows it;
    * a day before a month (``dm``) is the nearest digit run (" 0") before the month
      word (the month is a whole word too: ``\b`` and whitespace around it), as only
      letters ("st", "of") and whitespace come between;
    * an ISO date is the digit run before its first "-", a US date the one before its
      first "/" (the run is at most 4 digits and ends right there);
    * a relative weekday (``rel``) starts at its relative word, a whole word, and needs
      a weekday word.

    Every alternative but ``rel`` holds a digit. Trying the pattern at a superset of the
    places where it matches gives ``finditer``'s matches (see ``_scan.finditer_at``)."""
    if " 0" not in shape:  # no digit run a date can start with
        if words.isdisjoint(_RELATIVE_WORDS) or words.isdisjoint(_WEEKDAY_WORDS):
            return []
        starts: list[int] = []
    else:
        starts = []
        rfind = shape.rfind
        for name in _MONTH_WORDS.intersection(words):
            key, step = f" {name} ", len(name) + 1
            at = shape.find(key)
            while at >= 0:
                starts.append(at)
                # -1 when there is none: ``finditer_at`` skips offsets before 0
                starts.append(rfind(" 0", 0, at))
                at = shape.find(key, at + step)
        for sep in "-/":
            at = low.find(sep)
            while at >= 0:
                if shape[at] == "0":  # a digit before it
                    starts.append(rfind(" 0", 0, at + 1))
                at = low.find(sep, at + 1)
        if words.isdisjoint(_WEEKDAY_WORDS):
            if not starts:
                return []
            return _found(finditer_at(_DATE, low, starts), today)
    for name in _RELATIVE_WORDS.intersection(words):
        key, step = f" {name} ", len(name) + 1
        at = shape.find(key)
        while at >= 0:
            starts.append(at)
            at = shape.find(key, at + step)
    return _found(finditer_at(_DATE, low, starts), today) if starts else []


def _found(matches: list[re.Match[str]], today: date | None) -> list[tuple[int, int, date, bool]]:
    out = []
    for m in matches:
        found = _date(m, today)
        if found is not None:
            out.append((m.start(), m.end(), found[0], found[1]))
    return out


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


#: the date pattern's groups, in order (one ``m.groups()`` call, not one ``m.group(name)``
#: call per group)
_GROUPS: Final = ("iy", "im", "id", "mon", "md", "my", "dm", "mon2", "my2", "um", "ud", "uy")
assert tuple(sorted(_DATE.groupindex, key=_DATE.groupindex.__getitem__)) == (
    *_GROUPS,
    *("rel", "wd"),
)
assert _DATE_I.groupindex == _DATE.groupindex and _DATE.groups == len(_GROUPS) + 2


def _date(m: re.Match[str], today: date | None) -> tuple[date, bool] | None:
    iy, im, id_, mon, md, my, dm, mon2, my2, um, ud, uy, rel, wd = m.groups()
    year_given = True
    try:
        if iy is not None:
            day = date(int(iy), int(im), int(id_))
        elif um is not None:
            day = date(int(uy), int(um), int(ud))
        elif rel is not None:
            if today is None:
                return None
            weekday = _WEEKDAYS.get(wd.casefold())
            if weekday is None:
                return None
            day = _weekday(today, rel.casefold(), weekday)
            year_given = False
        else:
            # casefold, not lower: the case-insensitive pattern (used when lower-casing
            # changes the text's length) also matches e.g. "ſept" (long s)
            month = _MONTHS.get((mon or mon2).casefold())
            if month is None:
                return None
            dom = int(md or dm)
            year = my or my2
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
    November 20 is this year's, said on January 3 it is last year's).

    :func:`_nearest_of_three` without building all three: this year's date on or after
    ``today`` can only lose to last year's (next year's is farther), one before it only
    to next year's; on a tie the earlier option wins, as ``min`` keeps the first."""
    year = today.year
    try:
        this = date(year, month, dom)
        if this >= today:
            before = date(year - 1, month, dom)
            return before if today - before <= this - today else this
        after = date(year + 1, month, dom)
        return after if after - today < today - this else this
    except ValueError:  # February 29, or the first or last year ``date`` has
        return _nearest_of_three(today, month, dom)


def _nearest_of_three(today: date, month: int, dom: int) -> date:
    """The date with this month and day nearest ``today``, of last, this and next
    year's."""
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
