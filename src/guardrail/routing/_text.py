"""Text plumbing for the triggers: normalisation, clauses, negation, compiled phrase sets.

Everything is deterministic and precompiled. Text is lower-cased, curly quotes and
dashes are straightened, and it is cut into *clauses* (at sentence punctuation, commas
and contrast words such as "but"), so a negation in one clause ("I don't want a refund,
but get me a human") never cancels a request in another. Inside a clause punctuation
other than apostrophes and word-joining hyphens becomes a space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = [
    "Clauses",
    "Hit",
    "PhraseSet",
    "clauses",
    "flat",
    "literal",
    "negated",
    "normalize",
    "phrase_rx",
    "prepare",
    "sentences",
]

_STRAIGHTEN = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": "-"}
)
_CLAUSE_SPLIT = re.compile(
    r"[.!?;:,\n\r\t()\[\]\"/]+|\s-+\s|\b(?:but|however|although|though|whereas|instead)\b"
)
_NOT_WORD = re.compile(r"[^a-z0-9'\-\s|]+")
_SEPARATORS = re.compile(r"(?:\s*\|\s*)+")
_LONE_MARKS = re.compile(r"(?<![a-z0-9])['\-]+|['\-]+(?![a-z0-9])")
_SPACES = re.compile(r"\s+")
_FLAT = re.compile(r"[^a-z0-9]+")
_SENTENCE_SPLIT = re.compile(r"[.!?\n\r]+")

#: negation cues that, just before a match in the same clause, cancel it
_NEG_BEFORE = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|does not|didn'?t|did not|never|no|(?<!can i )(?<!could i )"
    r"(?<!why )not)\s+(?:really\s+|even\s+|actually\s+|particularly\s+)?"
    r"(?:need|want|wish|require|have to|ask(?:ed|ing)?|care|mean|plan(?:ning)?|intend(?:ing)?"
    r"|going to|gonna|think|trying to|looking to|thinking of)\b"
    r"|\bno (?:need|intention|plans?|desire)\b|\bwithout\b|\bnever ?mind\b|\brather not\b"
    r"|\b(?:don'?t|do not|never|won'?t|will not)\s+(?:\w+\s+)?(?:transfer|connect|escalate|pass"
    r"|put|hand|send|file|make|lodge|close|delete|cancel|sue|call|contact|take|involve|report)\b"
    r"|\b(?:don'?t|do not|doesn'?t|does not|didn'?t|did not|never|no longer|(?<!why )won'?t"
    r"|(?<!why )will not|(?<!can i )(?<!could i )(?<!why )not)\s+(?:really\s+|even\s+"
    r"|actually\s+)?$"
    r"|\b(?:(?<!can i )(?<!could i )(?<!why )not|no|never)\s+(?:a\s+|an\s+|any\s+|the\s+|to\s+"
    r"|for\s+|with\s+|about\s+|real\s+|live\s+|formal\s+)*$"
)
#: negation right after a match: "a human isn't necessary"
_NEG_AFTER = re.compile(
    r"^(?:\s*[\w'-]+){0,4}?\s*(?:isn'?t|is not|aren'?t|are not|won'?t be|will not be|not)\s+"
    r"(?:necessary|needed|required)\b|^(?:\s*[\w'-]+){0,4}?\s*unnecessary\b"
)


def normalize(text: str) -> str:
    """Lower-case, NFKC, straight quotes and dashes (no other change)."""
    return unicodedata.normalize("NFKC", text).translate(_STRAIGHTEN).lower()


def _clean(piece: str) -> str:
    piece = _NOT_WORD.sub(" ", piece)
    piece = _LONE_MARKS.sub(" ", piece)
    return _SPACES.sub(" ", piece).strip()


class Clauses(str):
    """Prepared text: normalised words, clauses separated by ``" | "``. Patterns never
    match across a ``|``; searching a prepared text is one regex pass per pattern."""

    __slots__ = ()


def prepare(text: str) -> Clauses:
    """``text`` normalised and cut into clauses (see :class:`Clauses`)."""
    t = _clean(_CLAUSE_SPLIT.sub(" | ", normalize(text)))
    return Clauses(_SEPARATORS.sub(" | ", t).strip(" |"))


def clauses(text: str) -> list[str]:
    """The clauses of ``text``, normalised: single-spaced words, no punctuation."""
    return [c.strip() for c in prepare(text).split("|") if c.strip()]


def negated(clause: str, start: int, end: int) -> bool:
    """Whether the match ``clause[start:end]`` is negated within its clause."""
    before = clause[max(0, start - 80) : start]
    return bool(_NEG_BEFORE.search(before) or _NEG_AFTER.search(clause[end:]))


def phrase_rx(phrase: str) -> str:
    """A regex for ``phrase``'s words in a normalised clause (no boundaries); spaces and
    hyphens between words are interchangeable ("data breach" = "data-breach")."""
    return r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", _clean(normalize(phrase))))


def flat(text: str) -> str:
    """``text`` as bare words: every run of non-letters/digits is one space."""
    return " " + _FLAT.sub(" ", normalize(text)).strip() + " "


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split at . ! ? and line breaks), normalised."""
    out = (_clean(p) for p in _SENTENCE_SPLIT.split(normalize(text)))
    return [c for c in out if c]


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
        #: contains one (a cheap necessary condition). Preparing text only turns non-word
        #: characters into spaces, so a word found in the prepared text is in the
        #: normalised raw text too: text without one is skipped before it is prepared.
        self._prefilter = re.compile(prefilter) if prefilter else None

    def only(self, categories: Iterable[str]) -> PhraseSet:
        """The same set restricted to ``categories``."""
        keep = set(categories)
        subset = PhraseSet((), negatable=self._negatable)
        subset._patterns = [(c, rx) for c, rx in self._patterns if c in keep]
        subset._prefilter = self._prefilter
        return subset

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def finditer(self, text: str) -> Iterator[Hit]:
        """Every non-negated match in ``text`` (raw, or already :func:`prepare`-d), in
        pattern order, then position."""
        cue = self._prefilter
        if isinstance(text, Clauses):
            if cue is not None and not cue.search(text):
                return
            prepared = text
        else:
            if cue is not None and not cue.search(normalize(text)):
                return
            prepared = prepare(text)
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
