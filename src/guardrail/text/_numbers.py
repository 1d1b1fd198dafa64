"""Numbers and units: number words, magnitudes, and the exact unit conversions.

Values are :class:`fractions.Fraction` so that "$129.00", "USD 129" and "129 dollars" are
the *same* value, not three nearly-equal floats. Units fall into *families*; two values
are comparable only inside one family, and only the exact conversions are made:
hour/day/week (24 h, 7 d), month/year (12 mo). A month is never converted to days, and a
business day is never a calendar day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

from ..knowledge._units import CURRENCIES, UNIT_TABLE, money_unit
from ._scan import finditer_at

_ONES: Final = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES: Final = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MAGNITUDE: Final = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, **_SCALES}

_WORD = "|".join(sorted([*_ONES, "hundred", "dozen", *_SCALES], key=len, reverse=True))
#: digits with optional thousands separators and decimals: 1, 129.00, 76,000
DIGITS: Final = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: the number words, one regex alternation
NUMBER_WORDS: Final = _WORD


def words_pattern(alternation: str) -> str:
    """:data:`WORDS` from an alternation of the single number words (:data:`NUMBER_WORDS`,
    or the same regex written otherwise: :func:`by_first_letter`)."""
    return rf"(?:{alternation})\b(?:(?:\s+|-)(?:and\s+)?(?:{alternation})\b)*"


#: number words: "sixty", "forty-five", "one hundred and twenty"
WORDS: Final = words_pattern(_WORD)
#: a money magnitude suffix: 76k, $1.5m, 2 million
MAGNITUDE: Final = r"(?:\s?(?:k|m|bn)\b|\s+(?:thousand|million|billion)\b)"

_SPLIT = re.compile(r"[\s-]+")

#: words that can open a number, an amount or a range in ASCII text besides a digit and
#: "$" ("us$", "between"; "a day", "an hour"), each followed there by a non-word
_OPENERS: Final = frozenset(
    [
        *_WORD.split("|"),
        *("a", "an", "between"),
        *(code.lower() for code in CURRENCIES),
        # the letters of "us$", "c$", "nz$" … ("$" is a separator in the text's shape)
        *(s[:-1] for c in CURRENCIES.values() for s in c.symbols if s.endswith("$") and s != "$"),
    ]
)
#: the words :func:`opener_starts` looks for
OPENER_WORDS: Final = _OPENERS
#: openers that open a match only as the letters of a symbol ("us$"): no number word,
#: article, ISO code (three letters) or "between" is one of them
_SYMBOL_ONLY: Final = frozenset(
    s[:-1] for c in CURRENCIES.values() for s in c.symbols if s.endswith("$") and s != "$"
) - {*_WORD.split("|"), "a", "an", "between"}
assert all(len(w) < 3 for w in _SYMBOL_ONLY)
#: the articles, which open no match right before a space and a digit ("a 15% fee")
_ARTICLES: Final = frozenset({"a", "an"})
#: bytes.translate table: a-z kept, 0-9 → "0", every other byte → space
_SHAPE: Final = bytes(b if 97 <= b <= 122 else 48 if 48 <= b <= 57 else 32 for b in range(256))


def number_starts(low: str) -> list[int] | None:
    r"""For lower-cased ASCII text that does not contain "usd": in order, every offset at
    which a word in ``_OPENERS`` or one that starts with a digit starts, and every "$"
    (a superset of where the main claim pattern, which opens with the look-behind
    ``(?<![\w$#/.,-])``, can match), less some where it cannot (``_SYMBOL_ONLY`` without
    "$", ``_ARTICLES`` before " " and a digit); None for any other text. Words are runs of a-z
    and 0-9, found with ``str.find`` in the text's shape (digits as "0", every other
    character a space, and a space in front, so that " word" is found at the word's
    offset in ``low``), as ``re`` would try the pattern at every offset."""
    if not low.isascii() or "usd" in low:
        return None
    shape = text_shape(low)
    return opener_starts(low, shape, shape.split())


def text_shape(low: str) -> str:
    """The shape of lower-cased ASCII text (see :func:`number_starts`), with a space in
    front and one behind: ``shape[k + 1]`` is the shape of ``low[k]``, and ``" w "``
    found at ``k`` is a whole word ``w`` starting at ``low[k]``."""
    return f" {low.encode('ascii').translate(_SHAPE).decode('ascii')} "


def opener_starts(low: str, shape: str, words: Iterable[str]) -> list[int]:
    """:func:`number_starts` for ASCII ``low`` without "usd", from its
    :func:`text_shape` and that shape's words (``shape.split()`` or a set of them)."""
    # a digit after a space in the shape: a digit run's start, at its offset in ``low``
    # (``[m.start() for m in re.finditer(" 0", shape)]``, by ``str.find``: no match
    # objects; two such places are at least two apart)
    starts: list[int] = []
    find = shape.find
    at = find(" 0")
    while at >= 0:
        starts.append(at)
        at = find(" 0", at + 2)
    for word in _OPENERS.intersection(words):
        key, step = f" {word} ", len(word) + 1
        at = find(key)
        if word in _SYMBOL_ONLY:  # "us" opens a match only as "us$"
            while at >= 0:
                if low.startswith("$", at + step - 1):
                    starts.append(at)
                at = find(key, at + step)
        elif word in _ARTICLES:
            # after "a", the pattern reads a currency, a range, a unit, "%" or a word,
            # each after at most spaces (or a dash): never a digit after one space
            while at >= 0:
                if not (
                    low.startswith(" ", at + step - 1) and shape.startswith("0", at + step + 1)
                ):
                    starts.append(at)
                at = find(key, at + step)
        else:
            while at >= 0:
                starts.append(at)
                at = find(key, at + step)
    at = low.find("$")
    while at >= 0:
        starts.append(at)
        at = low.find("$", at + 1)
    starts.sort()
    return starts


#: an exact number: an int when whole (fast), a Fraction otherwise ("1.5", "12.5")
Num = int | Fraction


def exact(value: Num) -> Num:
    """``value`` as an int when it is whole."""
    if type(value) is int:  # the common case; ``isinstance(_, Fraction)`` is an ABC check
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


#: number as written → its value (few distinct spellings recur; bounded); hot paths
#: read it as ``PARSED`` before they call :func:`parse_number`
_PARSED: dict[str, Num | None] = {}
PARSED: Final = _PARSED


def parse_number(text: str) -> Num | None:
    """``"76,000"`` → 76000, ``"129.00"`` → 129, ``"forty-five"`` → 45, ``"a"`` → 1."""
    try:
        return _PARSED[text]
    except KeyError:
        pass
    if len(_PARSED) > 10_000:
        _PARSED.clear()
    found = _PARSED[text] = _parse_number(text)
    return found


def _parse_number(text: str) -> Num | None:
    text = text.strip().lower()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text[0].isdigit():
        try:
            return exact(Fraction(text.replace(",", "")))
        except (ValueError, ZeroDivisionError):
            return None
    if text in ("a", "an"):
        return 1
    total = current = 0
    for token in _SPLIT.split(text):
        if token in ("and", ""):
            continue
        if token in _ONES:
            current += _ONES[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token == "dozen":
            current = (current or 1) * 12
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current = 0
        else:
            return None
    return total + current


def magnitude(suffix: str | None) -> int:
    """The multiplier of a suffix like ``k`` or ``million`` (1 when absent)."""
    if not suffix:
        return 1
    return _MAGNITUDE.get(suffix.strip().lower(), 1)


#: unit → (family, size in the family's base unit): the unit table's rows, money as one
#: family per currency ("cents:EUR" → ("money:EUR", 1)), and "fortnight" (two weeks)
UNITS: Final[dict[str, tuple[str, Num]]] = {
    **{u.name: (u.family, u.size) for u in UNIT_TABLE if u.name != "cents"},
    **{money_unit(code): (f"money:{code}", 1) for code in CURRENCIES},
    "fortnight": ("time", 24 * 14),
}
#: unit → the kind of claim it makes (``duration``, ``quantity``, …)
UNIT_KINDS: Final[dict[str, str]] = {
    **{u.name: u.kind for u in UNIT_TABLE if u.name != "cents"},
    **{money_unit(code): "money" for code in CURRENCIES},
    "fortnight": "duration",
}
#: each spelling regex after a number → its unit name (longest alternatives first)
SPELLINGS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    *((re.compile(f"(?:{sp})$"), u.name) for u in UNIT_TABLE for sp in u.spellings),
    (re.compile(r"fortnights?$"), "fortnight"),
)
#: one regex alternative matching every unit spelling (durations and measures)
UNIT_PATTERN: Final = "|".join(
    sorted(
        [sp for u in UNIT_TABLE for sp in u.spellings] + [r"fortnights?"],
        key=len,
        reverse=True,
    )
)


def by_first_letter(pattern: str) -> str:
    """A regex alternation of alternatives that each open with a lower-case ASCII letter
    (``"days?|weeks?|dollars"``), grouped by that letter (``"d(?:ays?|ollars)|weeks?"``);
    ``pattern`` itself when an alternative opens otherwise. A leading group of letters
    (``"(?:business|working)[\\s-]days?"``) is first spread over its words.

    The same regex, faster: ``re`` tries an alternation's alternatives one by one, and a
    grouped one skips a whole group on one failed letter. Two alternatives that open
    with different letters cannot both match at one place (no character matches two
    different ASCII letters, not even with IGNORECASE: "K" (Kelvin) only "k", "ſ"
    only "s"), so at any place the alternatives that can match are those of one group,
    still in their order: the first that leads to a match is the same one."""
    flat: list[str] = []
    for alt in _top_level(pattern):
        m = _LETTER_GROUP.fullmatch(alt)
        if m is not None and m.group(2)[:1] not in ("?", "*", "+", "{"):
            flat += [w + m.group(2) for w in m.group(1).split("|")]
        else:
            flat.append(alt)
    groups: dict[str, list[str]] = {}
    for alt in flat:
        if _OPENS_WITH_LETTER.match(alt) is None:
            return pattern
        groups.setdefault(alt[0], []).append(alt[1:])
    return "|".join(
        f"{k}(?:{'|'.join(rest)})" if len(rest) > 1 else k + rest[0] for k, rest in groups.items()
    )


#: a leading group of plain words, and what follows it
_LETTER_GROUP: Final = re.compile(r"\(\?:([a-z]+(?:\|[a-z]+)*)\)(.*)", re.DOTALL)
#: a letter that is a literal on its own (no quantifier after it)
_OPENS_WITH_LETTER: Final = re.compile(r"[a-z](?![?*+{])")


def _top_level(pattern: str) -> list[str]:
    """The alternatives of a regex alternation (split at each "|" outside groups, sets
    and escapes)."""
    out: list[str] = []
    depth, begin, i = 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a set: to its closing "]" (a "]" first in it is a literal)
            i += 2 if pattern[i + 1 : i + 2] == "^" else 1
            i = pattern.index("]", i + 1 if pattern[i : i + 1] == "]" else i)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[begin:i])
            begin = i + 1
        i += 1
    out.append(pattern[begin:])
    return out


def unit_word(word: str) -> str:
    """Normalise a unit as written (``"Business-Days"``, ``"hrs"``, ``"GB"``) to a unit
    name."""
    w = " ".join(word.lower().replace("-", " ").split())
    for pattern, name in SPELLINGS:
        if pattern.match(w):
            return name
    raise KeyError(word)


def canonical(value: Num, unit: str) -> tuple[str, Num]:
    """``(family, value in the family's base unit)``; raises KeyError on an unknown unit."""
    family, size = UNITS[unit]
    value = value * size
    return family, value if type(value) is int else exact(value)


def plain(value: Num | float) -> int | float:
    """A JSON-friendly number: an int when the value is whole."""
    if isinstance(value, int):
        return value
    return int(value) if value == int(value) else float(value)


#: families that are all durations: comparable by bounds when not exactly
DURATION_FAMILIES: Final = frozenset({"time", "calendar", "business_day"})


def hour_bounds(family: str, value: Num) -> tuple[Num, Num]:
    """The least and most hours a duration can be: a month is 28-31 days, a year 365-366,
    N business days N to 7N/5 + 4 calendar days (weekends and holidays). Exact for
    hours, days and weeks. Used only to prove a claim wrong, never to prove it right."""
    if family == "time":
        return value, value
    if family == "calendar":
        years, months = divmod(value, 12)
        return 24 * (365 * years + 28 * months), 24 * (366 * years + 31 * months)
    if family == "business_day":
        return 24 * value, exact(24 * (value * Fraction(7, 5) + 4))
    raise KeyError(family)


def first_matches(pattern: re.Pattern[str], low: str) -> Iterable[re.Match[str]]:
    """``pattern.finditer(low)`` for the main claim pattern, tried only at
    :func:`number_starts` when they are known."""
    starts = number_starts(low)
    if starts is None:
        return pattern.finditer(low)
    return finditer_at(pattern, low, starts)
