"""``finditer_at``: a compiled pattern's matches, tried only at candidate positions.

Several claim and clause patterns open with a look-behind or an alternation, so ``re``
attempts them at every offset of the text. When the places where a match *can* start
are cheap to find (a digit run, a month name, a ";"), trying the pattern only there
gives the same matches for a fraction of the work. The equivalence with
``pattern.finditer`` is pinned by a property test (``tests/text/test_scan.py``).

:func:`sentence_ends` and :func:`clause_spans` are the sentence and clause scans of
grounding's :class:`~guardrail.text.Segments`, the same idea taken further: each branch
of the pattern is searched by a pattern that opens with a literal (``re`` skips to a
literal in C, but tests a character class character by character), and the matches
are merged as ``finditer`` would (``tests/text/test_segment_fast_paths.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = ["clause_spans", "finditer_at", "sentence_ends"]


def finditer_at(
    pattern: re.Pattern[str], text: str, positions: Iterable[int]
) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))``, trying the pattern only at ``positions``.

    Exact when ``positions`` holds every offset at which ``pattern.match(text, offset)``
    succeeds (any superset will do; order and duplicates do not matter) and the pattern
    never matches the empty string: ``finditer`` reports the leftmost match at or after
    the end of the previous one, which is then the first candidate at or after it that
    matches. ``pattern.match(text, at)`` still lets look-behinds see the text before
    ``at``, as ``finditer`` does."""
    found: list[re.Match[str]] = []
    end = 0
    match = pattern.match
    for at in sorted(set(positions)):
        if at < end:
            continue
        m = match(text, at)
        if m is not None:
            found.append(m)
            end = m.end()
    return found


# -- the sentence and clause scans of :class:`~guardrail.text.Segments` ---------------

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


#: bytes.translate table for :func:`_sentence_ends`: ". ! ?" → ".", the ASCII closers
#: → ")", "\n" kept, the rest of ``\s`` → " ", every other byte → "a"
_END_BYTES: Final = bytes(
    46 if c in ".!?" else 41 if c in "\"')]" else b if c == "\n" else 32 if c.isspace() else 97
    for b, c in ((b, chr(b)) for b in range(256))
)
#: ``_SENTENCE_END``'s first branch on the translated text: opening with a literal, so
#: ``re`` skips to each "." in C (a character class it tests character by character)
_DOT_END: Final = re.compile(r"\.[.]*\)*(?=[ \n])")
_NEWLINES: Final = re.compile(r"\n+")
#: ``m.span()`` as a function, for ``map`` (a loop in C)
_SPAN: Final = re.Match.span


def sentence_ends(text: str) -> list[tuple[int, int]]:
    r"""The spans of ``_SENTENCE_END.finditer(text)``. On ASCII text (where ``\s`` is
    the bytes ``str.isspace`` accepts, and the closers are ``" ' ) ]``) each branch is
    searched on its own in a translated copy, by patterns that open with a literal: a
    match of one branch holds only ". ! ?" and closers, of the other only line breaks,
    so neither overlaps the other and together, in order, they are the matches of the
    two-branch pattern. (A run of ". ! ?" that fails at its first mark fails at every
    later one: each sees the same closers and then the same character.)"""
    if not text.isascii():
        return list(map(_SPAN, _SENTENCE_END.finditer(text)))
    t = text.encode("ascii").translate(_END_BYTES).decode("ascii")
    ends = list(map(_SPAN, _DOT_END.finditer(t)))
    if "\n" in t:
        ends += map(_SPAN, _NEWLINES.finditer(t))
        ends.sort()
    return ends


#: what a clause break's third alternative can follow its leading whitespace with
_BREAK_WORDS: Final = (
    *("but", "however", "although", "though", "whereas", "except that"),
    *("–", "—", "-"),
)


#: ``_CLAUSE_BREAK`` at a ",": opening with a literal, so ``re`` skips to each "," in C
_COMMA_BREAK: Final = re.compile(
    r",(?:\s+(?:but|however|although|though|whereas|except that)\b"
    r"|\s*(?:and\s+)?(?:so|otherwise|instead)\b)"
)


def clause_spans(low: str) -> list[tuple[int, int]]:
    """The spans of ``_CLAUSE_BREAK.finditer(low)``. The pattern is tried only where a
    match can start: at ";", and at whitespace that a dash or (after more whitespace)
    one of the words follows; ``re`` would otherwise try it at every whitespace
    character of the text. Its matches at a "," are those of ``_COMMA_BREAK`` (which
    never overlap: a match holds one ","). Then, as ``finditer``, the leftmost match
    wins and those that overlap it are dropped: the match at each offset is the same
    whatever came before (the look-behinds see only the character the match
    consumed). (``str.find`` per cue beats one regex scan for the cues: ``re`` tests a
    character class character by character, ``find`` runs in C.)"""
    starts = []
    at = low.find(";")
    while at >= 0:
        starts.append(at)
        at = low.find(";", at + 1)
    for word in _BREAK_WORDS:
        at = low.find(word)
        while at >= 0:
            p = at - 1
            while p >= 0 and low[p].isspace():
                starts.append(p)
                p -= 1
            at = low.find(word, at + 1)
    found = list(map(_SPAN, _COMMA_BREAK.finditer(low))) if "," in low else []
    if not starts:
        return found
    match = _CLAUSE_BREAK.match
    for at in set(starts):
        m = match(low, at)
        if m is not None:
            found.append(m.span())
    found.sort()
    out: list[tuple[int, int]] = []
    end = 0
    for span in found:
        if span[0] >= end:
            out.append(span)
            end = span[1]
    return out
