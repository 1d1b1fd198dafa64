"""Currencies as claims write them: symbols and ISO codes before an amount ("€25",
"GBP 10"), codes and words after it ("25 EUR", "ten pounds", "50 cents"), read from the
currency table in ``knowledge/_units.py``.

"pounds" is money (GBP) or weight (lb): the nearest cue word within a few words decides
("a 23 kg bag, about 50 pounds" is weight; "a fee of ten pounds" is money); with no cue it
is money.
"""

from __future__ import annotations

import re
from typing import Final

from ..knowledge._units import CURRENCIES

__all__ = [
    "CURRENCY_AFTER",
    "CURRENCY_BEFORE",
    "code_after",
    "currency_after",
    "currency_before",
]


def _alternatives(items: list[str]) -> str:
    return "|".join(
        re.escape(i).replace(r"\ ", r"\s+") for i in sorted(items, key=len, reverse=True)
    )


#: what the amount's currency is: symbol or code before it → (code, minor units per unit)
_BEFORE: Final[dict[str, tuple[str, int]]] = {}
#: word or code after the amount → (code, minor units per unit)
_AFTER: Final[dict[str, tuple[str, int]]] = {}
for _c in CURRENCIES.values():
    _scale = 10**_c.exponent
    for _sym in _c.symbols:
        _BEFORE[_sym] = (_c.code, _scale)
    _BEFORE[_c.code.lower()] = (_c.code, _scale)
    _AFTER[_c.code.lower()] = (_c.code, _scale)
    for _w in _c.words:
        _AFTER[_w] = (_c.code, _scale)
    for _w in _c.minor_words:
        _AFTER[_w] = (_c.code, 1)
_AFTER["€"] = ("EUR", 100)

#: a currency symbol, or an ISO code and optional space, before an amount
CURRENCY_BEFORE: Final = (
    _alternatives([s for s in _BEFORE if not s.isalpha()])
    + "|(?:"
    + "|".join(sorted(c.lower() for c in CURRENCIES))
    + r")\s?"
)
#: a currency word or ISO code after an amount (a regex alternation, lower case)
CURRENCY_AFTER: Final = _alternatives([w for w in _AFTER if w != "€"])

_WEIGHT_CUES: Final = re.compile(
    r"\b(?:weigh\w*|heav\w*|kgs?|kilo\w*|lbs?|overweight|allowance|luggage|baggage|suitcase"
    r"|max(?:imum)?|limit)\b"
)
_MONEY_CUES: Final = re.compile(
    r"\b(?:fees?|costs?|charged?|charges|pay|paid|price\w*|refund\w*|credit\w*|fares?|worth"
    r"|spend|spent|deposit|surcharge|sterling|gbp)\b|£"
)


#: how an amount can say US dollars explicitly (else "$", "dollars" mean the tenant's)
_EXPLICIT_USD: Final = ("usd", "us$", "us dollars")
#: an ISO code right after a "$" amount: "$500 CAD"
_CODE_AFTER: Final = re.compile(
    r"\s?(" + "|".join(c.lower() for c, v in CURRENCIES.items() if v.dollar) + r")\b",
    re.IGNORECASE,
)


def currency_before(written: str, dollar: str = "USD") -> tuple[str, int]:
    """The currency and scale (minor units per unit) of a symbol or code as written; a
    bare "$" is ``dollar``."""
    key = written.strip().lower()
    found = _BEFORE[key]
    return (dollar, found[1]) if found[0] == "USD" and key not in _EXPLICIT_USD else found


def code_after(text: str, end: int) -> re.Match[str] | None:
    """An ISO dollar-currency code right after ``end`` ("$500 CAD")."""
    return _CODE_AFTER.match(text, end)


def currency_after(
    written: str, text: str, start: int, end: int, dollar: str = "USD"
) -> tuple[str, int] | None:
    """The currency and scale of a word or code after an amount (bare "dollars" and
    "cents" are ``dollar``); None when "pounds" is weight here."""
    word = " ".join(written.lower().split())
    if not word.startswith("pound") or word == "pounds sterling":
        found = _AFTER[word]
        if found[0] == "USD" and word not in _EXPLICIT_USD:
            return dollar, found[1]
        return found
    low = text[max(0, start - 40) : end + 30].lower()
    here = min(start, 40)
    cues = [(abs(m.start() - here), "lb") for m in _WEIGHT_CUES.finditer(low)]
    cues += [(abs(m.start() - here), "gbp") for m in _MONEY_CUES.finditer(low)]
    if cues and min(cues)[1] == "lb":
        return None
    return _AFTER[word]
