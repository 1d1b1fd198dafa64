"""Round-two fast paths of the text core against the computations they replace, on
generated texts (ASCII and not): sentence ends found on a translated copy, clause
breaks found per kind and merged, clauses cut in one walk, the shared normal form of
an ASCII analysis, and topic mentions with phrases of several words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guardrail.text import APOSTROPHES, Analysis, Segments, TopicIndex, normalize
from guardrail.text._scan import _CLAUSE_BREAK, _SENTENCE_END, clause_spans, sentence_ends
from guardrail.text._split import split_sentences

from .test_fast_paths import _mentions_by_words

_PIECES = [
    *("e.g.", "etc.", "Nov.", "U.S.", "a.m.", " but ", " however ", ", so ", ",and so ", " - "),
    *(" – ", "—", "“", "”", "’", "İ", "ﬁ", "\u2028", "\x85", "\xa0", "...", "?!", ".)", '."'),
    *(" except that ", ", instead", " though", "although", "whereas", "(no.", "'x."),
]
_ALPHABET = st.sampled_from([*"aB1 .!?;:,\n\t\r\x0b\x1c|'\"-()[]/`", *_PIECES])
_TEXT = st.lists(_ALPHABET, max_size=50).map("".join)
_ASCII = _TEXT.map(lambda t: t.encode("ascii", "ignore").decode("ascii"))


@given(text=_TEXT | _ASCII)
def test_sentence_ends_are_the_pattern_matches(text: str) -> None:
    assert sentence_ends(text) == [m.span() for m in _SENTENCE_END.finditer(text)]


@given(text=_TEXT | _ASCII)
def test_clause_spans_are_the_pattern_matches(text: str) -> None:
    low = text.lower()
    assert clause_spans(low) == [m.span() for m in _CLAUSE_BREAK.finditer(low)]


@given(text=_TEXT | _ASCII)
def test_segments_are_the_sentences_cut_at_their_breaks(text: str) -> None:
    sentences = split_sentences(text)
    low = text.lower()
    if len(low) != len(text):
        low = text
    breaks = [[m.span() for m in _CLAUSE_BREAK.finditer(low, s, e)] for s, e in sentences]
    expected = Segments._of_breaks(sentences, breaks)
    assert Segments.of(text) == expected


@given(text=_TEXT | _ASCII)
def test_promise_text_is_its_normal_form(text: str) -> None:
    assert Analysis(text).promise_text == normalize(text, APOSTROPHES)


_TOPICS = [
    *(("return", "r"), ("return window", "rw"), ("return window closes", "rwc")),
    *(("free", "~zero"), ("free shipping", "fs"), ("free return", "fr"), ("a b 1", "ab1")),
    *(("a b", "ab"), ("b", "b"), ("shipping fee", "sf"), ("fee", "f")),
]
_WORDS = st.sampled_from(
    [*("return", "returns", "returned", "window", "windows", "closes", "closed", "free"),
     *("shipping", "shipped", "fee", "fees", "a", "b", "1", "x")]
)  # fmt: skip
_SEPARATORS = st.sampled_from([" ", "  ", ", ", "-", "\n", " . ", "’", "é"])
_TOPIC_TEXT = st.lists(st.tuples(_WORDS, _SEPARATORS), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts)
)


@given(text=_TOPIC_TEXT)
def test_mentions_of_longer_phrases_are_the_word_by_word_scan(text: str) -> None:
    index = TopicIndex(_TOPICS)
    assert index.mentions(text) == _mentions_by_words(index, text)
    assert index.mentions(text.upper()) == _mentions_by_words(index, text.upper())
