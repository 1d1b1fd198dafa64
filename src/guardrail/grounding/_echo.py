"""Two things that back a claim without a source stating its value:

* **the customer's own values, echoed as theirs**: "you mentioned you paid $129 on
  November 2" repeats what the customer said; it is not the agent's claim. A claim is an
  echo when a customer message states its value and, earlier in its sentence, the draft
  attributes it to the customer ("you mentioned", "you paid", "according to you").
* **a fact's own effective dates**: "since October 1 the window is 30 days" states when
  a fact version started. A date is backed when it is the ``effective_from`` (or the
  last day before ``effective_to``) of a version of a fact whose topic the draft
  mentions, or of a version of a document the draft cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Final

from ..knowledge import Knowledge
from ..text import Claim, ClaimKind, Segments
from ._values import Values, text_values

__all__ = ["EffectiveDates", "echoed"]

_ECHO: Final = re.compile(
    r"\b(?:you(?:'ve|’ve|\s+have|\s+had)?\s+(?:\w+\s+)?(?:mentioned|said|say|told|wrote|noted"
    r"|stated|indicated|reported|paid|were\s+charged|got\s+charged|been\s+charged|ordered"
    r"|bought|purchased|received|booked|were\s+quoted|spent|saw|were\s+told|quoted|asked"
    r"|thought|believed?|expected|recall|remember|placed|made|used|shared|confirmed|gave)"
    r"|according\s+to\s+you|as\s+you\s+(?:said|mentioned|noted|described|explained)"
    r"|your\s+(?:message|note|email|screenshot|receipt|statement)"
    r"|you(?:'re|\s+are)\s+(?:seeing|being\s+charged|referring))\b",
    re.IGNORECASE,
)
#: _ECHO for lower-cased ASCII text (its letters are all lower-case; see ``echoed``)
_ECHO_LOWER: Final = re.compile(_ECHO.pattern, _ECHO.flags & ~re.IGNORECASE)
assert not re.search(r"(?<!\\)[A-Z]", _ECHO.pattern)
_DATE: Final = ClaimKind.date


def echoed(
    text: str,
    seg: Segments,
    claims: Sequence[Claim],
    customer: Sequence[str],
    as_of: datetime,
    dollar: str = "USD",
    where: Sequence[int] | None = None,
) -> set[int]:
    """The indices of the claims that echo the customer's own values (``where``: each
    claim's clause, when the caller has them)."""
    # every match of _ECHO has "you" in it, and only Y, O and U match y, o and u ignoring
    # case (``re``'s Unicode case folding has no other): without "you" in the lower-cased
    # text, or window, the regex cannot match there
    if not customer:
        return set()
    low = text.lower()
    if "you" not in low:
        return set()
    # ASCII text: ignoring case is matching the lower-cased text (same offsets) with the
    # pattern's lower-case letters, which the engine does several times faster
    ascii_low = low if text.isascii() else None
    said: Values | None = None
    out: set[int] = set()
    for i, c in enumerate(claims):
        ci = where[i] if where is not None else seg.clause(c.start)
        s = seg.sentences[seg.clause_sentence[ci]][0]
        if ascii_low is not None:
            if ascii_low.find("you", s, c.start) < 0:
                continue
            if _ECHO_LOWER.search(ascii_low, s, c.start) is None:
                continue
        elif "you" not in text[s : c.start].lower() or _ECHO.search(text, s, c.start) is None:
            continue
        if said is None:
            said = Values()
            for message in customer:
                said.update(text_values(message, as_of, dollar))
        if said.backs(c):
            out.add(i)
    return out


def _days(start: datetime | None, end: datetime | None) -> Iterable[date]:
    if start is not None:
        yield start.date()
    if end is not None:
        yield end.date()
        yield (end - timedelta(days=1)).date()


class EffectiveDates:
    """The effective dates of every fact version (by key) and document version (by id)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.by_key: dict[str, set[date]] = {}
        for f in knowledge.golden.all_facts():
            self.by_key.setdefault(f.key, set()).update(_days(f.effective_from, f.effective_to))
        kb = knowledge.documents
        self.by_doc: dict[str, set[date]] = {
            i: {d for v in kb.versions(i) for d in _days(v.effective_from, v.effective_to)}
            for i in kb.ids()
        }

    def backs(self, claim: Claim, keys: Iterable[str], cited: Iterable[str]) -> bool:
        """Whether a date claim is an effective date of a fact mentioned (``keys``) or of
        a document cited (``cited`` ids); a date written without a year matches on month
        and day."""
        day = claim.day
        if claim.kind is not _DATE or day is None:
            return False
        pools = [self.by_key.get(k, ()) for k in keys] + [self.by_doc.get(i, ()) for i in cited]
        for pool in pools:
            for d in pool:
                if d == day or (not claim.year_given and (d.month, d.day) == (day.month, day.day)):
                    return True
        return False
