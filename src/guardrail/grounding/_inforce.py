"""What is in force when, and what a draft's topic mentions are about then.

Between two consecutive effective dates of the golden set's fact versions the facts in
force do not change, nor between two of the knowledge base's document versions the
versions in force: what depends only on that is kept per such interval (``bisect_right``
of ``as_of`` into the dates), for the knowledge snapshot's life, never anything of a
draft. A base of :class:`~guardrail.grounding._judge.Judge` (so of ``Grounder``, which
builds the state these methods read).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from ..knowledge import Fact, Knowledge
from ..text import Mention
from ._facts import Found
from ._values import DocumentValues

__all__ = ["About", "InForce"]

#: what a mention is about: the facts in force, and flags: 1 some fact, 2 a boolean fact,
#: 4 a fact in ``count`` units, 8 a zero cue word, 16 an unbounded one
About = tuple[tuple[Fact, ...], int]


class InForce:
    """Look-ups by moment (see the module docstring)."""

    knowledge: Knowledge
    #: when facts start or end, and per interval: key → fact in force
    _fact_points: list[datetime]
    _facts_at: dict[int, dict[str, Fact | None]]
    #: per interval: topic phrase (stemmed, as a mention names it) → what it is about
    _phrases_at: dict[int, dict[str, About]]
    #: per document id, its versions' effective spans; when versions start or end, and
    #: per interval: id → version in force
    _spans: dict[str, list[tuple[datetime | None, datetime | None, str]]]
    _doc_points: list[datetime]
    _docs_at: dict[int, dict[str, str | None]]
    #: every document version's values, and per interval those of the versions in force
    documents: dict[tuple[str, str], DocumentValues]
    _refs_at: dict[int, dict[tuple[str, str], DocumentValues]]

    def _facts_by_clause(
        self, mentions: list[Mention], starts: list[int], as_of: datetime
    ) -> Found:
        """The facts in force that each clause mentions (a fact whose topic phrase is
        there), and the clauses with a boolean fact, a zero cue or an unbounded cue;
        ``starts`` are the clauses' start offsets (see ``check``)."""
        table = self._phrase_table(as_of)
        by_clause: dict[int, list[tuple[Mention, Fact]]] = {}
        out = Found(by_clause, set(), set(), set(), set())
        for m in mentions:
            about = table.get(m.phrase)
            if about is None:
                about = table[m.phrase] = self._about(m, as_of)
            facts, flags = about
            if not flags:
                continue  # nothing in force, and no cue word
            ci = bisect_right(starts, m.start) - 1
            if ci < 0:
                ci = 0
            if facts:
                pairs = by_clause.get(ci)
                if pairs is None:
                    pairs = by_clause[ci] = []
                if len(facts) == 1:  # (most phrases are one fact's)
                    pairs.append((m, facts[0]))
                else:
                    pairs += [(m, f) for f in facts]
            if flags != 1:  # more than facts: a boolean, a count or a cue word
                if flags & 2:
                    out.booleans.add(ci)
                if flags & 4:
                    out.counted.add(ci)
                if flags & 8:
                    out.zeros.add(ci)
                if flags & 16:
                    out.unbounds.add(ci)
        return out

    def _about(self, m: Mention, as_of: datetime) -> About:
        """What one mention is about at ``as_of``: the facts in force (in the order of its
        keys) one of whose topics it writes, and flags (see ``About``). A function of the
        index entry it comes from (its stemmed ``phrase`` names one entry: one set of
        ``phrases`` and ``keys``) and of the interval holding ``as_of``, so it is kept
        per phrase and interval (:meth:`_phrase_table`)."""
        golden = self.knowledge.golden
        in_force = self._in_force_facts(as_of)
        facts: list[Fact] = []
        for key in m.keys:
            if key[0] == "~":
                continue  # a cue word (absences), not a fact
            if key not in in_force:
                in_force[key] = golden.fact(key, as_of)
            fact = in_force[key]
            if fact is not None and not m.phrases.isdisjoint(fact.topic):
                facts.append(fact)
        flags = (
            (1 if facts else 0)
            | (2 if any(f.is_boolean for f in facts) else 0)
            | (4 if any(f.unit == "count" for f in facts) else 0)
            | (8 if "~zero" in m.keys else 0)
            | (16 if "~unbounded" in m.keys else 0)
        )
        return tuple(facts), flags

    def _phrase_table(self, as_of: datetime) -> dict[str, About]:
        """The cache of :meth:`_about` for the interval holding ``as_of`` (a fresh one,
        for this check only, when ``as_of`` cannot be placed, e.g. a naive one)."""
        try:
            at = bisect_right(self._fact_points, as_of)
        except TypeError:
            return {}
        found = self._phrases_at.get(at)
        if found is None:
            found = self._phrases_at[at] = {}
        return found

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

    def _in_force(self, doc_id: str, as_of: datetime) -> str | None:
        """The version of ``doc_id`` in force at ``as_of`` (``KnowledgeBase.in_force``).
        Between two consecutive effective dates of document versions the answer is the
        same, so it is kept per such interval, for every id at once (ids the knowledge
        base does not have are None, as :meth:`_scan_in_force` answers)."""
        table = self._docs_in_force(as_of)
        return table.get(doc_id) if table is not None else self._scan_in_force(doc_id, as_of)

    def _docs_in_force(self, as_of: datetime) -> dict[str, str | None] | None:
        """Every id's version in force at ``as_of`` (see :meth:`_in_force`), or None when
        ``as_of`` cannot be placed (e.g. a naive one: then scan, and fail, as before)."""
        try:
            at = bisect_right(self._doc_points, as_of)
        except TypeError:
            return None
        table = self._docs_at.get(at)
        if table is None:
            table = self._docs_at[at] = {i: self._scan_in_force(i, as_of) for i in self._spans}
        return table

    def _scan_in_force(self, doc_id: str, as_of: datetime) -> str | None:
        for start, end, version in self._spans.get(doc_id, ()):
            if (start is None or start <= as_of) and (end is None or as_of < end):
                return version
        return None

    def _refs_in_force(self, as_of: datetime) -> dict[tuple[str, str], DocumentValues]:
        """The document versions in force at ``as_of``, by ``(id, version)``, kept per
        interval (empty when ``as_of`` cannot be placed: the caller then looks up each)."""
        try:
            at = bisect_right(self._doc_points, as_of)
        except TypeError:
            return {}
        found = self._refs_at.get(at)
        if found is None:
            docs = self._docs_in_force(as_of)
            assert docs is not None  # (placed just above)
            found = self._refs_at[at] = {
                (i, v): self.documents[(i, v)]
                for i, v in docs.items()
                if v is not None and (i, v) in self.documents
            }
        return found
