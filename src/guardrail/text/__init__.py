"""The one text core: how the gate reads text, shared by grounding, the commitment scan
and the routing triggers.

=====================  ==============================================================
module                 holds
=====================  ==============================================================
``_normalise``         NFKC/lower/straightened forms, topic words, flat words
``_split``             the sentence and clause splitters (one table: which caller
                       splits how)
``_negation``          polarity negation (yes/no facts) and trigger cancellation
``_numbers``           number words, digits, magnitudes, the unit table's spellings
``_money``             currency symbols, codes and words
``_dates``             dates, resolved against ``as_of``
``_claim``             :class:`Claim`, one value attached to a unit
``_extract``           claim extraction — also the one money parser: the commitment
                       scan reads its amounts from it
``_patterns``          the regexes of claim extraction, compiled once
``_compound``          compound durations and ranges
``_phrases``           topic-word index, trigger phrase sets
``_scan``              :func:`finditer_at`
``_analysis``          :class:`Analysis`: one draft read once per check
=====================  ==============================================================

Internal: users import :class:`Claim`, :class:`ClaimKind` and :func:`extract_claims`
from :mod:`guardrail.grounding`.
"""

from __future__ import annotations

from ._analysis import Amount, Analysis
from ._claim import Claim, ClaimKind, new_claim
from ._extract import extract, extract_claims
from ._negation import NEGATION, negated
from ._normalise import APOSTROPHES, STRAIGHTEN, clean, flat, normalize, words
from ._numbers import (
    DURATION_FAMILIES,
    UNITS,
    Num,
    canonical,
    exact,
    hour_bounds,
    parse_number,
    plain,
)
from ._phrases import Hit, Mention, PhraseSet, TopicIndex, literal, phrase_rx, stem, trie
from ._scan import finditer_at
from ._split import (
    PROMISE_SENTENCE,
    Clauses,
    Segments,
    clauses,
    pieces,
    prepare,
    sentences,
    split_sentences,
)

__all__ = [
    "APOSTROPHES",
    "DURATION_FAMILIES",
    "NEGATION",
    "PROMISE_SENTENCE",
    "STRAIGHTEN",
    "UNITS",
    "Amount",
    "Analysis",
    "Claim",
    "ClaimKind",
    "Clauses",
    "Hit",
    "Mention",
    "Num",
    "PhraseSet",
    "Segments",
    "TopicIndex",
    "canonical",
    "clauses",
    "clean",
    "exact",
    "extract",
    "extract_claims",
    "finditer_at",
    "flat",
    "hour_bounds",
    "literal",
    "negated",
    "new_claim",
    "normalize",
    "parse_number",
    "phrase_rx",
    "pieces",
    "plain",
    "prepare",
    "sentences",
    "split_sentences",
    "stem",
    "trie",
    "words",
]
