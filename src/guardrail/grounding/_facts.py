"""Comparing claims with golden-set facts: unit families and bounds, polarity words for
boolean facts, pairing claims with the facts mentioned beside them, and the
contradiction finding."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, Final, NamedTuple

from ..knowledge import Fact
from ..models import Code, Finding, LayerName
from ..text import (
    DURATION_FAMILIES,
    NEGATION,
    UNITS,
    Claim,
    Mention,
    Num,
    exact,
    hour_bounds,
    plain,
)

__all__ = [
    "CONDITION",
    "HEDGE_ANY",
    "NEGATION",
    "PERMISSION",
    "Found",
    "comparable",
    "comparable_families",
    "compare",
    "compare_approx",
    "contradiction",
    "distance",
    "distinct_facts",
    "exact_value",
    "family_of",
    "found_in",
    "hedges",
    "is_hedged",
    "lowered",
    "nearest_fact",
    "rounds_to",
]

PERMISSION: Final = re.compile(
    r"\b(?:can|could|may|able|eligible|qualif\w*|allow\w*|offer\w*|provide\w*|available"
    r"|entitle\w*|get|receive|request|apply|accept\w*|will|honou?r\w*|grant\w*|cover\w*"
    r"|policy|happy to|welcome to|possible|free|included|appl\w*|give|gave|given|extend\w*"
    r"|exception|approved?|yes)\b",
    re.IGNORECASE,
)
#: a negated claim about a *true* fact is only a contradiction when unconditional:
#: "it has shipped, so it can't be cancelled" states the condition, not the policy
CONDITION: Final = re.compile(
    r"\b(?:once|after|already|since|because|as|if|unless|until|now that|anymore"
    r"|any longer|past|shipped|dispatched|delivered|in transit|on its way|expired)\b",
    re.IGNORECASE,
)


class Found(NamedTuple):
    """The golden-set facts a draft mentions, by clause (``Grounder._facts_by_clause``)."""

    #: clause → (mention, fact in force) pairs, in the order of the mentions
    facts: dict[int, list[tuple[Mention, Fact]]]
    #: the clauses with a boolean fact among them
    booleans: set[int]
    #: the clauses with a zero cue word ("no", "free", "waive"), an unbounded one
    #: ("lifetime", "any time"); see ``_absence``
    zeros: set[int]
    unbounds: set[int]
    #: the clauses with a fact in ``count`` units ("2 points per dollar")
    counted: set[int]


def lowered(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` without IGNORECASE, for lower-cased ASCII text (see :func:`found_in`); None
    unless ``rx`` ignores case and has no upper-case letter but in an escape."""
    if not rx.flags & re.IGNORECASE or re.search(r"(?<!\\)[A-Z]", rx.pattern):
        return None
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


def found_in(rx: re.Pattern[str], low: re.Pattern[str] | None, text: str) -> bool:
    """``rx.search(text) is not None``. In ASCII text, ignoring case is matching the
    lower-cased text (same offsets, same word boundaries) with ``low`` (``rx``'s letters
    are lower-case): several times faster in ``re`` than a case-insensitive search."""
    if low is not None and text.isascii():
        return low.search(text.lower()) is not None
    return rx.search(text) is not None


def family_of(fact: Fact) -> str:
    unit = fact.unit_key
    return UNITS[unit][0] if unit is not None else "boolean"


def exact_value(fact: Fact) -> Num:
    value = fact.value
    return value if isinstance(value, int) else exact(Fraction(value))


def comparable(a: str, b: str) -> bool:
    """Whether a claim of family ``a`` can be judged against a fact of family ``b``:
    the same family, two durations, or money in two currencies (never equal)."""
    return (
        a == b
        or (a in DURATION_FAMILIES and b in DURATION_FAMILIES)
        or (a.startswith("money:") and b.startswith("money:"))
    )


def comparable_families(
    units: dict[str, tuple[str, Num]], extra: Iterable[str]
) -> dict[str, frozenset[str]]:
    """For each family of the unit table (and of ``extra``, the facts'), the families
    :func:`comparable` with it: ``b in near[a]`` is ``comparable(a, b)`` for any two of
    them (claims' families all come from the unit table), as two set look-ups."""
    families = {f for f, _ in units.values()} | set(extra) | DURATION_FAMILIES
    return {a: frozenset(b for b in families if comparable(a, b)) for a in families}


def compare(fact: Fact, family: str, low: Num, high: Num) -> bool | None:
    """True: the claim agrees with the fact; False: it certainly cannot; None: units
    without an exact conversion whose bounds overlap ("a month" vs 30 days)."""
    unit = fact.unit_key
    assert unit is not None
    fam, size = UNITS[unit]
    expected = exact_value(fact) * size
    if fam != family and fam.startswith("money:"):
        return False  # another currency is never the fact's amount
    if fam == family:
        if fact.bound == "at_most":
            return high <= expected
        if fact.bound == "at_least":
            return low >= expected
        # a range is right only when all it promises is within policy and it reaches the
        # fact's value: "3-5 business days" agrees with 5, "30 to 60 days" not with 30
        return low <= expected == high
    f_lo, f_hi = hour_bounds(fam, expected)
    c_lo, c_hi = hour_bounds(family, low)[0], hour_bounds(family, high)[1]
    if fact.bound == "at_most":
        wrong = c_lo > f_hi
    elif fact.bound == "at_least":
        wrong = c_hi < f_lo
    elif low != high:
        top_lo, top_hi = hour_bounds(family, high)
        wrong = top_lo > f_hi or top_hi < f_lo or c_lo > f_hi
    else:
        wrong = f_hi < c_lo or c_hi < f_lo
    return False if wrong else None


def rounds_to(fact: Fact, claim: Claim) -> bool:
    """Whether ``claim`` is the fact's value converted to the claim's unit and rounded to
    the precision written ("31.75 kg" or "32 kg" for 70 lb; "16 km" for 10 mi)."""
    unit = fact.unit_key
    if unit is None or claim.is_range or claim.unit == unit or claim.unit not in UNITS:
        return False
    fam, size = UNITS[unit]
    c_fam, c_size = UNITS[claim.unit]
    if fam != c_fam or fam not in ("weight", "distance"):
        return False  # only lb/kg and mi/km convert to long decimals people round
    m = _DECIMALS.search(claim.text)
    places = len(m.group(1) or "") if m else 0
    converted = Fraction(exact_value(fact) * size) / Fraction(c_size)
    return round(converted, places) == claim.low


_DECIMALS: Final = re.compile(r"\d+(?:[.,](\d+))?")


def compare_approx(fact: Fact, family: str, low: Num, high: Num) -> bool | None:
    """:func:`compare` for a hedged claim ("about 4 weeks"): within 10% of the fact it
    is compatible (None), else as :func:`compare`."""
    verdict = compare(fact, family, low, high)
    if verdict is not False or family.startswith("money:"):
        return verdict
    widened = compare(fact, family, exact(low * Fraction(9, 10)), exact(high * Fraction(11, 10)))
    if widened is not False:
        return None
    unit = fact.unit_key
    assert unit is not None
    fam, size = UNITS[unit]
    if fam == family and fact.bound == "exact":
        expected = exact_value(fact) * size
        if low * Fraction(9, 10) <= expected <= high * Fraction(11, 10):
            return None
    return False


_HEDGE_BEFORE: Final = re.compile(
    r"(?:\babout|\baround|\broughly|\bapproximately|\bapprox\.?|~|\bnearly|\balmost"
    r"|\bsome|\bcirca|\bclose to|\bin the region of|\bgive or take)\s*(?:an?\s+)?$",
    re.IGNORECASE,
)
_HEDGE_AFTER: Final = re.compile(r"\s*(?:or so\b|-?ish\b|give or take\b)", re.IGNORECASE)


#: a hedge word anywhere (one search decides whether any claim needs the two above)
HEDGE_ANY: Final = re.compile(
    r"about|around|rough|approx|~|nearly|almost|some|circa|close to|region|give or take"
    r"|or so|ish\b",
    re.IGNORECASE,
)

#: HEDGE_ANY's words but ``ish\b``, for :func:`hedges`
_HEDGE_WORDS: Final = (
    *("about", "around", "rough", "approx", "~", "nearly", "almost", "some", "circa"),
    *("close to", "region", "give or take", "or so"),
)
_ISH: Final = re.compile(r"ish\b", re.IGNORECASE)
#: the only characters but ASCII letters that match an ASCII letter ignoring case in
#: ``re``, or lower-case to one (İ ı ſ and the Kelvin sign; found by trying every one)
_FOLDS_TO_ASCII: Final = re.compile("[\u0130\u0131\u017f\u212a]")


def hedges(text: str) -> bool:
    """``HEDGE_ANY.search(text) is not None``, fast: a case-insensitive search through a
    long text for any of many words costs the regex engine one attempt per word at every
    offset (~0.2 ms for 150 words without one). Unless the text holds one of the few
    characters that ``re`` matches with an ASCII letter ignoring case without being one
    (or that lower-cases to one), a word matches ignoring case exactly where it occurs
    in the lower-cased text (of the same length), found by ``in``, in C."""
    if not text.isascii() and _FOLDS_TO_ASCII.search(text) is not None:
        return HEDGE_ANY.search(text) is not None
    low = text.lower()
    for word in _HEDGE_WORDS:
        if word in low:
            return True
    return "ish" in low and _ISH.search(text) is not None


def is_hedged(text: str, claim: Claim) -> bool:
    """Whether the claim is an approximation: "about 4 weeks", "a month or so"."""
    if _HEDGE_AFTER.match(text, claim.end):
        return True
    return _HEDGE_BEFORE.search(text, max(0, claim.start - 24), claim.start) is not None


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
    fact: Fact,
    span: list[int],
    claim: str,
    value: object,
    unit: str | None,
    kind: str,
    currency: str | None = None,
) -> Finding:
    expected = fact.value if fact.is_boolean else plain(exact_value(fact))
    money: dict[str, Any] = {}
    if fact.unit == "cents":
        money["expected_currency"] = fact.currency or "USD"
    if currency:
        money["currency"] = currency
    return Finding.of(
        LayerName.grounding,
        Code.POLICY_CONTRADICTION,
        f"claim contradicts policy fact {fact.key!r}: in force at as_of it is "
        f"{expected}{' ' + fact.unit if fact.unit else ''}"
        f"{' ' + money['expected_currency'] if 'expected_currency' in money else ''} "
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
        **money,
    )
