"""Comparing claims with golden-set facts: unit families and bounds, polarity words for
boolean facts, pairing claims with the facts mentioned beside them, and the
contradiction finding."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

from ..knowledge import Fact
from ..models import Code, Finding, LayerName
from ._claims import Claim
from ._numbers import DURATION_FAMILIES, UNITS, Num, exact, hour_bounds, plain
from ._text import Mention

__all__ = [
    "CONDITION",
    "NEGATION",
    "PERMISSION",
    "comparable",
    "compare",
    "contradiction",
    "distance",
    "distinct_facts",
    "exact_value",
    "family_of",
    "nearest_fact",
]

NEGATION: Final = re.compile(
    r"\b(?:not|never|none|cannot|unable|neither|nor|unavailable|ineligible|no longer)\b"
    r"|n['’]t\b|\bno\b(?!\s+(?:problem|worries|worry|matter|doubt|hassle|charge|extra|cost|fee))",
    re.IGNORECASE,
)
PERMISSION: Final = re.compile(
    r"\b(?:can|could|may|able|eligible|qualif\w*|allow\w*|offer\w*|provide\w*|available"
    r"|entitle\w*|get|receive|request|apply|accept\w*|will|honou?r\w*|grant\w*|cover\w*"
    r"|policy|happy to|welcome to|possible|free|included|appl\w*|give|gave|given|extend\w*"
    r"|exception|approved?)\b",
    re.IGNORECASE,
)
#: a negated claim about a *true* fact is only a contradiction when unconditional:
#: "it has shipped, so it can't be cancelled" states the condition, not the policy
CONDITION: Final = re.compile(
    r"\b(?:once|after|already|since|because|as|so|if|unless|until|when|now that|anymore"
    r"|any longer|past|shipped|dispatched|delivered|in transit|on its way|expired)\b",
    re.IGNORECASE,
)


def family_of(fact: Fact) -> str:
    return UNITS[fact.unit][0] if fact.unit is not None else "boolean"


def exact_value(fact: Fact) -> Num:
    value = fact.value
    return value if isinstance(value, int) else exact(Fraction(value))


def comparable(a: str, b: str) -> bool:
    return a == b or (a in DURATION_FAMILIES and b in DURATION_FAMILIES)


def compare(fact: Fact, family: str, low: Num, high: Num) -> bool | None:
    """True: the claim agrees with the fact; False: it certainly cannot; None: units
    without an exact conversion whose bounds overlap ("a month" vs 30 days)."""
    assert fact.unit is not None
    fam, size = UNITS[fact.unit]
    expected = exact_value(fact) * size
    if fam == family:
        if fact.bound == "at_most":
            return high <= expected
        if fact.bound == "at_least":
            return low >= expected
        return low <= expected <= high
    f_lo, f_hi = hour_bounds(fam, expected)
    c_lo, c_hi = hour_bounds(family, low)[0], hour_bounds(family, high)[1]
    if fact.bound == "at_most":
        wrong = c_lo > f_hi
    elif fact.bound == "at_least":
        wrong = c_hi < f_lo
    else:
        wrong = f_hi < c_lo or c_hi < f_lo
    return False if wrong else None


def distinct_facts(facts: Iterable[Fact]) -> list[Fact]:
    """The first fact of each key, in order."""
    out: dict[str, Fact] = {}
    for f in facts:
        if f.key not in out:
            out[f.key] = f
    return list(out.values())


def distance(mentions: list[Mention], claim: Claim) -> int:
    def gap(m: Mention) -> int:
        if m.end <= claim.start:
            return claim.start - m.end
        if claim.end <= m.start:
            return m.start - claim.end
        return 0

    return min(gap(m) for m in mentions)


def nearest_fact(cands: list[tuple[Mention, Fact]], claim: Claim) -> Fact:
    """The fact mentioned nearest before the claim, else nearest after it."""
    before = [(claim.start - m.end, f) for m, f in cands if m.end <= claim.start]
    if before:
        return min(before, key=lambda p: p[0])[1]
    return min(((abs(m.start - claim.end), f) for m, f in cands), key=lambda p: p[0])[1]


def contradiction(
    fact: Fact, span: list[int], claim: str, value: object, unit: str | None, kind: str
) -> Finding:
    expected = fact.value if fact.is_boolean else plain(exact_value(fact))
    return Finding.of(
        LayerName.grounding,
        Code.POLICY_CONTRADICTION,
        f"claim contradicts policy fact {fact.key!r}: in force at as_of it is "
        f"{expected}{' ' + fact.unit if fact.unit else ''} "
        f"({fact.source.id} v{fact.source.version})",
        span=span,
        claim=claim,
        kind=kind,
        value=value,
        unit=unit,
        fact_key=fact.key,
        expected=expected,
        expected_unit=fact.unit,
        source={"id": fact.source.id, "version": fact.source.version},
        effective_from=fact.effective_from.date().isoformat() if fact.effective_from else None,
    )
