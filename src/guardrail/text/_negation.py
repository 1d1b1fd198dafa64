"""Negation: the two senses the gate reads it in.

* :data:`NEGATION` — the *polarity* of a clause about a yes/no policy fact: "we don't
  offer bereavement refunds" says ``false``. Any negation word counts, except "no" in
  idioms ("no problem", "no charge"), which grounding reads as zeros (``_absence``).
* :func:`negated` — whether a trigger phrase is *cancelled*: "I don't want a human" is
  not a request for one. Only negation that governs the match counts: just before it in
  its clause ("don't need", "no longer", "not … a"), or right after ("a human isn't
  necessary").
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["NEGATION", "negated"]

NEGATION: Final = re.compile(
    r"\b(?:not|never|none|cannot|unable|neither|nor|unavailable|ineligible|no longer)\b"
    r"|n['’]t\b|\bno\b(?!-|\s+(?:problem|worries|worry|matter|doubt|hassle|charge|extra|cost|fee))",
    re.IGNORECASE,
)

#: negation cues that, just before a match in the same clause, cancel it
_NEG_BEFORE: Final = re.compile(
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
_NEG_AFTER: Final = re.compile(
    r"^(?:\s*[\w'-]+){0,4}?\s*(?:isn'?t|is not|aren'?t|are not|won'?t be|will not be|not)\s+"
    r"(?:necessary|needed|required)\b|^(?:\s*[\w'-]+){0,4}?\s*unnecessary\b"
)


def negated(clause: str, start: int, end: int) -> bool:
    """Whether the match ``clause[start:end]`` is negated within its clause."""
    before = clause[max(0, start - 80) : start]
    return bool(_NEG_BEFORE.search(before) or _NEG_AFTER.search(clause[end:]))
