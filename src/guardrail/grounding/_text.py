"""Sentences, clauses and topic mentions.

The sentence splitter is a compiled regex with an abbreviation list: on a 150-word draft
it is ~100x faster than ``pysbd`` (see ``benchmarks/bench_grounding.py``), and grounding
only needs sentence and clause *boundaries* — which claim sits in the same clause as
which policy topic — not pysbd's handling of lists, quotes and ellipses.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, compress, count
from typing import Final, NamedTuple, cast

__all__ = ["Mention", "Segments", "TopicIndex", "split_sentences", "words"]

_ABBREVIATIONS: Final = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "approx",
        "est",
        "min",
        "max",
        "u.s",
        "u.k",
        "a.m",
        "p.m",
    ]
)
# Both patterns start with a character class so that ``re`` skips to candidate
# characters in C (a pattern starting with an alternation is tried at every offset):
#   ``[.!?]+[closers]*(?=\s)|\n+``, dispatched on the first character, and
#   ``;|\s[–—-]\s|,?\s+(?:but|…)\b|,\s*(?:and\s+)?(?:so|…)\b``, likewise.
_SENTENCE_END: Final = re.compile(r"[.!?\n](?:(?<=\n)\n*|(?<!\n)[.!?]*[\"')\]’”]*(?=\s))")
_CLAUSE_BREAK: Final = re.compile(
    r"[;,\s](?:(?<=;)"
    r"|(?<=,)(?:\s+(?:but|however|although|though|whereas|except that)\b"
    r"|\s*(?:and\s+)?(?:so|otherwise|instead)\b)"
    r"|(?<![;,])(?:[–—-]\s|\s*(?:but|however|although|though|whereas|except that)\b))"
)
_WORD: Final = re.compile(r"[a-z0-9]+")
#: bytes.translate table: a-z and 0-9 kept, every other byte → space
_ALNUM: Final = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))


def words(text: str) -> str:
    """Lower-cased alphanumeric words joined by single spaces (the topic-word form)."""
    return " ".join(_WORD.findall(text.lower()))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` character spans of the sentences of ``text``, trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
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
    return spans


def _token_before(text: str, at: int) -> str | None:
    """What ``(\\S+)$`` finds in ``text[at - 12 : at]``: the run of non-space characters
    that ends there (``$`` also matches before a final newline), else None."""
    low = max(0, at - 12)
    if at > low and text[at - 1] == "\n":
        at -= 1
    chunk = text[low:at]
    if not chunk or chunk[-1].isspace():
        return None
    return chunk.rsplit(None, 1)[-1]


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    kept = chunk.lstrip()
    if kept:
        start += len(chunk) - len(kept)
        spans.append((start, start + len(kept.rstrip())))


@dataclass(frozen=True, slots=True)
class Segments:
    """The sentences and clauses of one text, for "which clause is offset N in"."""

    sentences: list[tuple[int, int]]
    clauses: list[tuple[int, int]]
    #: index of the sentence each clause belongs to
    clause_sentence: list[int]
    _clause_starts: list[int]

    @classmethod
    def of(cls, text: str) -> Segments:
        sentences = split_sentences(text)
        low = text.lower()
        if len(low) != len(text):
            low = text  # lower-casing changed the length: keep offsets exact
        breaks = _clause_breaks(low, sentences)
        clauses: list[tuple[int, int]] = []
        owner: list[int] = []
        for i, (s, e) in enumerate(sentences):
            cut = s
            for b_start, b_end in breaks[i]:
                if b_start > cut:
                    clauses.append((cut, b_start))
                    owner.append(i)
                cut = b_end
            clauses.append((cut, e))
            owner.append(i)
        return cls(sentences, clauses, owner, [c[0] for c in clauses])

    def clause(self, offset: int) -> int:
        """The index of the clause holding ``offset`` (the nearest before it)."""
        return max(0, bisect.bisect_right(self._clause_starts, offset) - 1)


def _clause_breaks(low: str, sentences: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Per sentence, the spans of ``_CLAUSE_BREAK.finditer(low, s, e)``, from one scan of
    the whole text. Every sentence ends before whitespace or at the end of the text, and
    the pattern's look-behinds only see the character the match consumed, so a match
    inside a sentence is the one the sentence's own scan finds; a match that overlaps a
    sentence without lying inside it (one that crosses a boundary) falls back to that."""
    out: list[list[tuple[int, int]]] = [[] for _ in sentences]
    j, n = 0, len(sentences)
    for m in _clause_matches(low):
        m_start, m_end = m.span()
        while j < n and sentences[j][1] <= m_start:
            j += 1
        if j == n or m_end <= sentences[j][0]:
            continue  # between two sentences
        s, e = sentences[j]
        if m_start < s or m_end > e:
            return [[m.span() for m in _CLAUSE_BREAK.finditer(low, s, e)] for s, e in sentences]
        out[j].append((m_start, m_end))
    return out


_STEMS: dict[str, str] = {}


def stem(token: str) -> str:
    """A light suffix stripper so topic words match their inflections: "returned",
    "returns" → "return"; "cancelled" → "cancel"; "exchanges" → "exchang"."""
    found = _STEMS.get(token)
    if found is None:
        if len(_STEMS) > 50_000:
            _STEMS.clear()
        found = _STEMS[token] = _stem(token)
    return found


def _stem(token: str) -> str:
    if token.endswith(("eed", "ees")):
        return token[:-1]  # guaranteed, guarantees → guarantee
    for suffix, keep in (("ing", 5), ("ed", 4), ("es", 4), ("s", 3)):
        if token.endswith(suffix) and len(token) > keep and not token.endswith("ss"):
            token = token[: -len(suffix)]
            if len(token) > 3 and token[-1] == token[-2] and token[-1] not in "aeiouls":
                token = token[:-1]  # shipp → ship
            elif len(token) > 3 and token.endswith("ll") and suffix in ("ed", "ing"):
                token = token[:-1]  # cancell → cancel
            break
    if len(token) > 4 and token.endswith("e") and not token.endswith("ee"):
        token = token[:-1]
    return token


def stem_phrase(phrase: str) -> str:
    return " ".join(stem(t) for t in phrase.split(" "))


class Mention(NamedTuple):
    """One occurrence of a topic phrase (immutable; a named tuple because a draft has
    many and a frozen dataclass is several times slower to build)."""

    start: int
    end: int
    #: the topic phrase as the index knows it (stemmed)
    phrase: str
    #: the tenant's phrases with this stem, and the fact keys they belong to
    phrases: frozenset[str]
    keys: tuple[str, ...]


#: what a clause break's third alternative can follow its leading whitespace with
_BREAK_WORDS: Final = (
    *("but", "however", "although", "though", "whereas", "except that"),
    *("–", "—", "-"),
)


def _clause_matches(low: str) -> list[re.Match[str]]:
    """``list(_CLAUSE_BREAK.finditer(low))``, with the pattern tried only where a match
    can start: at ";" and ",", and at whitespace that a dash or (after more whitespace)
    one of the words follows; ``re`` would otherwise try it at every whitespace
    character of the text."""
    starts = set()
    for mark in (";", ","):
        at = low.find(mark)
        while at >= 0:
            starts.add(at)
            at = low.find(mark, at + 1)
    for word in _BREAK_WORDS:
        at = low.find(word)
        while at >= 0:
            p = at - 1
            while p >= 0 and low[p].isspace():
                starts.add(p)
                p -= 1
            at = low.find(word, at + 1)
    found: list[re.Match[str]] = []
    end = 0
    match = _CLAUSE_BREAK.match
    for at in sorted(starts):
        if at < end:
            continue
        m = match(low, at)  # the look-behinds see only the character the match consumed
        if m is not None:
            found.append(m)
            end = m.end()
    return found


class TopicIndex:
    """Topic phrases → fact keys, indexed by first (stemmed) word once, at construction:
    finding the mentions in a text costs one pass over its words, whatever the size of
    the golden set."""

    def __init__(self, topics: Iterable[tuple[str, str]]) -> None:
        """``topics`` is ``(phrase, key)`` pairs; phrases are in :func:`words` form."""
        keys: dict[str, set[str]] = defaultdict(set)
        originals: dict[str, set[str]] = defaultdict(set)
        for phrase, key in topics:
            if phrase:
                stemmed = stem_phrase(phrase)
                keys[stemmed].add(key)
                originals[stemmed].add(phrase)
        first: dict[str, list[tuple[tuple[str, ...], str, frozenset[str], tuple[str, ...]]]]
        first = defaultdict(list)
        for stemmed, ks in keys.items():
            parts = tuple(stemmed.split(" "))
            entry = (parts, stemmed, frozenset(originals[stemmed]), tuple(sorted(ks)))
            first[parts[0]].append(entry)
        for entries in first.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest phrase first
        self._first = dict(first)
        self._stems: dict[str, str] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._first.values())

    def stemmed(self, phrase: str) -> str:
        """The index form of a tenant's topic phrase."""
        found = self._stems.get(phrase)
        if found is None:
            found = self._stems[phrase] = stem_phrase(words(phrase))
        return found

    def mentions(self, text: str) -> list[Mention]:
        """Every occurrence of a topic phrase in ``text`` (whole words, case-insensitive,
        inflections folded by :func:`stem`)."""
        low = text.lower()
        if len(low) != len(text):  # lower-casing changed the length: keep offsets exact
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        # every character but a-z and 0-9 → one space (a non-ASCII one is first encoded
        # as one "?"), in C, so that the words are ``split(" ")``'s non-empty parts and
        # offsets come from the parts' running lengths, only when some word starts a
        # topic phrase (the words of ``[^a-z0-9]+`` splitting, at the same offsets)
        parts = low.encode("ascii", "replace").translate(_ALNUM).decode("ascii").split(" ")
        tokens = list(filter(None, parts))
        cached = list(map(_STEMS.get, tokens))
        stems: list[str] = (
            [s or stem(t) for s, t in zip(cached, tokens, strict=True)]
            if None in cached
            else cast(list[str], cached)
        )
        index = self._first
        # the words that start some topic phrase, found in C (most words start none)
        hits = list(compress(count(), map(index.__contains__, stems)))
        if not hits:
            return []
        # part k spans [ends[k] - len(parts[k]) + k, ends[k] + k): one separator each
        ends = list(accumulate(map(len, parts)))
        where = list(compress(count(), parts))  # the part index of each word
        n_stems = len(stems)
        found: list[Mention] = []
        for i in hits:
            for parts_, phrase, originals, keys in index[stems[i]]:
                n = len(parts_)
                if n == 1 or tuple(stems[i : i + n]) == parts_:
                    k = where[i]
                    last = where[min(i + n, n_stems) - 1]
                    start = ends[k] - len(parts[k]) + k
                    found.append(Mention(start, ends[last] + last, phrase, originals, keys))
        return found
