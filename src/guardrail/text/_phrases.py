"""Phrase matching: the topic words of the golden set, and the trigger phrase sets.

* :class:`TopicIndex` — a tenant's topic phrases indexed by first (stemmed) word, found
  in one pass over a text's words whatever the golden set's size (grounding).
* :class:`PhraseSet` — named regexes over prepared clauses, with negation checked inside
  the match's clause (the routing triggers); :func:`phrase_rx`/:func:`literal` turn a
  tenant's phrase into one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, compress, count
from typing import Final, NamedTuple, cast

from ._negation import negated
from ._normalise import clean, normalize, words
from ._split import Clauses, prepare

__all__ = ["Hit", "Mention", "PhraseSet", "TopicIndex", "literal", "phrase_rx", "stem"]

#: bytes.translate table: a-z and 0-9 kept, every other byte → space
_ALNUM: Final = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))

# -- topic words (grounding) ---------------------------------------------------------

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


# -- trigger phrases (routing) ------------------------------------------------------


def phrase_rx(phrase: str) -> str:
    """A regex for ``phrase``'s words in a normalised clause (no boundaries); spaces and
    hyphens between words are interchangeable ("data breach" = "data-breach")."""
    return r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", clean(normalize(phrase))))


def literal(phrase: str) -> str:
    """A regex matching ``phrase`` as whole words in a normalised clause."""
    return r"(?<![\w'-])" + phrase_rx(phrase) + r"(?![\w'-])"


@dataclass(frozen=True)
class Hit:
    """One trigger match: its family and the normalised words that matched."""

    category: str
    matched: str


class PhraseSet:
    """Named regexes, compiled once, searched over prepared text with negation
    checked inside the match's clause."""

    def __init__(
        self,
        patterns: Iterable[tuple[str, str]],
        *,
        negatable: bool = True,
        prefilter: str | None = None,
    ) -> None:
        self._patterns = [(cat, re.compile(rx)) for cat, rx in patterns]
        self._negatable = negatable
        #: an alternation of letter-only words of which every match of every pattern
        #: contains one, starting at a word boundary (a cheap necessary condition).
        #: Preparing text only turns non-word characters into spaces, so a word found in
        #: the prepared text is in the normalised raw text too: raw text without one
        #: (anywhere) is skipped before it is prepared; prepared text without one at a
        #: word start ("rip" of "print" is not "rip-off") is skipped too.
        self._prefilter = re.compile(prefilter) if prefilter else None
        self._word_prefilter = re.compile(rf"\b(?:{prefilter})") if prefilter else None
        if prefilter is not None and not re.fullmatch(r"[a-z]+(?:\|[a-z]+)*", prefilter):
            raise ValueError("a prefilter is an alternation of lower-case words")
        #: the words with a space in front, for :meth:`may_match` on flat text
        self._cue_words = tuple(f" {w}" for w in prefilter.split("|")) if prefilter else None

    def only(self, categories: Iterable[str]) -> PhraseSet:
        """The same set restricted to ``categories``."""
        keep = set(categories)
        subset = PhraseSet((), negatable=self._negatable)
        subset._patterns = [(c, rx) for c, rx in self._patterns if c in keep]
        subset._prefilter = self._prefilter
        subset._word_prefilter = self._word_prefilter
        subset._cue_words = self._cue_words
        return subset

    def may_match(self, flat_text: str) -> bool:
        """A cheap necessary condition for a match, on ``flat(text)``: some prefilter
        word starts a word there (a word that starts a word in the prepared text does in
        its flat form too: flat text has a space wherever prepared text has a space, an
        apostrophe, a hyphen or a ``|``). Plain substring tests, no regex."""
        words = self._cue_words
        return words is None or any(w in flat_text for w in words)

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def finditer(self, text: str) -> Iterator[Hit]:
        """Every non-negated match in ``text`` (raw, or already :func:`prepare`-d), in
        pattern order, then position."""
        cue = self._prefilter
        if isinstance(text, Clauses):
            prepared = text
        else:
            if cue is not None and not cue.search(normalize(text)):
                return
            prepared = prepare(text)
        word_cue = self._word_prefilter
        if word_cue is not None and not word_cue.search(prepared):
            return
        for category, rx in self._patterns:
            for m in rx.finditer(prepared):
                if self._negatable:
                    start = prepared.rfind("|", 0, m.start()) + 1
                    end = prepared.find("|", m.end())
                    clause = prepared[start : end if end >= 0 else len(prepared)]
                    if negated(clause, m.start() - start, m.end() - start):
                        continue
                yield Hit(category, m.group(0))

    def search(self, text: str) -> Hit | None:
        return next(self.finditer(text), None)
