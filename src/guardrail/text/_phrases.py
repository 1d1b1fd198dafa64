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
from typing import Any, Final, NamedTuple

from ._negation import negated
from ._normalise import clean, normalize, words
from ._split import Clauses, prepare

__all__ = ["Hit", "Mention", "PhraseSet", "TopicIndex", "literal", "phrase_rx", "stem"]

#: bytes.translate table: a-z and 0-9 kept, every other byte → space
_ALNUM: Final = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))

# -- topic words (grounding) ---------------------------------------------------------


def stem(token: str) -> str:
    """A light suffix stripper so topic words match their inflections: "returned",
    "returns" → "return"; "cancelled" → "cancel"; "exchanges" → "exchang". Not cached:
    only the tenant's phrases are stemmed (once per index); a text's words are looked
    up among their inflections instead (see :meth:`TopicIndex.mentions`)."""
    return _stem(token)


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


#: what follows a :class:`Mention`'s span: its phrase, the tenant's phrases, the keys
_Rest = tuple[str, frozenset[str], tuple[str, ...]]
#: a first word's phrases (see ``TopicIndex._words``)
_Entries = tuple[
    list[tuple[int, tuple[frozenset[str], ...], _Rest]],
    dict[str, tuple[_Rest, ...]],
    tuple[_Rest, ...],
]


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
        #: every word whose stem starts a phrase (see :func:`inflections`) → its phrases
        #: in the order :meth:`mentions` reports them (longest first): those of three
        #: words or more as (number of words, the words each later stem allows, what
        #: follows a :class:`Mention`'s span), those of two words by the second word
        #: (any word with that stem) and those of one word. All precomputed from the
        #: tenant's phrases: a text's words are looked up, never stemmed (or cached).
        spelled = {k: inflections(k) for k in {p for v in first.values() for e in v for p in e[0]}}
        self._words: dict[str, _Entries] = {}
        for k, entries in self._first.items():
            longer: list[tuple[int, tuple[frozenset[str], ...], _Rest]] = []
            pairs: dict[str, list[_Rest]] = defaultdict(list)
            singles: list[_Rest] = []
            for parts, phrase, phrases, fact_keys in entries:
                rest = (phrase, phrases, fact_keys)
                if len(parts) == 1:
                    singles.append(rest)
                elif len(parts) == 2:
                    for w in spelled[parts[1]]:
                        pairs[w].append(rest)
                else:
                    later = tuple(frozenset(spelled[p]) for p in parts[1:])
                    longer.append((len(parts), later, rest))
            value = (longer, {w: tuple(r) for w, r in pairs.items()}, tuple(singles))
            for w in spelled[k]:
                self._words[" " + w] = value  # as the scan finds it
        #: such a word begins with its stem (:func:`stem` only cuts an ending): this
        #: finds, in C, every word of a text that begins with a first stem; the
        #: alternation is a trie ("a(?:fter|ny)|…"), so ``re`` tries few branches at each
        #: word start; a match runs to the end of its word
        self._starts = re.compile(" (?:" + trie(k for k in self._first if k) + ")[a-z0-9]*")

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
        if not text:  # (an empty text has no words)
            return []
        low = text.lower()
        if len(low) != len(text):  # lower-casing changed the length: keep offsets exact
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        # every character but a-z and 0-9 → one space (a non-ASCII one is first encoded
        # as one "?"), in C: the words are the ``[a-z0-9]+`` runs, at their offsets in
        # ``text``; one more space in front makes every word start follow a space, one at
        # the end every word end precede one
        flat = " " + low.encode("ascii", "replace").translate(_ALNUM).decode("ascii") + " "
        index = self._words
        found: list[Mention] = []
        append = found.append
        new = tuple.__new__  # = Mention(...) without its Python-level __new__
        find = flat.find
        # the words that begin with a first stem, their spans and their entries, by C
        # loops (``map``): the Python loop below runs once per word found
        matches = list(self._starts.finditer(flat))
        for (start, end), entries in zip(
            map(_span, matches), map(index.get, map(_group, matches)), strict=True
        ):
            # ``start, end``: offsets in ``flat``, those of ``text`` plus one
            if entries is None:
                continue
            longer, pairs, singles = entries
            if longer:  # rare: the next words, compared one by one
                more = _next_words(flat, end, longer[0][0] - 1)
                for n, later, rest in longer:
                    if len(more) >= n - 1 and all(more[j][0] in later[j] for j in range(n - 1)):
                        append(new(Mention, (start, more[n - 2][1] - 1, *rest)))
            if pairs:
                # the next word, if one space follows this one (most often): it ends at
                # the next space (``flat`` ends with one); else "" and _next_words
                after_end = find(" ", end + 1)
                after = flat[end + 1 : after_end]
                if not after:
                    more = _next_words(flat, end, 1)
                    if more:
                        after, after_end = more[0]
                for rest in pairs.get(after, ()):
                    append(new(Mention, (start, after_end - 1, *rest)))
            for rest in singles:
                append(new(Mention, (start, end - 1, *rest)))
        return found


_span = re.Match.span
_group = re.Match.group

#: the next word of a flat text (words between runs of spaces)
_NEXT_WORD: Final = re.compile(r" +([a-z0-9]+)")


def _next_words(flat: str, at: int, n: int) -> list[tuple[str, int]]:
    """The (up to) ``n`` words of ``flat`` after ``at`` (the end of a word), each with
    its end offset."""
    out: list[tuple[str, int]] = []
    while len(out) < n:
        m = _NEXT_WORD.match(flat, at)
        if m is None:
            break
        at = m.end()
        out.append((m.group(1), at))
    return out


def trie(keys: Iterable[str]) -> str:
    """An alternation matching exactly ``keys``, factored by common prefixes
    ("a(?:void|wful)"): ``re`` tries the branches of an alternation one by one, so a flat
    one of thousands of keys is slow; greedy, so of keys sharing a start the longest
    that matches is found."""
    tree: dict[str, dict[str, Any]] = {}
    for key in keys:
        node = tree
        for c in key:
            node = node.setdefault(c, {})
        node[""] = {}

    def alternation(node: dict[str, Any]) -> str:
        alts = [re.escape(c) + alternation(node[c]) for c in sorted(node) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a key ends here: the rest is optional
            return body + "?" if len(alts) == 1 and len(alts[0]) == 1 else f"(?:{body})?"
        return body

    return alternation(tree) or "(?!)"


def inflections(key: str) -> set[str]:
    """Every word whose :func:`stem` is ``key``. :func:`_stem` only cuts an ending:
    "eed"/"ees" lose their last letter; otherwise one of "ing", "ed", "es", "s" may go,
    then a doubled letter may lose one copy, then a final "e" may go. So such a word is
    ``key`` + "d" or "s", or ``key`` + ("" or "e") + ("" or that's last letter again)
    + ("", "ing", "ed", "es" or "s"): these candidates, kept where ``stem`` agrees."""
    out = {key + "d", key + "s"}
    for e in ("", "e"):
        base = key + e
        for double in ("", base[-1:]):
            for suffix in ("", "ing", "ed", "es", "s"):
                out.add(base + double + suffix)
    return {w for w in out if _stem(w) == key}


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
        self._any = _any_of(self._patterns)
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
        #: for :meth:`may_match`: the words after a space, one search of a trie of them
        #: (~3x faster than ``any(f" {w}" in flat_text for w in words)``, ~35 of them)
        self._cue_rx = re.compile(f" (?:{trie(prefilter.split('|'))})") if prefilter else None

    def only(self, categories: Iterable[str]) -> PhraseSet:
        """The same set restricted to ``categories``."""
        keep = set(categories)
        subset = PhraseSet((), negatable=self._negatable)
        subset._patterns = [(c, rx) for c, rx in self._patterns if c in keep]
        subset._any = _any_of(subset._patterns)
        subset._prefilter = self._prefilter
        subset._word_prefilter = self._word_prefilter
        subset._cue_rx = self._cue_rx
        return subset

    def may_match(self, flat_text: str) -> bool:
        """A cheap necessary condition for a match, on ``flat(text)``: some prefilter
        word starts a word there (a word that starts a word in the prepared text does in
        its flat form too: flat text has a space wherever prepared text has a space, an
        apostrophe, a hyphen or a ``|``): " word" in ``flat_text`` for some word."""
        return self._cue_rx is None or self._cue_rx.search(flat_text) is not None

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
        start_at = 0
        if self._any is not None:
            first = self._any.search(prepared)
            if first is None:
                return
            start_at = first.start()  # no pattern matches before (see :func:`_any_of`)
        for category, rx in self._patterns:
            for m in rx.finditer(prepared, start_at):
                if self._negatable:
                    start = prepared.rfind("|", 0, m.start()) + 1
                    end = prepared.find("|", m.end())
                    clause = prepared[start : end if end >= 0 else len(prepared)]
                    if negated(clause, m.start() - start, m.end() - start):
                        continue
                yield Hit(category, m.group(0))

    def search(self, text: str) -> Hit | None:
        return next(self.finditer(text), None)


def _any_of(patterns: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str] | None:
    """One alternation of ``patterns``: its first match starts where the leftmost match
    of any of them does (at each offset it tries each pattern as that pattern alone
    would), so a text it does not match has no match at all, and every pattern's scan
    can start at its first match (``finditer(text, pos)``: look-behinds and ``\\b``
    still see the text before ``pos``). One pass instead of one per pattern, for the
    common text that matches none. None for fewer than two patterns, or patterns with
    groups (a back-reference would change meaning) or flags that one alternation
    cannot hold."""
    if len(patterns) < 2 or any(rx.groups or rx.flags != re.UNICODE for _, rx in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{rx.pattern})" for _, rx in patterns))
    except re.error:
        return None
