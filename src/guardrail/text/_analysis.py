"""One draft's text, read once per check and shared by every layer that reads it.

:class:`Analysis` computes each form of the text on first use and keeps it: the claims
(grounding reads them; the commitment scan reads its amounts from them), the sentences
and clauses, the normalised forms and the prepared clauses of the routing triggers. The
pipeline keeps one per check on :class:`~guardrail.layers.CheckContext` (``analysis``);
a layer called on its own builds its own. Nothing is cached across checks: an analysis
holds customer text and dies with its check.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, Generic, TypeVar, overload

from ._claim import Claim, ClaimKind
from ._extract import extract
from ._normalise import APOSTROPHES, flat, normalize
from ._split import PROMISE_SENTENCE, Clauses, Segments, pieces, prepare

__all__ = ["Amount", "Analysis"]

_MONEY: Final = ClaimKind.money
_T = TypeVar("_T")


class _Kept(Generic[_T]):
    """``functools.cached_property`` without the lock it takes on each first read in
    Python 3.11 (a fixed cost every check paid per form): the value is computed on first
    read and stored in the instance's ``__dict__``, where later reads find it first."""

    def __init__(self, fn: Callable[[Any], _T]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    @overload
    def __get__(self, obj: None, owner: type) -> _Kept[_T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> _T: ...
    def __get__(self, obj: object | None, owner: type) -> _Kept[_T] | _T:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


@dataclass(frozen=True, slots=True)
class Amount:
    """A money value in a text: where it is and its minor units (cents; yen are whole)."""

    start: int
    end: int
    cents: int


class Analysis:
    """The shared reading of one text (see the module docstring). ``as_of`` resolves
    dates without a year; the claims are those of ``extract_claims(text, as_of, dollar)``."""

    def __init__(self, text: str, as_of: datetime | date | None = None) -> None:
        self.text = text
        self.as_of = as_of
        self._extracted: dict[str, tuple[list[Claim], list[Claim]]] = {}

    def _extract(self, dollar: str) -> tuple[list[Claim], list[Claim]]:
        found = self._extracted.get(dollar)
        if found is None:
            found = self._extracted[dollar] = extract(self.text, self.as_of, dollar)
        return found

    def claims(self, dollar: str = "USD") -> list[Claim]:
        """The claims of the text, in order (shared: do not mutate the list)."""
        return self._extract(dollar)[0]

    @_Kept
    def segments(self) -> Segments:
        """Grounding's sentences and clauses, with offsets."""
        return Segments.of(self.text)

    # -- the routing triggers' forms ------------------------------------------------------

    @_Kept
    def normalized(self) -> str:
        """:func:`~guardrail.text.normalize` of the text."""
        return normalize(self.text)

    @_Kept
    def prepared(self) -> Clauses:
        """The text's normalised clauses (:func:`~guardrail.text.prepare`)."""
        return prepare(self.text, self.normalized)

    @_Kept
    def flat(self) -> str:
        """The text as bare words (:func:`~guardrail.text.flat`)."""
        return flat(self.text, self.normalized)

    # -- the commitment scan's forms ------------------------------------------------------

    @_Kept
    def promise_text(self) -> str:
        """The text NFKC-normalised, lower-cased, apostrophes straightened."""
        if self.text.isascii():
            # the same string as :attr:`normalized`: on ASCII text ``normalize`` changes
            # only the backtick and the case, with either table
            return self.normalized
        return normalize(self.text, APOSTROPHES)

    @_Kept
    def promise_sentences(self) -> list[tuple[int, int]]:
        """The commitment scan's sentences: non-blank pieces of :attr:`promise_text`."""
        text = self.promise_text
        return [(s, e) for s, e in pieces(PROMISE_SENTENCE, text) if text[s:e].strip()]

    @_Kept
    def amounts(self) -> list[Amount]:
        """The money values of :attr:`promise_text`, read by the one money parser (claim
        extraction, before ranges are joined): the draft's own claims when the
        normalised text keeps every offset, else those of the normalised text."""
        text = self.text
        if len(text.lower()) == len(text) and unicodedata.is_normalized("NFKC", text):
            atoms = self._extract("USD")[1]
        else:
            atoms = extract(self.promise_text, self.as_of)[1]
        return [Amount(c.start, c.end, round(c.low)) for c in atoms if c.kind is _MONEY]
