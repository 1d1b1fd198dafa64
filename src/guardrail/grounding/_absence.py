"""Absence, zero and unbounded statements about a quantity fact.

"No restocking fee", "returns are free", "the fee is waived" state a zero; "lifetime
warranty", "return it any time", "unlimited data" state no bound. Neither carries a
number, so claim extraction never sees them; this module finds them beside a fact's
topic words and judges them against the fact in force:

* a zero contradicts a money or percent fact whose value is above zero (and that is not
  a cap, which zero is within);
* no bound contradicts any quantity fact that is not a floor (``at_least``).

Not statements: questions, clauses that state a condition ("no fee if unopened",
"unless", "except", "only"), negated phrases ("it isn't free", "not unlimited"), and
phrases the fact's own source document or a cited document also states about the topic
(the caller checks that with the markers below, which documents get per clause).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from ..knowledge import Fact
from ..models import Finding
from ..text import Mention, Segments
from ._facts import Found, contradiction, distinct_facts, found_in, lowered

__all__ = ["ABSENCE", "CUE_PHRASES", "MARKERS", "UNBOUNDED", "absences", "markers"]

#: what documents are indexed with, per clause, so that a draft may repeat them
ABSENCE: Final = ("absence", 0)
UNBOUNDED: Final = ("unbounded", 0)
UNLIMITED: Final = ("unlimited", 0)
MARKERS: Final = frozenset({ABSENCE, UNBOUNDED, UNLIMITED})

#: a zero before the topic words: "no restocking fee", "without any fee", "free returns",
#: "we don't charge a restocking fee", "waive the fee"
_ZERO_BEFORE: Final = re.compile(
    r"(?:\bno(?:\s+(?:extra|additional))?\s+(?:charges?|costs?|fees?)\s+(?:for|on|to)"
    r"|\bno|\bzero|\bfree(?!\s+to\b)|\bwithout(?:\s+(?:a|an|any))?"
    r"|\bwaiv\w*(?:\s+(?:the|your|any))?"
    r"|\b(?:don't|doesn't|do not|does not|won't|will not|never|not)\s+(?:\w+\s+)?"
    r"(?:charge|apply|have|take|deduct|pay)(?:\s+(?:a|an|any|the|you))?)"
    r"\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
#: a zero after the topic words: "returns are always free", "the fee is waived"
_ZERO_AFTER: Final = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:is|are|will\s+be|would\s+be|'s|’s|stays?|remains?)?\s*"
    r"(?:always\s+|completely\s+|totally\s+|entirely\s+|100%\s+)?"
    r"(?:free\b|waived\b|zero\b|nothing\b|on\s+us\b|at\s+no\s+(?:extra\s+|additional\s+)?cost\b"
    r"|free\s+of\s+charge\b|not\s+charged\b)",
    re.IGNORECASE,
)
_NO_AFTER: Final = re.compile(
    r"no\s+(?:later|more|less|sooner|longer|problem|worries|worry|need|matter|doubt|hassle)\b",
    re.IGNORECASE,
)
_UNBOUNDED: Final = re.compile(
    r"\b(?:life-?time|life-?long|forever|indefinite(?:ly)?|unlimited|limitless|any\s?time"
    r"|whenever\s+you(?:\s+(?:like|want|wish|need))?|no\s+(?:time\s+)?limits?|no\s+deadline"
    r"|never\s+expires?|(?:doesn't|does\s+not|won't|will\s+not)\s+expire|no\s+expir\w*"
    r"|as\s+long\s+as\s+you\s+(?:like|want|wish|need)|permanent(?:ly)?"
    r"|without\s+(?:a\s+|any\s+)?(?:time\s+)?limits?)\b",
    re.IGNORECASE,
)
_NEGATED: Final = re.compile(
    r"(?:\bnot|n't|n’t|\bno|\bnever|\bisn't|\baren't)\s+(?:\w+\s+)?$", re.IGNORECASE
)
#: a condition or a scope: the phrase is about a sub-case ("no fee if unopened", "no
#: change fee for Gold members", "defective items are exchanged free")
_CONDITION: Final = re.compile(
    r"\b(?:if|unless|except|only|provided|as\s+long\s+as\s+(?:it|they|the|you're|you\s+are)"
    r"|unopened|unused|unworn|unwashed|sealed|undamaged|defective|faulty|damaged|broken"
    r"|original\s+packaging|within|before|until)\b",
    re.IGNORECASE,
)
_CONDITION_LOW: Final = lowered(_CONDITION)  # (see ``found_in``)
#: words that bound an "any time" ("any time within 14 days", "until Friday")
_TIME_BOUND: Final = re.compile(
    r"\b(?:within|during|up\s+to|no\s+later)\b|\b(?:before|until|till|by)\s+(?:\w+\s+){0,2}?"
    r"(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the\s+end|mon|tue|wed|thu|fri"
    r"|sat|sun|tomorrow|tonight)",
    re.IGNORECASE,
)
_CONTACT: Final = re.compile(
    r"\b(?:contact|reach|call|chat|email|message|ask\s+us|get\s+in\s+touch|help)\b",
    re.IGNORECASE,
)
_NOT: Final = re.compile(r"\b(?:not|never)\b|n't|n’t", re.IGNORECASE)
#: substrings one of which every zero or unbounded phrase contains (a cheap pre-check)
#: the words one of which every zero or unbounded phrase contains, as topic phrases of the
#: grounding layer's topic index (pseudo-keys "~zero", "~unbounded"): the index finds
#: them in the pass that finds the topics, so clauses without one cost nothing
CUE_PHRASES: Final = (
    *((w, "~zero") for w in ("no", "zero", "free", "waive", "waived", "waiving", "without")),
    *((w, "~zero") for w in ("don t", "doesn t", "won t", "never", "not")),
    *((w, "~unbounded") for w in ("lifetime", "life", "lifelong", "forever", "indefinite")),
    *((w, "~unbounded") for w in ("indefinitely", "unlimited", "limitless", "any time")),
    *((w, "~unbounded") for w in ("anytime", "whenever", "expire", "expires", "expiry")),
    *((w, "~unbounded") for w in ("expiration", "permanent", "permanently", "long as")),
    *((w, "~unbounded") for w in ("limit", "limits")),
)
#: a topic set aside: "store credit instead of a refund"
_SET_ASIDE: Final = re.compile(
    r"(?:instead\s+of|rather\s+than)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE
)
#: a zero right before a duration's topic: "no notice period", "without any notice"
_RIGHT_BEFORE: Final = re.compile(r"(?:no|zero|without(?:\s+(?:a|an|any))?)\s+", re.IGNORECASE)
#: unbounded words about an amount (the others are about time: "never expires")
_AMOUNT_WORDS: Final = re.compile(r"unlimited|limitless|no\s+limit|without", re.IGNORECASE)
_DURATIONS: Final = frozenset({"time", "calendar", "business_day", "night"})
_ZERO_FAMILIES: Final = ("money:", "percent")


def markers(clause: str) -> set[tuple[str, int]]:
    """The absence and unbounded markers a document clause states (looser than in a
    draft: a document saying "no fee" anywhere in the clause licenses the draft to)."""
    found: set[tuple[str, int]] = set()
    for m in _UNBOUNDED.finditer(clause):
        found.add(UNLIMITED if _AMOUNT_WORDS.match(m.group(0)) else UNBOUNDED)
    if re.search(
        r"\b(?:no|free|waived?|zero|exempt|not\s+(?:charged|apply))\b|n'?t\s+apply", clause
    ):
        found.add(ABSENCE)
    return found


def absences(
    text: str,
    seg: Segments,
    mentioned: Found,
    families: dict[str, str],
    skip: set[int],
    numeric: dict[int, set[str]],
    stated: Callable[[Fact, tuple[str, int]], bool],
) -> list[Finding]:
    """Contradictions by absence, zero or unbounded statements, one per fact and clause.
    ``mentioned`` has the clauses with zero and unbounded cue words and those with a boolean
    fact, ``skip`` the clauses already judged, ``numeric`` the unit families of each
    clause's claims (a fact with a number beside it is judged by the number);
    ``stated(fact, marker)`` whether a document the draft may rely on states the marker
    about the fact's topic."""
    findings: list[Finding] = []
    zeros, unbounds = mentioned.zeros, mentioned.unbounds
    if not (zeros or unbounds):
        return findings
    for ci, pairs in mentioned.facts.items():
        if ci in skip:
            continue
        zero_cue, unbounded_cue = ci in zeros, ci in unbounds
        if not (zero_cue or unbounded_cue):
            continue
        if ci in mentioned.booleans:
            continue  # a yes/no clause ("we don't have a bereavement refund"): the boolean's
        s, e = seg.clauses[ci]
        candidates: list[tuple[Fact, list[str]]] = []
        here = numeric.get(ci, ())
        distinct = [f for _, f in pairs]  # (none boolean: the clause has no boolean fact)
        for fact in distinct_facts(distinct) if len(distinct) > 1 else distinct:
            family = families[fact.key]
            if family in here:
                continue
            zero_able = family.startswith(_ZERO_FAMILIES)
            kinds = []
            if zero_cue and fact.bound != "at_most" and float(fact.value) > 0:
                # a fee can be "free" or "waived"; a duration can be "no notice period"
                if zero_able:
                    kinds.append("absence")
                elif family in _DURATIONS:
                    kinds.append("absence-before")
            if (
                unbounded_cue
                and fact.bound != "at_least"
                and not (zero_able and fact.bound == "exact")
            ):
                kinds.append("unbounded")
            if kinds:
                candidates.append((fact, kinds))
        if not candidates:
            continue
        clause = text[s:e]
        sentence_span = seg.sentences[seg.clause_sentence[ci]]
        if text[slice(*sentence_span)].rstrip().endswith("?"):
            continue
        conditional: bool | None = None  # whether the clause states a condition (on need)
        if all("unbounded" not in kinds for _, kinds in candidates):
            conditional = found_in(_CONDITION, _CONDITION_LOW, clause)
            if conditional:
                continue  # zeros only, each of a sub-case ("no fee if unopened"): see below
        for fact, kinds in candidates:
            # a topic the clause sets aside ("store credit instead of a refund") is not judged
            spots = [
                m
                for m, f in pairs
                if f.key == fact.key and not _SET_ASIDE.search(text, max(s, m.start - 16), m.start)
            ]
            if not spots:
                continue
            found: tuple[int, int] | None = None
            for kind in kinds:
                if kind.startswith("absence"):
                    if conditional is None:
                        conditional = found_in(_CONDITION, _CONDITION_LOW, clause)
                    if conditional:
                        continue  # "no fee if unopened": a sub-case, whatever ``_zero`` finds
                    found = _zero(text, s, e, spots, after=kind == "absence")
                    if (
                        found is not None
                        and kind == "absence-before"
                        and not _RIGHT_BEFORE.fullmatch(text, found[0], min(m.start for m in spots))
                    ):
                        found = None  # a duration's zero is "no notice period", nothing between
                else:
                    unbounded = _unbounded(clause)
                    if (
                        unbounded is not None
                        and (families[fact.key] in _DURATIONS or _AMOUNT_WORDS.match(unbounded[2]))
                        and not (_CONTACT.search(clause) and "any" in unbounded[2])
                        and not _TIME_BOUND.search(clause)  # "any time within 14 days"
                    ):
                        found = (s + unbounded[0], s + unbounded[1])
                if found is not None:
                    break
            if found is None:
                continue
            kind = "unbounded" if kind == "unbounded" else "absence"
            if kind == "absence":
                marker = ABSENCE
            else:
                word = text[found[0] : found[1]]
                marker = UNLIMITED if _AMOUNT_WORDS.match(word) else UNBOUNDED
            if stated(fact, marker):
                continue
            span = [
                min(found[0], *(m.start for m in spots)),
                max(found[1], *(m.end for m in spots)),
            ]
            span = [max(span[0], s), min(span[1], e)]
            value = 0 if kind == "absence" else "unbounded"
            findings.append(
                contradiction(fact, span, text[span[0] : span[1]], value, fact.unit, kind)
            )
    return findings


def _zero(
    text: str, s: int, e: int, spots: list[Mention], *, after: bool
) -> tuple[int, int] | None:
    """Where a zero is stated about the topic: before its words ("no notice period"),
    or (``after``: fees) after them ("the fee is waived")."""
    for m in spots:
        before = _ZERO_BEFORE.search(text, max(s, m.start - 40), m.start)
        if before is not None and any(o.start <= before.start() < o.end for o in spots):
            before = None  # "free" of "free trial": the topic's own word
        if (
            before is not None
            and not _NO_AFTER.match(text, before.start())
            and _NEGATED.search(text, max(s, before.start() - 16), before.start()) is None
        ):
            return before.start(), m.end
        if not after:
            continue
        behind = _ZERO_AFTER.match(text, m.end, e)
        if behind is not None and not _NOT.search(text, m.end, behind.end()):
            return m.start, behind.end()
    return None


def _unbounded(clause: str) -> tuple[int, int, str] | None:
    for m in _UNBOUNDED.finditer(clause):
        if _NEGATED.search(clause, max(0, m.start() - 16), m.start()) is None:
            return m.start(), m.end(), m.group(0)
    return None
