"""The text core's fast paths against the plain computations they replace: the same
output on generated texts (ASCII and not), so that a speed-up never changes a verdict.

* ``TopicIndex.mentions`` (a regex finds the words that start a phrase) against the
  word-by-word scan it replaced, and :func:`inflections` against :func:`stem`;
* ``pieces(PROMISE_SENTENCE, …)`` against the generic loop over the pattern's matches;
* :func:`normalize` and :func:`clean` on ASCII text against their general forms;
* :func:`prepare` on ASCII text (punctuation turned into "|" in C) against the general
  clause split;
* ``PhraseSet.finditer`` with and without its one-alternation pre-scan, and
  ``PhraseSet.may_match`` (one regex) against its substring tests;
* :func:`split_sentences` against its abbreviation rule spelled out (``_token_before``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from guardrail.routing._detect import (
    _DISPARAGE_CUE,
    CREATIVE_REQUEST,
    HUMAN_REQUEST,
    SENSITIVE,
    disparagement,
)
from guardrail.text import (
    APOSTROPHES,
    PROMISE_SENTENCE,
    STRAIGHTEN,
    Mention,
    PhraseSet,
    TopicIndex,
    clean,
    flat,
    literal,
    normalize,
    pieces,
    prepare,
    split_sentences,
    stem,
)
from guardrail.text._normalise import _LONE_MARKS, _NOT_WORD
from guardrail.text._phrases import inflections
from guardrail.text._split import _ABBREVIATIONS, _add, _split_clauses, _token_before

_PIECES = [
    *("return", "returns", "returned", "window", "restocking", "fee", "free", "shipping"),
    *("no", "not", "don t", "e.g.", "etc.", "Nov.", "U.S.", " but ", " however ", ", so "),
    *("speak to a human", "agent", "lawyer", "sue you", "don't", "never mind", "instead"),
    *(" - ", " -- ", "rip-off", "'tis", "İ", "ﬁ", "—", "“", "”", "’", "`", "é", "\u2028"),
]
_ALPHABET = st.sampled_from([*"ab1 .!?;:,\n\t\r\x0b\x1c|'\"-()[]/", *_PIECES])
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)
_ASCII = _TEXT.map(lambda t: t.encode("ascii", "ignore").decode("ascii"))

_TOPICS = [
    *(("return", "returns"), ("return window", "returns"), ("restocking fee", "fee")),
    *(("free shipping", "ship"), ("free", "~zero"), ("no", "~zero"), ("don t", "~zero")),
    *(("a b", "ab"), ("fee", "fee"), ("ret", "short"), ("window", "w"), ("b 1 a", "b1a")),
]


def _mentions_by_words(index: TopicIndex, text: str) -> list[Mention]:
    """The scan ``mentions`` replaced: every word stemmed, phrases looked up by their
    first stem, longest first."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    ascii_ = low.encode("ascii", "replace").decode("ascii")
    words = [(m.start(), m.end(), stem(m.group())) for m in re.finditer("[a-z0-9]+", ascii_)]
    by_first: dict[str, list[tuple[tuple[str, ...], Mention]]] = defaultdict(list)
    for entries in index._first.values():
        for parts, phrase, originals, keys in entries:
            by_first[parts[0]].append((parts, Mention(0, 0, phrase, originals, keys)))
    found: list[Mention] = []
    for i, (start, _, first) in enumerate(words):
        for parts, m in by_first.get(first, []):
            n = len(parts)
            if tuple(w[2] for w in words[i : i + n]) == parts:
                found.append(m._replace(start=start, end=words[i + n - 1][1]))
    return found


@given(text=_TEXT)
def test_mentions_are_the_word_by_word_scan(text: str) -> None:
    index = TopicIndex(_TOPICS)
    assert index.mentions(text) == _mentions_by_words(index, text)


@given(word=st.text(alphabet="abcdeilgnsr", min_size=1, max_size=12))
def test_inflections_hold_every_word_with_that_stem(word: str) -> None:
    assert word in inflections(stem(word))
    assert all(stem(w) == stem(word) for w in inflections(stem(word)))


@given(text=_TEXT)
def test_promise_pieces_are_the_pattern_split(text: str) -> None:
    text = normalize(text, APOSTROPHES)
    out, start = [], 0
    for m in PROMISE_SENTENCE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    assert pieces(PROMISE_SENTENCE, text) == out


@given(text=_TEXT)
def test_normalize_and_clean_fast_paths(text: str) -> None:
    for table in (STRAIGHTEN, APOSTROPHES):
        full = unicodedata.normalize("NFKC", text).translate(table).lower()
        assert normalize(text, table) == full
    normalised = normalize(text)
    piece = _LONE_MARKS.sub(" ", _NOT_WORD.sub(" ", normalised))
    assert clean(normalised) == " ".join(piece.split())


@given(text=_ASCII)
def test_prepare_on_ascii_is_the_general_split(text: str) -> None:
    t = clean(_split_clauses(normalize(text)))
    assert prepare(text) == " | ".join(c for p in t.split("|") if (c := p.strip()))


_SETS = [HUMAN_REQUEST, SENSITIVE, CREATIVE_REQUEST, SENSITIVE.only(["legal"])]
_SETS.append(PhraseSet(("tenant", literal(p)) for p in ["speak to a manager", "rip-off", "no"]))


@given(text=_TEXT)
def test_phrase_sets_without_their_pre_scan(text: str) -> None:
    prepared = prepare(text)
    for phrases in _SETS:
        plain = phrases.only({c for c, _ in phrases._patterns})
        plain._any = None
        assert list(phrases.finditer(prepared)) == list(plain.finditer(prepared))
        assert list(phrases.finditer(text)) == list(plain.finditer(text))


@given(text=_TEXT)
def test_split_sentences_abbreviation_rule(text: str) -> None:
    spans: list[tuple[int, int]] = []
    start = 0
    sentence_end = re.compile(r"[.!?]+[\"')\]’”]*(?=\s)|\n+")
    for m in sentence_end.finditer(text):
        at, end = m.span()
        if text[at] == ".":
            word = _token_before(text, at)
            if word is not None:
                word = word.lower().strip("(\"'")
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
        _add(spans, text, start, end)
        start = end
    _add(spans, text, start, len(text))
    assert split_sentences(text) == spans


@given(text=_TEXT.map(lambda t: t + " worst scam"[: len(t) % 11]))
def test_may_match_is_the_substring_test(text: str) -> None:
    flat_text = flat(text)
    expected = any(f" {w}" in flat_text for w in _DISPARAGE_CUE.split("|"))
    assert disparagement(["Acme"]).may_match(flat_text) is expected
    assert HUMAN_REQUEST.may_match(flat_text)  # no prefilter: always worth a search
