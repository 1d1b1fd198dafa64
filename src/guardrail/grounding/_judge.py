"""Judging claims against the golden-set facts mentioned beside them: boolean polarity,
quantities (pairing claims with facts, bounds, approximations), and whether a document
the draft relies on states a value about a fact's topic. A base of :class:`Grounder`,
which builds the state these methods read."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from ..knowledge import Fact
from ..models import Finding
from ..text import (
    DURATION_FAMILIES,
    UNITS,
    Claim,
    ClaimKind,
    Mention,
    Num,
    Segments,
    TopicIndex,
    hour_bounds,
)
from ._facts import (
    CONDITION,
    NEGATION,
    PERMISSION,
    compare,
    compare_approx,
    contradiction,
    distance,
    distinct_facts,
    exact_value,
    found_in,
    hedges,
    is_hedged,
    lowered,
    nearest_fact,
    rounds_to,
)
from ._inforce import InForce

__all__ = ["Judge"]

_DATE = ClaimKind.date  # enum member look-ups are slow in 3.11
#: the polarity and condition patterns for lower-cased ASCII text (see ``found_in``)
_NEGATION_LOW = lowered(NEGATION)
_PERMISSION_LOW = lowered(PERMISSION)
_CONDITION_LOW = lowered(CONDITION)


def _far_apart(fact: Fact, family: str, value: Num) -> bool:
    """Whether a duration claim in another family than the fact's is over a hundred times
    smaller or larger than it (hours beside years): a different quantity, not a wrong
    one."""
    unit = fact.unit_key
    if unit is None or family not in DURATION_FAMILIES:
        return False
    fam, size = UNITS[unit]
    if fam not in DURATION_FAMILIES:
        return False
    f_lo, f_hi = hour_bounds(fam, exact_value(fact) * size)
    c_lo, c_hi = hour_bounds(family, value)
    return bool(c_hi * 100 < f_lo or f_hi * 100 < c_lo)


#: a clause's facts comparable with one unit family: (mention, fact) pairs, the distinct
#: facts, and those of that very family
_Candidates = tuple[list[tuple[Mention, Fact]], list[Fact], list[Fact]]


class Judge(InForce):
    """The judging steps of a grounding check (see :class:`Grounder`)."""

    index: TopicIndex
    _families: dict[str, str]
    stated: dict[str, list[tuple[str, str, frozenset[tuple[str, Num]]]]]
    _near: dict[str, frozenset[str]]
    #: per quantity fact (by ``id``): its family and value in the family's base unit
    _measures: dict[int, tuple[str, Num]]

    def _sentence_agrees(
        self,
        c: Claim,
        seg: Segments,
        facts: dict[int, list[tuple[Mention, Fact]]],
        cited_ids: set[str],
        hedge_text: str | None = None,
    ) -> bool:
        """Whether a quantity claim agrees, or is compatible, with a fact mentioned in
        another clause of its sentence whose source document is cited."""
        if c.kind is _DATE or not facts:
            return False
        sentence = seg.clause_sentence[seg.clause(c.start)]
        family, low, high = c.canonical()
        near = self._near  # ``b in near[a]`` is ``comparable(a, b)``
        for ci, pairs in facts.items():
            if seg.clause_sentence[ci] != sentence:
                continue
            for _, fact in pairs:
                fam = self._families[fact.key]
                if fact.source.id not in cited_ids or family not in near[fam]:
                    continue
                verdict = self._compare(fact, family, low, high)
                if verdict is False and rounds_to(fact, c):
                    return True
                if verdict is False and hedge_text is not None and is_hedged(hedge_text, c):
                    verdict = compare_approx(fact, family, low, high)
                if verdict or (verdict is None and "business_day" not in (fam, family)):
                    return True
        return False

    def _compare(self, fact: Fact, family: str, low: Num, high: Num) -> bool | None:
        """:func:`compare`; for a claim in the fact's own family from the fact's value in
        its family's base unit, kept at construction (what ``compare`` computes first)."""
        measure = self._measures.get(id(fact))
        if measure is not None and measure[0] == family:
            bound, expected = fact.bound, measure[1]
            if bound == "at_most":
                return high <= expected
            if bound == "at_least":
                return low >= expected
            return low <= expected == high
        return compare(fact, family, low, high)

    def _booleans(
        self,
        text: str,
        seg: Segments,
        facts: dict[int, list[tuple[Mention, Fact]]],
        with_booleans: set[int],
    ) -> tuple[list[Finding], set[int]]:
        """Boolean contradictions, and the clauses they were found in (``with_booleans``
        are the clauses with a boolean fact: the others have nothing to judge)."""
        findings: list[Finding] = []
        judged: set[int] = set()
        for ci, pairs in facts.items():
            if ci not in with_booleans:
                continue
            bools = distinct_facts(f for _, f in pairs if f.is_boolean)
            s, e = seg.clauses[ci]
            clause = text[s:e]
            sentence = text[slice(*seg.sentences[seg.clause_sentence[ci]])]
            if sentence.endswith("?"):
                continue  # a question claims nothing
            if found_in(NEGATION, _NEGATION_LOW, clause):
                said = False
            elif found_in(PERMISSION, _PERMISSION_LOW, clause):
                said = True
            else:
                continue  # a mention, not a claim
            for fact in bools:
                if said == fact.value:
                    continue
                if fact.value is True and found_in(CONDITION, _CONDITION_LOW, sentence):
                    continue
                judged.add(ci)
                findings.append(contradiction(fact, [s, e], clause.strip(), said, None, "allowed"))
        return findings, judged

    def _quantities(
        self,
        text: str,
        in_clause: dict[int, list[tuple[int, Claim, str]]],
        facts: dict[int, list[tuple[Mention, Fact]]],
        as_of: datetime,
        cited_ids: set[str],
        contradicted: set[int],
        agreed: dict[int, Fact],
    ) -> list[Finding]:
        """Quantity contradictions: ``in_clause`` holds, per clause with facts, its claims
        to judge (quantities, neither disowned nor relative) as ``(index, claim, unit
        family)``, in the claims' order."""
        findings: list[Finding] = []
        hedge: list[str | None] = []  # whether the text hedges, searched on first need
        family_of_key, near, measures = self._families, self._near, self._measures
        for ci, members in in_clause.items():
            pairs = facts[ci]
            memo: dict[str, _Candidates] = {}  # unit family → the clause's facts for it
            judge = partial(  # ``_quantity`` of one claim of this clause
                self._quantity,
                members=members,
                pairs=pairs,
                memo=memo,
                as_of=as_of,
                cited_ids=cited_ids,
                contradicted=contradicted,
                agreed=agreed,
                findings=findings,
                text=text,
                hedge=hedge,
            )
            fact = pairs[0][1]
            n_pairs = len(pairs)
            if n_pairs == 1 or (
                pairs[1][1] is fact if n_pairs == 2 else all(f is fact for _, f in pairs)
            ):  # (one object per key in force)
                # the common case, made short: the clause mentions one fact. A claim of
                # a family comparable with it is judged by it (else by nothing); when no
                # other claim of the clause is its rival and it equals the fact in the
                # fact's own family, it agrees: what ``_quantity`` concludes then
                fam = family_of_key[fact.key]
                near_fam = near[fam]
                measure = measures.get(id(fact))
                # the claims of the fact's family: rivals of one another
                n_same = 1 if len(members) == 1 else sum(p_fam == fam for _, _, p_fam in members)
                for i, c, family in members:
                    if i in contradicted or family not in near_fam:
                        continue  # (no fact of its kind here)
                    if family == fam and n_same == 1 and measure is not None:
                        # (``measure[0]`` is ``fam``: a fact's versions share their unit)
                        _, low, high = c.canonical()  # ``_compare``, in the fact's family
                        bound, expected = fact.bound, measure[1]
                        if (
                            high <= expected
                            if bound == "at_most"
                            else low >= expected
                            if bound == "at_least"
                            else low <= expected == high
                        ):
                            agreed[i] = fact
                            continue
                    if family not in memo:
                        memo[family] = (pairs, [fact], [fact] if fam == family else [])
                    judge(i, c)
                continue
            for i, c, family in members:
                if i in contradicted:
                    continue
                found = memo.get(family)
                if found is None:
                    found = memo[family] = self._candidates(pairs, family)
                cands, distinct, same = found
                if not cands:
                    continue  # no fact of its kind here
                if len(members) == 1 and (len(distinct) == 1 or len(same) == 1):
                    # one fact to judge it by, no rival claim: does it simply agree?
                    fact = same[0] if same else distinct[0]
                    _, low, high = c.canonical()
                    if self._compare(fact, family, low, high) is True:
                        agreed[i] = fact
                        continue
                judge(i, c)
        return findings

    def _candidates(self, pairs: list[tuple[Mention, Fact]], family: str) -> _Candidates:
        """A clause's facts comparable with a claim of ``family``: the (mention, fact)
        pairs, the distinct facts, and those of that very family."""
        family_of_key = self._families
        near = self._near  # ``b in near[a]`` is ``comparable(a, b)``
        if len(pairs) == 1:  # one mention of one fact: the general case, made short
            one = pairs[0][1]
            one_fam = family_of_key[one.key]
            if family not in near[one_fam]:
                return ([], [], [])
            return (pairs, [one], [one] if one_fam == family else [])
        cands = [(m, f) for m, f in pairs if family in near[family_of_key[f.key]]]
        distinct = [f for _, f in cands]
        if len(distinct) > 1:
            distinct = distinct_facts(distinct)
        return cands, distinct, [f for f in distinct if family_of_key[f.key] == family]

    def _quantity(
        self,
        i: int,
        c: Claim,
        members: list[tuple[int, Claim, str]],
        pairs: list[tuple[Mention, Fact]],
        memo: dict[str, _Candidates],
        as_of: datetime,
        cited_ids: set[str],
        contradicted: set[int],
        agreed: dict[int, Fact],
        findings: list[Finding],
        text: str,
        hedge: list[str | None],
    ) -> None:
        """Judge one claim against the facts mentioned in its clause (``members`` are the
        clause's claims, with their unit families). ``hedge`` is empty until the text has
        been searched for a hedge word, then holds the text (it has one) or None."""
        family, low, high = c.canonical()
        family_of_key = self._families
        near = self._near  # ``b in near[a]`` is ``comparable(a, b)``
        found = memo.get(family)
        if found is None:
            found = memo[family] = self._candidates(pairs, family)
        cands, distinct, same = found
        if not cands:
            return
        if len(distinct) == 1 or len(same) == 1:
            fact = same[0] if same else distinct[0]
            fam = family_of_key[fact.key]
            if len(members) > 1:  # (alone, the claim is its own only rival)
                near_fam = near[fam]
                rivals = [
                    p for j, p, p_fam in members if (p_fam == fam if same else p_fam in near_fam)
                ]
                if len(rivals) > 1:
                    spots = [m for m, f in cands if f.key == fact.key]
                    if min(rivals, key=lambda p: distance(spots, p)) is not c:
                        return  # the value nearest the topic is the one about it
        else:
            peers = [j for j, p, p_fam in members if family in near[p_fam]]
            if len(peers) == len(distinct):
                fact = distinct[peers.index(i)]  # "return in 30 days, exchange in 45"
            else:
                verdicts = [(f, self._compare(f, family, low, high)) for f in distinct]
                match = next((f for f, v in verdicts if v), None)
                if match is not None:
                    agreed[i] = match
                    return
                maybe = [f for f, v in verdicts if v is None]
                if maybe:
                    if "business_day" not in (family, family_of_key[maybe[0].key]):
                        agreed[i] = maybe[0]
                    return
                others = [p for j, p, p_fam in members if j != i and family in near[p_fam]]
                if all(any(self._compare(f, *p.canonical()) for p in others) for f in distinct):
                    return  # each fact has its own value here: this one is another amount
                fact = nearest_fact(cands, c)
        verdict = self._compare(fact, family, low, high)
        if verdict is False and rounds_to(fact, c):
            verdict = True  # "31.75 kg" for 70 lb: converted and rounded as written
        if verdict is False:
            if not hedge:
                hedge.append(text if hedges(text) else None)
            hedge_text = hedge[0]
            if hedge_text is not None and is_hedged(hedge_text, c):
                verdict = compare_approx(fact, family, low, high)  # "about 4 weeks"
        if verdict is not False:
            # None: compatible though not provably equal ("a month" beside 30 days, "about
            # 4 weeks"): it agrees, and is grounded when the fact's document is cited;
            # business days against calendar days stay to be backed by a source
            if verdict or "business_day" not in (family, family_of_key[fact.key]):
                agreed[i] = fact
            return
        said = {m.phrase for m, f in cands if f.key == fact.key}
        if self._policy_states(fact, (family, low), as_of, cited_ids, said) and (
            low == high or self._policy_states(fact, (family, high), as_of, cited_ids, said)
        ):
            return  # a current document the draft relies on says this about this topic
        if family_of_key[fact.key] != family and _far_apart(fact, family, low):
            return  # "reviewed within 48 hours" beside a 2-year warranty: another quantity
        contradicted.add(i)
        cur = c.currency
        unit = "cents" if cur else c.unit
        findings.append(
            contradiction(fact, list(c.span), c.text, c.value, unit, c.kind._value_, cur)
        )

    def _policy_states(
        self,
        fact: Fact,
        value: tuple[str, Num],
        as_of: datetime,
        cited: set[str],
        phrases: set[str] | None = None,
    ) -> bool:
        """Whether the fact's own source document, or a document the draft cites, in the
        version in force at ``as_of``, states ``value`` in a clause about the fact's
        topics ("every 500 points is worth $10" beside 2 points per dollar; "request a
        refund within 30 days", citing the returns policy, beside refund processing).
        ``phrases`` (stemmed) are the fact's topic phrases the draft wrote beside the
        value: each must be one a document states the value about ("our standard
        warranty of 24 months, covering manufacturing defects" is not licensed by "Care
        extends cover for manufacturing defects to 24 months"); without them, any of
        the fact's topics will do."""
        wanted = phrases or {self.index.stemmed(p) for p in fact.topic}
        found = [self._phrase_states(p, fact, value, as_of, cited) for p in wanted]
        return all(found) if phrases else any(found)

    def _phrase_states(
        self, phrase: str, fact: Fact, value: tuple[str, Num], as_of: datetime, cited: set[str]
    ) -> bool:
        for doc_id, version, values in self.stated.get(phrase, ()):
            if (
                value in values
                and (doc_id == fact.source.id or doc_id in cited)
                and self._in_force(doc_id, as_of) == version
            ):
                return True
        return False
