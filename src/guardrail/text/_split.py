"""Sentences and clauses: the three splitters of the gate, in one place.

Each caller keeps its own rule (their verdicts depend on it; see ``docs/grounding.md``):

========================  =====================================================  =========
splitter                  rule                                                   used by
========================  =====================================================  =========
:func:`split_sentences`   ``. ! ?`` (and closers) before whitespace, or line     grounding
                          breaks; not after an abbreviation ("e.g.", "Nov.")
:class:`Segments`         those sentences cut at ``;``, contrast words ("but",   grounding
                          "however") and ", so" / ", instead" (clause offsets)
:func:`pieces` with       whitespace after ``. ! ?``, runs of line breaks and    commitment
``PROMISE_SENTENCE``      ``;`` (on the apostrophe-normalised text)              scan
:func:`sentences`         runs of ``. ! ?`` and line breaks (normalised, clean)  triggers
:func:`prepare`           punctuation, `` - `` and contrast words → ``" | "``    triggers
========================  =====================================================  =========

All are compiled regexes: on a 150-word draft ~100x faster than ``pysbd`` (see
``benchmarks/bench_grounding.py``); the gate needs clause *boundaries* — which claim
sits in the same clause as which topic, which negation governs which request — not
pysbd's handling of lists, quotes and ellipses.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final

from ._normalise import clean, normalize
from ._scan import _CLAUSE_BREAK, clause_spans, finditer_at, sentence_ends

__all__ = [
    "PROMISE_SENTENCE",
    "Clauses",
    "Segments",
    "clauses",
    "pieces",
    "prepare",
    "sentences",
    "split_sentences",
]

# -- grounding: sentences and clauses with offsets ------------------------------------

_ABBREVIATIONS: Final = frozenset(
    ["e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "st", "no", "jan", "feb", "mar",
     "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co",
     "approx", "est", "min", "max", "u.s", "u.k", "a.m", "p.m"]
)  # fmt: skip


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` character spans of the sentences of ``text``, trimmed."""
    spans: list[tuple[int, int]] = []
    append = spans.append
    rfind = text.rfind
    start = 0
    for at, end in sentence_ends(text):
        if text[at] == ".":
            # the common case without _token_before: a space within the 12 characters
            # before the "." and letters only after it (so no other whitespace and no
            # quote to strip): that run of letters is the token _token_before finds
            space = rfind(" ", at - 12 if at > 12 else 0, at)
            if space >= 0 and (word := text[space + 1 : at]).isalpha():
                # (lower-casing never shortens a word: one of 7 letters or more is
                # neither an abbreviation nor a single letter)
                if len(word) < 7:
                    word = word.lower()
                    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                        continue
            else:
                token = _token_before(text, at)
                if token is not None:
                    token = token.lower().strip("(\"'")
                    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                        continue
        # _add(spans, text, start, end), inlined (called once per sentence)
        chunk = text[start:end]
        kept = chunk.lstrip()
        if kept:
            start += len(chunk) - len(kept)
            append((start, start + len(kept.rstrip())))
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
        matches = clause_spans(low)
        if not matches:  # no clause break: each sentence is one clause
            return cls(
                sentences, list(sentences), list(range(len(sentences))), [s for s, _ in sentences]
            )
        # the clauses, walking the sentences and the breaks together: each break is
        # that of the first sentence ending after it starts (see _clause_breaks)
        clauses: list[tuple[int, int]] = []
        owner: list[int] = []
        add, own = clauses.append, owner.append
        j, n = 0, len(matches)
        for i, (s, e) in enumerate(sentences):
            cut = s
            while j < n and matches[j][0] < e:
                b_start, b_end = matches[j]
                j += 1
                if b_end <= s:
                    continue  # between two sentences
                if b_start < s or b_end > e:  # across a sentence boundary
                    return cls._of_breaks(sentences, _clause_breaks(low, sentences, matches))
                if b_start > cut:
                    add((cut, b_start))
                    own(i)
                cut = b_end
            add((cut, e))
            own(i)
        return cls(sentences, clauses, owner, [c[0] for c in clauses])

    @classmethod
    def _of_breaks(
        cls, sentences: list[tuple[int, int]], breaks: list[list[tuple[int, int]]]
    ) -> Segments:
        """The segments of ``sentences`` cut at ``breaks`` (per sentence)."""
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
        i = bisect.bisect_right(self._clause_starts, offset) - 1
        return i if i > 0 else 0


def _clause_breaks(
    low: str, sentences: list[tuple[int, int]], matches: list[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """Per sentence, the spans of ``_CLAUSE_BREAK.finditer(low, s, e)``, from one scan of
    the whole text (``matches``). Every sentence ends before whitespace or at the end of
    the text, and the pattern's look-behinds only see the character the match consumed,
    so a match inside a sentence is the one the sentence's own scan finds; a match that
    overlaps a sentence without lying inside it (one that crosses a boundary) falls back
    to that."""
    out: list[list[tuple[int, int]]] = [[] for _ in sentences]
    j, n = 0, len(sentences)
    for m_start, m_end in matches:
        while j < n and sentences[j][1] <= m_start:
            j += 1
        if j == n or m_end <= sentences[j][0]:
            continue  # between two sentences
        s, e = sentences[j]
        if m_start < s or m_end > e:
            return [[m.span() for m in _CLAUSE_BREAK.finditer(low, s, e)] for s, e in sentences]
        out[j].append((m_start, m_end))
    return out


# -- the commitment scan: sentences as pieces between breaks --------------------------

#: the commitment scan's sentence break: whitespace after ". ! ?", runs of "\n" and ";"
PROMISE_SENTENCE: Final = re.compile(r"(?<=[.!?])\s+|[\n;]+")


#: :data:`PROMISE_SENTENCE` opening with a character class, its breaks as group 1: the
#: look-behind of its first branch made ``re`` try it at every offset. Same breaks: a
#: break never contains ". ! ?", so the one before a "." ends at or before it and the
#: scan reaches the "."; whitespace after one of them is a break of the first branch
#: there, as in the original, which tries that branch first
_PROMISE_BREAK: Final = re.compile(r"[.!?\n;](?:(?<=[.!?])(\s+)|(?<=[\n;])([\n;]*))")


def pieces(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """``[(start, end), ...]`` of the pieces ``pattern.split(text)`` returns (for a
    pattern without groups that never matches the empty string), as offsets."""
    out: list[tuple[int, int]] = []
    start = 0
    if pattern is PROMISE_SENTENCE:
        for m in _PROMISE_BREAK.finditer(text):
            if m.start(1) >= 0:
                b_start, b_end = m.span(1)
            else:
                b_start, b_end = m.start(), m.end()
            out.append((start, b_start))
            start = b_end
        out.append((start, len(text)))
        return out
    for m in pattern.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


# -- the routing triggers: normalised clauses -----------------------------------------

_CLAUSE_SPLIT: Final = re.compile(
    r"[.!?;:,\n\r\t()\[\]\"/]+|\s-+\s|\b(?:but|however|although|though|whereas|instead)\b"
)
#: where a ``_CLAUSE_SPLIT`` match can start besides before a hyphen: its punctuation
_SPLIT_MARKS: Final = re.compile(r"[.!?;:,\n\r\t()\[\]\"/]")
_SPLIT_WORDS: Final = ("but", "however", "although", "though", "whereas", "instead")


#: bytes.translate table: each character of ``_CLAUSE_SPLIT``'s first branch → "|"
_MARKS_TO_BAR: Final = bytes(124 if chr(b) in '.!?;:,\n\r\t()[]"/' else b for b in range(256))
#: ``_CLAUSE_SPLIT`` without its first branch
_DASH_OR_WORD: Final = re.compile(r"\s-+\s|\b(?:but|however|although|though|whereas|instead)\b")


def _split_ascii(normalised: str) -> str:
    r"""For :func:`prepare` only, on ASCII text: a string with the clauses of
    ``_split_clauses(normalised)`` — not the same string, the same clauses once
    :func:`clean` has run and the text is cut at "|". Each punctuation mark becomes a
    "|" in C, not each run of them a " | " (empty clauses are dropped; a "|" and a
    space are alike to :func:`clean`'s patterns: neither is a letter or a digit).
    Where ``\s-+\s`` then no longer matches because a tab or a line break around the
    dashes became a "|", that "|" cuts the clause there and :func:`clean` drops the
    dashes, which then touch no word on one side."""
    text = normalised.encode("ascii").translate(_MARKS_TO_BAR).decode("ascii")
    return _cut(_DASH_OR_WORD, text, _dash_and_word_starts(text, []), "|")


def _split_clauses(normalised: str) -> str:
    """``_CLAUSE_SPLIT.sub(" | ", normalised)``, the pattern tried only where a match can
    start (punctuation, whitespace before a hyphen, the contrast words): it opens with
    an alternation, so ``re`` would otherwise try it at every offset."""
    starts = [m.start() for m in _SPLIT_MARKS.finditer(normalised)]
    return _cut(_CLAUSE_SPLIT, normalised, _dash_and_word_starts(normalised, starts), " | ")


def _dash_and_word_starts(text: str, starts: list[int]) -> list[int]:
    """``starts`` plus where a clause split can start besides punctuation: the whitespace
    before a hyphen, and each contrast word of ``_SPLIT_WORDS``."""
    find = text.find
    at = find("-")
    while at >= 0:
        if at and text[at - 1].isspace():
            starts.append(at - 1)
        at = find("-", at + 1)
    for word in _SPLIT_WORDS:
        at = find(word)
        while at >= 0:
            starts.append(at)
            at = find(word, at + 1)
    return starts


def _cut(pattern: re.Pattern[str], text: str, starts: list[int], mark: str) -> str:
    """``pattern.sub(mark, text)``, the pattern tried only at ``starts``."""
    if not starts:
        return text
    out: list[str] = []
    end = 0
    for m in finditer_at(pattern, text, starts):
        out += (text[end : m.start()], mark)
        end = m.end()
    out.append(text[end:])
    return "".join(out)


_SENTENCE_SPLIT: Final = re.compile(r"[.!?\n\r]+")


class Clauses(str):
    """Prepared text: normalised words, clauses separated by ``" | "``. Patterns never
    match across a ``|``; searching a prepared text is one regex pass per pattern."""

    __slots__ = ()


def prepare(text: str, normalised: str | None = None) -> Clauses:
    """``text`` normalised and cut into clauses (see :class:`Clauses`); ``normalised``
    is ``normalize(text)`` when the caller has it."""
    if normalised is None:
        normalised = normalize(text)
    t = clean(_split_ascii(normalised) if normalised.isascii() else _split_clauses(normalised))
    # = re.sub(r"(?:\s*\|\s*)+", " | ", t).strip(" |"): ``t`` is single-spaced words
    return Clauses(" | ".join(c for p in t.split("|") if (c := p.strip())))


def clauses(text: str) -> list[str]:
    """The clauses of ``text``, normalised: single-spaced words, no punctuation."""
    return [c.strip() for c in prepare(text).split("|") if c.strip()]


def sentences(text: str, normalised: str | None = None) -> list[str]:
    """The sentences of ``text`` (split at . ! ? and line breaks), normalised."""
    if normalised is None:
        normalised = normalize(text)
    out = (clean(p) for p in _SENTENCE_SPLIT.split(normalised))
    return [c for c in out if c]
