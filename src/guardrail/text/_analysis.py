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
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from ._claim import Claim, ClaimKind
from ._extract import extract
from ._normalise import APOSTROPHES, flat, normalize
from ._split import PROMISE_SENTENCE, Clauses, Segments, pieces, prepare

__all__ = ["Amount", "Analysis"]

_MONEY: Final = ClaimKind.money


@dataclass(frozen=True, slots=True)
class Amount:
    """A money value in a text: where it is and its minor units (cents; yen are whole)."""

    start: int
    end: int
    cents: int


class Analysis:
    """The shared reading of one text (see the module docstring). ``as_of`` resolves
    dates without a year; the claims are those of ``extract_claims(text, as_of, dollar)``."""

    # Each form is computed on first use and kept in a slot (None until then: no form is
    # ever None). Plain properties, not ``functools.cached_property``: in Python 3.11 that
    # takes a lock on every first read, a fixed cost each check paid per form.
    __slots__ = (
        "_amounts",
        "_extracted",
        "_flat",
        "_normalized",
        "_prepared",
        "_promise_sentences",
        "_promise_text",
        "_segments",
        "as_of",
        "text",
    )

    def __init__(self, text: str, as_of: datetime | date | None = None) -> None:
        self.text = text
        self.as_of = as_of
        self._extracted: dict[str, tuple[list[Claim], list[Claim]]] = {}
        self._segments: Segments | None = None
        self._normalized: str | None = None
        self._prepared: Clauses | None = None
        self._flat: str | None = None
        self._promise_text: str | None = None
        self._promise_sentences: list[tuple[int, int]] | None = None
        self._amounts: list[Amount] | None = None

    def _extract(self, dollar: str) -> tuple[list[Claim], list[Claim]]:
        found = self._extracted.get(dollar)
        if found is None:
            found = self._extracted[dollar] = extract(self.text, self.as_of, dollar)
        return found

    def claims(self, dollar: str = "USD") -> list[Claim]:
        """The claims of the text, in order (shared: do not mutate the list)."""
        return self._extract(dollar)[0]

    @property
    def segments(self) -> Segments:
        """Grounding's sentences and clauses, with offsets."""
        found = self._segments
        if found is None:
            found = self._segments = Segments.of(self.text)
        return found

    # -- the routing triggers' forms ------------------------------------------------------

    @property
    def normalized(self) -> str:
        """:func:`~guardrail.text.normalize` of the text."""
        found = self._normalized
        if found is None:
            found = self._normalized = normalize(self.text)
        return found

    @property
    def prepared(self) -> Clauses:
        """The text's normalised clauses (:func:`~guardrail.text.prepare`)."""
        found = self._prepared
        if found is None:
            found = self._prepared = prepare(self.text, self.normalized)
        return found

    @property
    def flat(self) -> str:
        """The text as bare words (:func:`~guardrail.text.flat`)."""
        found = self._flat
        if found is None:
            found = self._flat = flat(self.text, self.normalized)
        return found

    # -- the commitment scan's forms ------------------------------------------------------

    @property
    def promise_text(self) -> str:
        """The text NFKC-normalised, lower-cased, apostrophes straightened."""
        found = self._promise_text
        if found is None:
            found = self._promise_text = self._make_promise_text()
        return found

    def _make_promise_text(self) -> str:
        if self.text.isascii():
            # the same string as :attr:`normalized`: on ASCII text ``normalize`` changes
            # only the backtick and the case, with either table
            return self.normalized
        return normalize(self.text, APOSTROPHES)

    @property
    def promise_sentences(self) -> list[tuple[int, int]]:
        """The commitment scan's sentences: non-blank pieces of :attr:`promise_text`."""
        found = self._promise_sentences
        if found is None:
            found = self._promise_sentences = self._make_promise_sentences()
        return found

    def _make_promise_sentences(self) -> list[tuple[int, int]]:
        text = self.promise_text
        return [(s, e) for s, e in pieces(PROMISE_SENTENCE, text) if text[s:e].strip()]

    @property
    def amounts(self) -> list[Amount]:
        """The money values of :attr:`promise_text`, read by the one money parser (claim
        extraction, before ranges are joined): the draft's own claims when the
        normalised text keeps every offset, else those of the normalised text."""
        found = self._amounts
        if found is None:
            found = self._amounts = self._make_amounts()
        return found

    def _make_amounts(self) -> list[Amount]:
        text = self.text
        if len(text.lower()) == len(text) and unicodedata.is_normalized("NFKC", text):
            atoms = self._extract("USD")[1]
        else:
            atoms = extract(self.promise_text, self.as_of)[1]
        return [Amount(c.start, c.end, round(c.low)) for c in atoms if c.kind is _MONEY]
