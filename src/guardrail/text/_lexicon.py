"""Word lists of claim extraction: what makes a number a rate, an identifier, or not a
counted noun."""

from __future__ import annotations

from typing import Final

__all__ = ["ID_WORDS", "NOT_NOUNS", "RATE_WORDS"]

#: words before "a"/"an" that make "a day" a rate, not a duration ("twice a day")
RATE_WORDS: Final = frozenset(
    [
        "per",
        "once",
        "twice",
        "thrice",
        "times",
        "hours",
        "hour",
        "days",
        "day",
        "minutes",
        "weeks",
        "week",
        "months",
    ]
)
#: words before a number that make it an identifier ("order 1001 ships", "size 10s")
ID_WORDS: Final = frozenset(
    [
        "order",
        "no",
        "number",
        "ticket",
        "case",
        "model",
        "flight",
        "zip",
        "postcode",
        "room",
        "unit",
        "suite",
        "apt",
        "version",
        "page",
        "step",
        "item",
        "sku",
        "invoice",
        "reference",
        "ref",
        "id",
        "code",
        "pin",
        "size",
        "box",
        "aisle",
        "gate",
        "line",
        "seat",
        "route",
        "account",
        "tracking",
    ]
)
#: plural-looking words that are not counted nouns ("1001 ships", "5 is")
NOT_NOUNS: Final = frozenset(
    [
        "is",
        "was",
        "has",
        "does",
        "goes",
        "gets",
        "ships",
        "arrives",
        "takes",
        "costs",
        "includes",
        "covers",
        "means",
        "remains",
        "comes",
        "works",
        "looks",
        "needs",
        "seems",
        "applies",
        "qualifies",
        "expires",
        "starts",
        "ends",
        "runs",
        "pays",
        "lets",
        "makes",
        "allows",
        "always",
        "this",
        "its",
        "yes",
        "as",
        "us",
        "plus",
        "thus",
        "unless",
        "things",
        "ways",
        "questions",
        "reasons",
        "options",
        "choices",
        "changes",
        "minutes",
        "seconds",
        "moments",
        "tips",
        "examples",
    ]
)
