"""The grounding check: citations, the golden set, and what backs each claim.

Order of one check (all deterministic, nothing awaited):

1. citations — each cited ``(id, version)`` is looked up in the knowledge base: unknown
   → ``UNKNOWN_SOURCE``; not the version in force at ``as_of`` → ``STALE_SOURCE``. Only
   citations of the version in force back claims, and they back them with the
   *knowledge base's* text of that version, never the copy the draft carries.
2. the golden set — each claim is matched to the policy facts whose topic words occur
   in its clause; a value the fact in force at ``as_of`` does not have (after exact unit
   conversion only) → ``POLICY_CONTRADICTION``. Boolean facts are judged on the
   clause's polarity ("we don't offer …" agrees with ``false``); absence, zero and
   unbounded phrases ("no restocking fee", "lifetime warranty") on ``_absence``'s
   terms. Values the customer stated, echoed as theirs, are left out (``_echo``).
3. backing — a claim not backed by ``context``, an allowed tool call or (dates) a
   fact's or cited document's effective date needs a source:
   with no source cited at all → one ``MISSING_CITATION``; otherwise a claim whose
   value no in-force cited document states → ``UNSUPPORTED_CLAIM`` (a claim already
   reported as a contradiction is not reported twice).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from ..knowledge import Fact, Knowledge
from ..models import Code, Finding, LayerName, SourceRef, ToolCallResult
from ..text import (
    UNITS,
    Analysis,
    Claim,
    ClaimKind,
    Num,
    TopicIndex,
    exact,
)
from ._absence import CUE_PHRASES, MARKERS, absences, markers
from ._echo import EffectiveDates, echoed
from ._facts import comparable_families, exact_value, family_of
from ._inforce import About
from ._judge import Judge
from ._values import DocumentValues, StatedBy, Values, context_values, shifted

__all__ = ["Grounder"]

_L = LayerName.grounding
#: the families of measures a support desk may not deal in at all
_OPTIONAL_FAMILIES = frozenset({"night", "data", "rate", "weight", "distance", "count"})
_DATE = ClaimKind.date  # enum member look-ups are slow in 3.11
_COUNT = ClaimKind.count


class Grounder(Judge):
    """Everything that can be prepared once per knowledge snapshot: the topic index over
    the golden set, and the values each document version states."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        golden = knowledge.golden
        #: topic phrases → fact keys, plus the cue words of absence and unbounded
        #: statements (pseudo-keys starting with "~"), found in the same pass
        self.index = TopicIndex(
            [(t, f.key) for f in golden.all_facts() for t in f.topic] + list(CUE_PHRASES)
        )
        kb = knowledge.documents
        #: the tenant's currency: that of its money facts (the most common), else USD;
        #: ``*_cents`` values in context and tool calls are read in it. A bare "$" is
        #: USD even at a CAD tenant (decided: never silently the tenant's dollar; "C$",
        #: "CA$", "$500 CAD" name it)
        currencies = [f.currency or "USD" for f in golden.all_facts() if f.unit == "cents"]
        self.currency = Counter(currencies).most_common(1)[0][0] if currencies else "USD"
        self.dollar = "USD"
        self.documents: dict[tuple[str, str], DocumentValues] = {
            (d.id, d.version): DocumentValues.of(d, self.dollar)
            for i in kb.ids()
            for d in kb.versions(i)
        }
        #: when facts start or end: between two of these the facts in force do not change
        self._fact_points = sorted(
            {t for f in golden.all_facts() for t in (f.effective_from, f.effective_to) if t}
        )
        #: interval (``bisect_right`` of as_of into the points) → key → fact in force
        self._facts_at: dict[int, dict[str, Fact | None]] = {}
        #: interval → topic phrase (stemmed, as a mention names it) → the facts in force
        #: it is about (see :meth:`_facts_by_clause`)
        self._phrases_at: dict[int, dict[str, About]] = {}
        #: units that are claims only for a tenant with a fact in them (a family for the
        #: measures, the unit itself for minutes): "allow 3-5 minutes for the email" or
        #: "the tent weighs 2 kg" at a shop is procedure or product detail, not policy
        used = {f.unit for f in golden.all_facts()} | {
            UNITS[f.unit][0] for f in golden.all_facts() if f.unit in UNITS
        }
        self._unclaimed = frozenset(
            name
            for name, (family, _) in UNITS.items()
            if (name == "minute" and name not in used)
            or (family in _OPTIONAL_FAMILIES and family not in used)
        )
        #: fact key → unit family (the versions of a fact share their unit)
        self._families = {f.key: family_of(f) for f in golden.all_facts()}
        #: which document versions state each value (backing by cited documents)
        self.stated_by = StatedBy(self.documents.values())
        #: per id, the versions' effective spans, in the knowledge base's order
        self._spans: dict[str, list[tuple[datetime | None, datetime | None, str]]] = {
            i: [(d.effective_from, d.effective_to, d.version) for d in kb.versions(i)]
            for i in kb.ids()
        }
        #: when document versions start or end, and per interval between two of them the
        #: version of each id in force (as ``_fact_points`` for facts)
        self._doc_points = sorted(
            {t for spans in self._spans.values() for s, e, _ in spans for t in (s, e) if t}
        )
        self._docs_at: dict[int, dict[str, str | None]] = {}
        #: interval → (id, version) of each document version in force → its values
        self._refs_at: dict[int, dict[tuple[str, str], DocumentValues]] = {}
        #: per quantity fact version (by ``id``: the golden set keeps them alive): its
        #: family and its value in the family's base unit (what ``compare`` computes)
        self._measures = {
            id(f): (UNITS[unit][0], exact_value(f) * UNITS[unit][1])
            for f in golden.all_facts()
            if (unit := f.unit_key) is not None
        }
        #: fact family → the claim families it can be judged against (``comparable``)
        self._near = comparable_families(UNITS, self._families.values())
        #: the effective dates of fact and document versions (they back dates)
        self._dates = EffectiveDates(knowledge)
        #: topic phrase → (document, version, values its clauses about that topic state)
        self._offsets: dict[date, list[int]] = {}
        self.stated: dict[str, list[tuple[str, str, frozenset[tuple[str, Num]]]]] = {}
        for (doc_id, version), values in self.documents.items():
            about: dict[str, set[tuple[str, Num]]] = {}
            for clause, stated in values.clauses:
                found_here = self.index.mentions(clause)
                topics = [m for m in found_here if not (m.keys[0][0] == "~" and len(m.keys) == 1)]
                if stated & MARKERS:  # re-read without the topic words ("free trial")
                    blank = list(clause)
                    for m in topics:
                        blank[m.start : m.end] = " " * (m.end - m.start)
                    stated = (stated - MARKERS) | markers("".join(blank))
                for m in topics:
                    about.setdefault(m.phrase, set()).update(stated)
            for phrase, found in about.items():
                self.stated.setdefault(phrase, []).append((doc_id, version, frozenset(found)))

    # -- the check -------------------------------------------------------------------

    def check(
        self,
        text: str,
        *,
        as_of: datetime,
        sources: Sequence[SourceRef] = (),
        context: Mapping[str, Any] | None = None,
        allowed_calls: Sequence[ToolCallResult] = (),
        customer: Sequence[str] = (),
        analysis: Analysis | None = None,
    ) -> list[Finding]:
        """All grounding findings for one draft (see the module docstring); ``customer``
        is the customer's messages (their values, echoed as theirs, are not claims);
        ``analysis`` the draft's shared reading (one is made when it is not that of
        ``text`` at ``as_of``)."""
        findings, cited = self._citations(sources, as_of)
        if analysis is None or analysis.text != text or analysis.as_of != as_of:
            analysis = Analysis(text, as_of)
        claims = analysis.claims(self.dollar)
        unclaimed = self._unclaimed
        if unclaimed:
            claims = [c for c in claims if c.unit not in unclaimed]
        mentions = self.index.mentions(text)
        if not claims and not mentions:
            return findings
        seg = analysis.segments
        # ``seg.clause(offset)``, in C: the last clause starting at or before ``offset``
        # (else the first), found by ``bisect_right`` in the clauses' starts
        starts = [s for s, _ in seg.clauses]
        found = self._facts_by_clause(mentions, starts, as_of)
        facts = found.facts
        # (read once; ``max(bisect_right(…) - 1, 0)`` without the ``max`` call)
        where = [(b - 1 if (b := bisect_right(starts, c.start)) else 0) for c in claims]
        counted = found.counted  # "two phones": a count, not a policy, unless a count fact
        drop = [i for i, c in enumerate(claims) if c.kind is _COUNT and where[i] not in counted]
        if drop:
            claims = [c for i, c in enumerate(claims) if i not in drop]
            where = [ci for i, ci in enumerate(where) if i not in drop]
        contradicted: set[int] = set()
        agreed: dict[int, Fact] = {}
        echoes = (
            echoed(text, seg, claims, customer, as_of, self.dollar, where) if customer else set()
        )
        if echoes:  # the customer's own values: neither judged nor in need of backing
            claims = [c for i, c in enumerate(claims) if i not in echoes]
            where = [ci for i, ci in enumerate(where) if i not in echoes]
        if found.booleans:
            booleans, judged = self._booleans(text, seg, facts, found.booleans)
            findings += booleans
            if judged:  # an invented policy's details are covered by it
                contradicted.update(i for i, ci in enumerate(where) if ci in judged)
        else:
            judged = set()
        cited_ids = {d.id for d in cited}
        case = context_values([context], as_of, self.currency) if context else None
        # a value of the case itself ("your $64.00 order ships free", the order total in
        # context) describes the case, not the policy: it is not judged
        of_case = case.quantities if case is not None and facts and case.quantities else None
        cues = found.zeros | found.unbounds  # (absences judges only such clauses)
        numeric: dict[int, set[str]] = {}  # the unit families of their claims
        in_clause: dict[int, list[tuple[int, Claim, str]]] = {}  # the claims to judge
        for i, c in enumerate(claims):  # (one pass over the quantity claims for the three)
            if c.kind is _DATE:
                continue
            ci = where[i]
            family, low, high = c.canonical()  # (equal exactly when low == high)
            if ci in cues:
                numeric.setdefault(ci, set()).add(family)
            if of_case is not None and low == high and (family, low) in of_case:
                contradicted.add(i)
            if ci in facts and not c.disowned and not c.relation:
                members = in_clause.get(ci)
                if members is None:
                    in_clause[ci] = [(i, c, family)]
                else:
                    members.append((i, c, family))
        if cues and not cues.isdisjoint(facts):
            findings += absences(
                text,
                seg,
                found,
                self._families,
                judged,
                numeric,
                lambda f, mark: self._policy_states(f, mark, as_of, cited_ids),
            )
        if in_clause:  # (only clauses with facts have claims to judge)
            findings += self._quantities(
                text, in_clause, facts, as_of, cited_ids, contradicted, agreed
            )

        calls = [c.arguments for c in allowed_calls if c.allowed]  # a blocked call backs nothing
        if not calls:  # the case's values alone (only read from here on)
            backing = case if case is not None else Values()
        else:
            backing = context_values(calls, as_of, self.currency)
            if case is not None:
                backing.update(case)
        if len(calls) > 1:  # "€15 in total" for two allowed credits of €10 and €5
            totals: dict[str, Num] = {}
            for args in calls:
                for family, value in context_values([args], as_of, self.currency).quantities:
                    if family.startswith("money:"):
                        totals[family] = totals.get(family, 0) + value
            backing.quantities.update(totals.items())
        unbacked: list[tuple[int, Claim]] = []  # (index in claims, claim)
        backs, has_dates = backing.backs, bool(backing.dates)
        numbers, quantities, ranges = backing.numbers, backing.quantities, backing.ranges
        for i, c in enumerate(claims):
            # = ``not self._backed(c, backing, as_of)``, which without a relation is
            # ``backing.backs(c)`` or, for a date when there are dates, a near date
            if c.disowned:
                continue
            if not c.relation:
                if c.kind is not _DATE:  # ``Values.backs`` of a quantity, inlined
                    family, low, high = c.canonical()  # (equal exactly when low == high)
                    if low == high:
                        if c.number in numbers or (family, low) in quantities:
                            continue
                    elif (family, low, high) in ranges or (
                        (family, low) in quantities and (family, high) in quantities
                    ):
                        continue
                elif backs(c):
                    continue
            if (c.relation or (has_dates and c.kind is _DATE)) and self._backed(c, backing, as_of):
                continue
            unbacked.append((i, c))
        if unbacked and any(c.kind is _DATE for _, c in unbacked):
            keys = {k for m in mentions for k in m.keys}
            dated = self._dates
            unbacked = [(i, c) for i, c in unbacked if not dated.backs(c, keys, cited_ids)]
        if not unbacked:
            return findings
        if not sources:
            findings.append(
                Finding.of(
                    _L,
                    Code.MISSING_CITATION,
                    f"{len(unbacked)} factual claim(s) that context and tool calls do not back,"
                    " and no source is cited",
                    claims=[c.brief() for _, c in unbacked],
                )
            )
            return findings
        seen: set[tuple[str, object]] = set()
        cited_refs = {(d.id, d.version) for d in cited}
        stated_by = self.stated_by
        for i, c in unbacked:  # (in the claims' order)
            if i in contradicted:
                continue
            # each test below only skips the claim: the cheapest first
            fact = agreed.get(i)
            if fact is not None and fact.source.id in cited_ids:
                continue  # agrees with a golden fact whose source document is cited
            if stated_by.backs(c, cited_refs):  # = any(d.values.backs(c) for d in cited)
                continue
            if facts and self._sentence_agrees(c, seg, facts, cited_ids, text):
                continue  # "30 days — that's about a month": a fact of its sentence
            said = (c.unit, str(c.value))
            if said in seen:
                continue
            seen.add(said)
            findings.append(
                Finding.of(
                    _L,
                    Code.UNSUPPORTED_CLAIM,
                    f"a {c.kind._value_} claim that no cited source in force at as_of states",
                    **c.brief(),
                    cited=[{"id": d.id, "version": d.version} for d in cited],
                )
            )
        return findings

    def _backed(self, claim: Claim, backing: Values, as_of: datetime) -> bool:
        if claim.relation:
            family, low, _ = claim.canonical()
            if family != "time":
                return False
            days = exact(Fraction(low, 24))
            today = as_of.date()
            if claim.relation == "ago":
                return backing.near_date(shifted(today, -days))
            return backing.near_date(shifted(today, days), self._day_offsets(as_of))
        if backing.backs(claim):
            return True
        day = claim.day
        if day is None or not backing.dates:
            return False
        return backing.near_date(day, self._day_offsets(as_of), slack=0)

    # -- steps -----------------------------------------------------------------------

    def _citations(
        self, sources: Sequence[SourceRef], as_of: datetime
    ) -> tuple[list[Finding], list[DocumentValues]]:
        kb = self.knowledge.documents
        findings: list[Finding] = []
        cited: list[DocumentValues] = []
        seen: set[tuple[str, str]] = set()
        current_refs = self._refs_in_force(as_of) if sources else {}
        documents = self.documents
        for src in sources:
            ref = (src.id, src.version)
            if ref in seen:
                continue
            seen.add(ref)
            values = current_refs.get(ref)
            if values is not None:  # known, and the version in force: cited
                cited.append(values)
                continue
            values = documents.get(ref)
            if values is None:  # = kb.get(src.id, src.version) is None
                known = [d.version for d in kb.versions(src.id)]
                findings.append(
                    Finding.of(
                        _L,
                        Code.UNKNOWN_SOURCE,
                        f"cited source {src.id!r} version {src.version!r} is not in the "
                        "knowledge base",
                        source={"id": src.id, "version": src.version},
                        known_versions=known,
                    )
                )
                continue
            current = self._in_force(src.id, as_of)
            if current is None or current != src.version:
                findings.append(
                    Finding.of(
                        _L,
                        Code.STALE_SOURCE,
                        f"cited source {src.id!r} version {src.version!r} is not the version "
                        f"in force at as_of ({current if current else 'none'!r})",
                        source={"id": src.id, "version": src.version},
                        in_force=current if current else None,
                    )
                )
                continue
            cited.append(values)
        return findings, cited

    def _day_offsets(self, as_of: datetime) -> list[int]:
        """0 and the whole-day durations of the facts in force (for dates derived from a
        context date and a policy, e.g. "until December 2" = delivered + 30 days).
        Computed only when a date needs it, and kept per day."""
        day = as_of.date()
        found = self._offsets.get(day)
        if found is None:
            offsets = {0}
            for f in self.knowledge.golden.in_force(as_of):
                if family_of(f) == "time" and f.unit is not None:
                    hours = exact_value(f) * UNITS[f.unit][1]
                    if hours % 24 == 0:
                        offsets.add(int(hours // 24))
            found = sorted(offsets)
            if len(self._offsets) > 64:
                self._offsets.clear()
            self._offsets[day] = found
        return found
