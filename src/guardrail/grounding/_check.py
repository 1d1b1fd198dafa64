"""The grounding check: citations, the golden set, and what backs each claim.

Order of one check (all deterministic, nothing awaited):

1. citations — each cited ``(id, version)`` is looked up in the knowledge base: unknown
   → ``UNKNOWN_SOURCE``; not the version in force at ``as_of`` → ``STALE_SOURCE``. Only
   citations of the version in force back claims, and they back them with the
   *knowledge base's* text of that version, never the copy the draft carries.
2. the golden set — each claim is matched to the policy facts whose topic words occur
   in its clause; a value the fact in force at ``as_of`` does not have (after exact unit
   conversion only) → ``POLICY_CONTRADICTION``. Boolean facts are judged on the
   clause's polarity ("we don't offer …" agrees with ``false``).
3. backing — a claim not backed by ``context`` or an allowed tool call needs a source:
   with no source cited at all → one ``MISSING_CITATION``; otherwise a claim whose
   value no in-force cited document states → ``UNSUPPORTED_CLAIM`` (a claim already
   reported as a contradiction is not reported twice).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from ..knowledge import Fact, Knowledge
from ..models import Code, Finding, LayerName, SourceRef, ToolCallResult
from ._claims import Claim, ClaimKind, extract_claims
from ._facts import (
    CONDITION,
    NEGATION,
    PERMISSION,
    comparable,
    compare,
    contradiction,
    distance,
    distinct_facts,
    exact_value,
    family_of,
    nearest_fact,
)
from ._numbers import UNITS, Num, exact
from ._text import Mention, Segments, TopicIndex
from ._values import DocumentValues, StatedBy, Values, context_values, shifted

__all__ = ["Grounder"]

_L = LayerName.grounding
_DATE = ClaimKind.date  # enum member look-ups are slow in 3.11


class Grounder:
    """Everything that can be prepared once per knowledge snapshot: the topic index over
    the golden set, and the values each document version states."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        golden = knowledge.golden
        self.index = TopicIndex((t, f.key) for f in golden.all_facts() for t in f.topic)
        kb = knowledge.documents
        self.documents: dict[tuple[str, str], DocumentValues] = {
            (d.id, d.version): DocumentValues.of(d) for i in kb.ids() for d in kb.versions(i)
        }
        #: when facts start or end: between two of these the facts in force do not change
        self._fact_points = sorted(
            {t for f in golden.all_facts() for t in (f.effective_from, f.effective_to) if t}
        )
        #: interval (``bisect_right`` of as_of into the points) → key → fact in force
        self._facts_at: dict[int, dict[str, Fact | None]] = {}
        #: fact key → unit family (the versions of a fact share their unit)
        self._families = {f.key: family_of(f) for f in golden.all_facts()}
        #: which document versions state each value (backing by cited documents)
        self.stated_by = StatedBy(self.documents.values())
        #: per id, the versions' effective spans, in the knowledge base's order
        self._spans: dict[str, list[tuple[datetime | None, datetime | None, str]]] = {
            i: [(d.effective_from, d.effective_to, d.version) for d in kb.versions(i)]
            for i in kb.ids()
        }
        #: topic phrase → (document, version, values its clauses about that topic state)
        self._offsets: dict[date, list[int]] = {}
        self.stated: dict[str, list[tuple[str, str, frozenset[tuple[str, Num]]]]] = {}
        for (doc_id, version), values in self.documents.items():
            about: dict[str, set[tuple[str, Num]]] = {}
            for clause, stated in values.clauses:
                for m in self.index.mentions(clause):
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
    ) -> list[Finding]:
        """All grounding findings for one draft (see the module docstring)."""
        findings, cited = self._citations(sources, as_of)
        claims = extract_claims(text, as_of)
        mentions = self.index.mentions(text)
        if not claims and not mentions:
            return findings
        seg = Segments.of(text)
        facts = self._facts_by_clause(mentions, seg, as_of)
        contradicted: set[int] = set()
        agreed: dict[int, Fact] = {}
        booleans, judged = self._booleans(text, seg, facts)
        findings += booleans
        if judged:
            for i, c in enumerate(claims):
                if seg.clause(c.start) in judged:
                    contradicted.add(i)  # an invented policy's details are covered by it
        cited_ids = {d.id for d in cited}
        findings += self._quantities(claims, seg, facts, as_of, cited_ids, contradicted, agreed)

        calls = [c.arguments for c in allowed_calls if c.allowed]  # a blocked call backs nothing
        backing = context_values([context or {}, *calls], as_of)
        unbacked = [c for c in claims if not c.disowned and not self._backed(c, backing, as_of)]
        if not unbacked:
            return findings
        if not sources:
            findings.append(
                Finding.of(
                    _L,
                    Code.MISSING_CITATION,
                    f"{len(unbacked)} factual claim(s) that context and tool calls do not back,"
                    " and no source is cited",
                    claims=[c.brief() for c in unbacked],
                )
            )
            return findings
        seen: set[tuple[str, object]] = set()
        unbacked_ids = {id(c) for c in unbacked}
        cited_refs = {(d.id, d.version) for d in cited}
        stated_by = self.stated_by
        for i, c in enumerate(claims):
            if id(c) not in unbacked_ids or i in contradicted:
                continue
            if stated_by.backs(c, cited_refs):  # = any(d.values.backs(c) for d in cited)
                continue
            fact = agreed.get(i)
            if fact is not None and fact.source.id in cited_ids:
                continue  # agrees with a golden fact whose source document is cited
            said = (c.unit, str(c.value))
            if said in seen:
                continue
            seen.add(said)
            findings.append(
                Finding.of(
                    _L,
                    Code.UNSUPPORTED_CLAIM,
                    f"a {c.kind.value} claim that no cited source in force at as_of states",
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
        for src in sources:
            ref = (src.id, src.version)
            if ref in seen:
                continue
            seen.add(ref)
            if ref not in self.documents:  # = kb.get(src.id, src.version) is None
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
            cited.append(self.documents[ref])
        return findings, cited

    def _facts_by_clause(
        self, mentions: list[Mention], seg: Segments, as_of: datetime
    ) -> dict[int, list[tuple[Mention, Fact]]]:
        golden = self.knowledge.golden
        in_force = self._in_force_facts(as_of)
        by_clause: dict[int, list[tuple[Mention, Fact]]] = {}
        clause_of = seg.clause
        for m in mentions:
            for key in m.keys:
                if key not in in_force:
                    in_force[key] = golden.fact(key, as_of)
                fact = in_force[key]
                if fact is not None and not m.phrases.isdisjoint(fact.topic):
                    by_clause.setdefault(clause_of(m.start), []).append((m, fact))
        return by_clause

    def _in_force_facts(self, as_of: datetime) -> dict[str, Fact | None]:
        """The cache of ``golden.fact(key, as_of)`` for the interval holding ``as_of``."""
        try:
            at = bisect_right(self._fact_points, as_of)
        except TypeError:  # e.g. a naive as_of: look each fact up as before
            return {}
        found = self._facts_at.get(at)
        if found is None:
            found = self._facts_at[at] = {}
        return found

    def _booleans(
        self, text: str, seg: Segments, facts: dict[int, list[tuple[Mention, Fact]]]
    ) -> tuple[list[Finding], set[int]]:
        """Boolean contradictions, and the clauses they were found in."""
        findings: list[Finding] = []
        judged: set[int] = set()
        for ci, pairs in facts.items():
            bools = distinct_facts(f for _, f in pairs if f.is_boolean)
            if not bools:
                continue
            s, e = seg.clauses[ci]
            clause = text[s:e]
            sentence = text[slice(*seg.sentences[seg.clause_sentence[ci]])]
            if sentence.endswith("?"):
                continue  # a question claims nothing
            if NEGATION.search(clause):
                said = False
            elif PERMISSION.search(clause):
                said = True
            else:
                continue  # a mention, not a claim
            for fact in bools:
                if said == fact.value:
                    continue
                if fact.value is True and CONDITION.search(sentence):
                    continue
                judged.add(ci)
                findings.append(contradiction(fact, [s, e], clause.strip(), said, None, "allowed"))
        return findings, judged

    def _quantities(
        self,
        claims: list[Claim],
        seg: Segments,
        facts: dict[int, list[tuple[Mention, Fact]]],
        as_of: datetime,
        cited_ids: set[str],
        contradicted: set[int],
        agreed: dict[int, Fact],
    ) -> list[Finding]:
        findings: list[Finding] = []
        in_clause: dict[int, list[tuple[int, Claim, str]]] = {}
        clause_of = seg.clause
        for i, c in enumerate(claims):
            if c.kind is not _DATE and not c.disowned and not c.relation:
                member = (i, c, c.canonical()[0])
                in_clause.setdefault(clause_of(c.start), []).append(member)
        for ci, members in in_clause.items():
            pairs = facts.get(ci)
            if pairs is None:
                continue
            for i, c, _ in members:
                if i in contradicted:
                    continue
                self._quantity(
                    i, c, members, pairs, as_of, cited_ids, contradicted, agreed, findings
                )
        return findings

    def _quantity(
        self,
        i: int,
        c: Claim,
        members: list[tuple[int, Claim, str]],
        pairs: list[tuple[Mention, Fact]],
        as_of: datetime,
        cited_ids: set[str],
        contradicted: set[int],
        agreed: dict[int, Fact],
        findings: list[Finding],
    ) -> None:
        """Judge one claim against the facts mentioned in its clause (``members`` are the
        clause's claims, with their unit families)."""
        family, low, high = c.canonical()
        family_of_key = self._families
        cands = [(m, f) for m, f in pairs if comparable(family_of_key[f.key], family)]
        if not cands:
            return
        distinct = distinct_facts(f for _, f in cands)
        same = [f for f in distinct if family_of_key[f.key] == family]
        if len(distinct) == 1 or len(same) == 1:
            fact = same[0] if same else distinct[0]
            fam = family_of_key[fact.key]
            rivals = [
                p for j, p, p_fam in members if (p_fam == fam if same else comparable(p_fam, fam))
            ]
            if len(rivals) > 1:
                spots = [m for m, f in cands if f.key == fact.key]
                if min(rivals, key=lambda p: distance(spots, p)) is not c:
                    return  # the value nearest the topic is the one about it
        else:
            peers = [j for j, p, p_fam in members if comparable(p_fam, family)]
            if len(peers) == len(distinct):
                fact = distinct[peers.index(i)]  # "return in 30 days, exchange in 45"
            else:
                verdicts = [(f, compare(f, family, low, high)) for f in distinct]
                match = next((f for f, v in verdicts if v), None)
                if match is not None:
                    agreed[i] = match
                if match is not None or any(v is None for _, v in verdicts):
                    return
                fact = nearest_fact(cands, c)
        verdict = compare(fact, family, low, high)
        if verdict:
            agreed[i] = fact
        if verdict is not False:
            return
        if self._policy_states(fact, (family, low), as_of, cited_ids):
            return  # a current document the draft relies on says this about this topic
        contradicted.add(i)
        findings.append(contradiction(fact, list(c.span), c.text, c.value, c.unit, c.kind.value))

    def _policy_states(
        self, fact: Fact, value: tuple[str, Num], as_of: datetime, cited: set[str]
    ) -> bool:
        """Whether the fact's own source document, or a document the draft cites, in the
        version in force at ``as_of``, states ``value`` in a clause about one of the fact's
        topics ("every 500 points is worth $10" beside 2 points per dollar; "request a
        refund within 30 days", citing the returns policy, beside refund processing)."""
        for phrase in fact.topic:
            for doc_id, version, values in self.stated.get(self.index.stemmed(phrase), ()):
                if (
                    value in values
                    and (doc_id == fact.source.id or doc_id in cited)
                    and self._in_force(doc_id, as_of) == version
                ):
                    return True
        return False

    def _in_force(self, doc_id: str, as_of: datetime) -> str | None:
        """The version of ``doc_id`` in force at ``as_of`` (``KnowledgeBase.in_force``)."""
        for start, end, version in self._spans.get(doc_id, ()):
            if (start is None or start <= as_of) and (end is None or as_of < end):
                return version
        return None

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
