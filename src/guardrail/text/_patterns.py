"""The regexes of claim extraction (``_extract``), compiled once at import: the main
claim pattern (built by :func:`_main_pattern`, its word lists grouped by first letter),
and the small patterns read around a match (what follows a duration, the word before a
number, disowning words). Kept apart so that ``_extract`` holds only the logic."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from ._dates import DATE_WORDS
from ._money import CURRENCY_AFTER, CURRENCY_BEFORE
from ._numbers import (
    DIGITS,
    MAGNITUDE,
    NUMBER_WORDS,
    OPENER_WORDS,
    UNIT_PATTERN,
    by_first_letter,
    words_pattern,
)

#: an amount after a currency symbol or code: also "25,50" (a decimal comma)
_AMOUNT = rf"(?:\d+,\d{{2}}(?![\d,])|{DIGITS})"
#: words between a number and its unit ("30 full days")
_ADJECTIVES = (
    "full|whole|more|additional|extra|further|included|inclusive|free|bonus|standard"
    "|national|domestic|local|international|consecutive|total|remaining|unused"
)


def _main_pattern(group: Callable[[str], str]) -> str:
    """The main claim pattern, its long alternations of words (units, number words,
    currency words, ``_ADJECTIVES``) each written as ``group`` writes it: grouped by
    first letter (:func:`by_first_letter`, the same regex, ~1.7x faster to match here),
    or as they are (the identity, for the tests)."""
    unit = group(UNIT_PATTERN)
    num = rf"(?:{DIGITS}|{words_pattern(group(NUMBER_WORDS))})"
    return (
        rf"(?<![\w$#/.,-])(?:"
        rf"(?P<cur>{CURRENCY_BEFORE})(?P<n1>{_AMOUNT})(?P<mag1>{MAGNITUDE})?"
        rf"|between\s+(?P<blo>{num})\s+and\s+(?P<bhi>{num})[\s-]+(?P<bunit>{unit})\b"
        rf"|(?P<n2>{num}|an?\b)(?P<mag2>{MAGNITUDE})?(?:"
        rf"\s?(?P<cur2>(?:{group(CURRENCY_AFTER)})\b|€(?!\s?\d))"
        rf"|\s*(?:-|–|—|to|or)\s*(?P<hi>{num})[\s-]*(?P<runit>{unit})\b"
        rf"|[\s-]*(?:(?:{group(_ADJECTIVES)})\s+)?(?P<unit>{unit})\b"
        rf"|\s?(?P<pct>%|percent\b|per\s?cent\b)"
        rf"|\s+(?P<noun>[a-z]+)\b(?!\$)(?P<rate>\s+(?:per|for\s+every|for\s+each|each)\b)?"
        rf"))"
    )


_MAIN_PATTERN: Final = _main_pattern(by_first_letter)

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
#: ``_AFTER`` for ASCII lower-cased text: case-sensitive, the same matches there
_AFTER_LOW: Final = re.compile(_AFTER.pattern)
#: characters of ASCII text that neither ``_AFTER`` nor one space and then ``_AFTER`` can
#: start with: each alternative opens with whitespace, "/", or (after whitespace) one of
#: "a an per each every ago earlier back since left remaining to go from now"
_NOT_AFTER: Final = frozenset(
    chr(c)
    for c in range(128)
    if not chr(c).isspace() and chr(c) not in "/apebslrtf"  # ``\s`` is ``isspace()``
)
assert not any(_AFTER.match(c) or _AFTER.match(" " + c) for c in _NOT_AFTER)
_AHEAD_BEFORE: Final = re.compile(
    r"\b(?:still\s+(?:have|got|has)\s+|another\s+|only\s+have\s+)(?:\w+\s+)?$", re.IGNORECASE
)
#: the words of a text's shape that its scans look for
_SHAPE_WORDS: Final = OPENER_WORDS | DATE_WORDS
_PREV_WORD: Final = re.compile(r"([\w#'’]+)\W*$")
#: ``_PREV_WORD``'s group, in the reversed window (see :func:`_word_before`)
_LAST_WORD: Final = re.compile(r"\W*?([#'’]*\w[\w#'’]*)")
_NEXT_WORD: Final = re.compile(r"[ -]([A-Za-z]+)\b")


#: the main pattern's groups, in order (one ``m.groups()`` call instead of one
#: ``m.group(name)`` call per group)
_GROUPS: Final = ("cur", "n1", "mag1", "blo", "bhi", "bunit", "n2", "mag2", "cur2", "hi")
_GROUPS_2: Final = ("runit", "unit", "pct", "noun", "rate")
assert tuple(sorted(_MAIN.groupindex, key=_MAIN.groupindex.__getitem__)) == _GROUPS + _GROUPS_2
assert _MAIN_I.groups == _MAIN.groups == len(_GROUPS + _GROUPS_2)
_NOUN_GROUP: Final = _MAIN.groupindex["noun"]
#: every spelling ``an?\b`` matches, case-insensitively too (only ASCII "a"/"A" and
#: "n"/"N" fold to "a" and "n" in ``re``): ``raw in _ARTICLES`` is ``raw.lower() in
#: ("a", "an")`` for ``n2`` (a number or an article; no number word starts with "a")
_ARTICLES: Final = frozenset({"a", "A", "an", "aN", "An", "AN"})
