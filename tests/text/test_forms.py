"""The normalised forms the triggers match are computed faster than their regex
definitions (candidate positions, byte tables, split/join): they equal those
definitions on any text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from guardrail.routing._detect import PROFANITY, disparagement
from guardrail.text import clean, flat, normalize, prepare

_PIECES = [
    *("fuck", "f*ck", "shit", "sh*t", "bull shit", "shite", "crappy", "damned", "bitch"),
    *("asshole", "arse hole", "wtf", "pissed", "dickhead", "twat", "wanker", "bollocks"),
    *("but", "however", "though", "although", "instead", "whereas", " - ", "--", "'s"),
    *"abhitwuo '-.,;:!?\n\t|/\"()[]_09",
    *("é", "É", "ſ", "\u00a0", "ﬁ", "ǅ", "İ", "’", "—", "\x1c"),
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)

_CLAUSE_SPLIT = re.compile(
    r"[.!?;:,\n\r\t()\[\]\"/]+|\s-+\s|\b(?:but|however|although|though|whereas|instead)\b"
)
_NOT_WORD = re.compile(r"[^a-z0-9'\-\s|]+")
_LONE_MARKS = re.compile(r"(?<![a-z0-9])['\-]+|['\-]+(?![a-z0-9])")
_PROFANITY = re.compile(
    r"(?<![a-z])(?:f[u*@#]+c?k+[a-z]*|motherf[a-z*]+|s[h*][i1!*]+t+(?:s|ty|ting|ter|head|hole)?"
    r"|bull ?s[h*][i1!*]+t|shite|crap(?:py|s)?|damn(?:ed|it)?|goddamn[a-z]*|bitch[a-z]*"
    r"|bastards?|(?:ass|arse) ?holes?|wtf|piss(?:ed|ing)?|dickheads?|cunts?|bollocks"
    r"|wank[a-z]*|twats?)(?![a-z])"
)


def _clean(piece: str) -> str:
    piece = _LONE_MARKS.sub(" ", _NOT_WORD.sub(" ", piece))
    return re.sub(r"\s+", " ", piece).strip()


@given(_TEXT)
def test_clean_is_its_regex_definition(text: str) -> None:
    """clean() turns punctuation and lone marks into single spaces, as the regexes do."""
    assert clean(text) == _clean(text)


@given(_TEXT)
def test_prepare_is_its_regex_definition(text: str) -> None:
    """prepare() cuts clauses exactly where the clause-split regex does."""
    expected = _clean(_CLAUSE_SPLIT.sub(" | ", normalize(text)))
    expected = re.sub(r"(?:\s*\|\s*)+", " | ", expected).strip(" |")
    assert str(prepare(text)) == expected


@given(_TEXT)
def test_flat_is_its_regex_definition(text: str) -> None:
    """flat() is every run of non-letters/digits as one space, with one at each end."""
    assert flat(text) == " " + re.sub("[^a-z0-9]+", " ", normalize(text)).strip() + " "


@given(_TEXT)
def test_profanity_finds_what_its_definition_finds(text: str) -> None:
    """The class-first profanity pattern matches exactly where its definition does."""
    low = normalize(text)
    assert [m.group(0) for m in PROFANITY.finditer(low)] == [
        m.group(0) for m in _PROFANITY.finditer(low)
    ]
    assert [m.span() for m in PROFANITY.finditer(low)] == [
        m.span() for m in _PROFANITY.finditer(low)
    ]


_DISPARAGE = disparagement(["Acme", "Acme Outdoors"])
_RANT_PIECES = (
    *("acme", "acme's", "we are", "our service", "is", "so", "the worst", "a joke"),
    *("rip-off", "ripoff", "print", "shop elsewhere", "hate", "never buy from", "useless"),
    *(" ", " ", "'", "-", "é"),
)
_RANTS = st.lists(st.sampled_from([*_PIECES, *_RANT_PIECES]), max_size=25).map("".join)


@given(_RANTS)
def test_may_match_never_skips_a_disparaging_draft(text: str) -> None:
    """A draft the cheap flat-text pre-check rejects has no disparagement match."""
    if not _DISPARAGE.may_match(flat(text)):
        assert _DISPARAGE.search(prepare(text)) is None
