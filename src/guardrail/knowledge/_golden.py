"""The policy golden set: facts with values and effective dates (``policies.json``)."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._files import load_json
from ..errors import ConfigError
from ._units import CURRENCIES, UnitName, money_unit
from ._versions import as_utc, check_no_overlap, pick, start_of

#: how a claim relates to a quantity fact: equal to it, or within a cap / floor
Bound = Literal["exact", "at_most", "at_least"]
#: a quantity fact's unit: one of the unit table's names (``knowledge/_units.py``)
Unit = UnitName


#: bytes table: ``[a-z0-9]`` stay, every other byte (``?`` stands for non-ASCII) a space
_SPACES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def _spaced(text: str) -> str:
    """``text`` lower-cased with every character outside ``[a-z0-9]`` a space: a whole
    word ``w`` occurs in it exactly where ``" w "`` does in ``" " + result + " "``."""
    return text.lower().encode("ascii", "replace").translate(_SPACES).decode("ascii")


def _words(text: str) -> str:
    """The lower-cased ``[a-z0-9]`` words of ``text``, joined by single spaces (the same
    words as ``re.findall(r"[a-z0-9]+", text.lower())``)."""
    return " ".join(_spaced(text).split())


class FactSource(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    version: str

    @field_validator("version", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Fact(BaseModel):
    """One version of one policy fact. A quantity fact has a ``unit``; a boolean fact
    (``value`` true/false) says whether something is allowed and has no unit.

    ``bound`` (quantity facts, optional): ``"exact"`` (the default) — a claim must state
    this value; ``"at_most"`` — the value is a cap ("store credit of up to $200"), any
    claim not above it agrees; ``"at_least"`` — a floor.

    ``currency`` (money facts, optional): the ISO 4217 code of a ``cents`` value, which
    is in that currency's minor unit (``2500`` EUR cents is €25; ``1000`` JPY is ¥1000).
    Defaults to USD."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(min_length=1)
    value: bool | int | float
    unit: Unit | None = None
    currency: str | None = None
    bound: Bound = "exact"
    effective_from: datetime | None = None
    effective_to: datetime | None = None
    topic: tuple[str, ...] = Field(min_length=1)
    source: FactSource
    description: str = ""

    @field_validator("effective_from", "effective_to", mode="before")
    @classmethod
    def _dates(cls, value: object) -> datetime | None:
        return as_utc(value, where="effective date")

    @field_validator("currency", mode="after")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if code not in CURRENCIES:
            known = ", ".join(sorted(CURRENCIES))
            raise ValueError(f"unknown currency {value!r}; known: {known}")
        return code

    @model_validator(mode="after")
    def _money(self) -> Fact:
        if self.currency is not None and self.unit != "cents":
            raise ValueError("'currency' is only for a fact whose unit is 'cents'")
        whole = isinstance(self.value, bool) or float(self.value) == int(self.value)
        if self.unit == "cents" and not whole:
            raise ValueError("a 'cents' value is a whole number of minor units")
        return self

    @property
    def unit_key(self) -> str | None:
        """The grounding layer's unit: the unit, or ``"cents:<currency>"`` for money."""
        if self.unit == "cents":
            return money_unit(self.currency or "USD")
        return self.unit

    @field_validator("topic", mode="after")
    @classmethod
    def _topics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(_words(t) for t in value if _words(t))
        if not cleaned:
            raise ValueError("topic needs at least one non-empty word")
        return cleaned

    @property
    def is_boolean(self) -> bool:
        return isinstance(self.value, bool)

    def brief(self) -> dict[str, object]:
        """The JSON shape used in findings, handoffs and the reviewer's prompt."""
        return {
            "key": self.key,
            "value": self.value,
            "unit": self.unit,
            **({"currency": self.currency or "USD"} if self.unit == "cents" else {}),
            "bound": self.bound,
            "effective_from": self.effective_from.date().isoformat()
            if self.effective_from
            else None,
            "effective_to": self.effective_to.date().isoformat() if self.effective_to else None,
            "source": {"id": self.source.id, "version": self.source.version},
            "description": self.description,
        }


class GoldenSet:
    """All versions of all facts, looked up by key and moment."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        by_key: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_key[fact.key].append(fact)
        for key, versions in by_key.items():
            kinds = {f.is_boolean for f in versions}
            units = {f.unit_key for f in versions}
            if len(kinds) > 1 or len(units) > 1:
                raise ConfigError(
                    f"golden set fact {key!r}: versions disagree on type, unit or currency"
                )
            for fact in versions:
                if fact.is_boolean and fact.unit is not None:
                    raise ConfigError(f"golden set fact {key!r}: a boolean fact has no unit")
                if not fact.is_boolean and fact.unit is None:
                    raise ConfigError(f"golden set fact {key!r}: a quantity fact needs a unit")
                if fact.is_boolean and fact.bound != "exact":
                    raise ConfigError(f"golden set fact {key!r}: a boolean fact has no bound")
            check_no_overlap(versions, what=f"golden set fact {key!r}")
            versions.sort(key=start_of)
        self._by_key: dict[str, list[Fact]] = dict(by_key)
        #: per fact (by id): its one-word topics, and its longer topics padded with spaces
        self._topics: dict[int, tuple[frozenset[str], tuple[tuple[str, str], ...]]] = {
            id(f): (
                frozenset(t for t in f.topic if " " not in t),
                tuple((t.split(" ")[0], f" {t} ") for t in f.topic if " " in t),
            )
            for versions in by_key.values()
            for f in versions
        }
        self._one_word = frozenset().union(*(one for one, _ in self._topics.values()))
        #: the words :meth:`relevant` looks up: one-word topics and longer topics' first words
        self._lookup = self._one_word.union(
            first for _, longer in self._topics.values() for first, _ in longer
        )
        #: per fact (by id): :meth:`Fact.brief`, built once (:meth:`brief` hands out copies)
        self._briefs = {id(f): f.brief() for versions in by_key.values() for f in versions}
        #: when fact versions start or end: between two of these (``bisect_right`` of a
        #: moment into them) the facts in force do not change
        self._points = sorted(
            {t for v in by_key.values() for f in v for t in (f.effective_from, f.effective_to) if t}
        )
        #: per such interval, the facts in force and :meth:`relevant`'s index of them
        #: (each built once, on first use: at most one more than the points)
        self._facts_at: dict[int, list[Fact]] = {}
        self._relevant_at: dict[int, _Relevant] = {}
        self._keyed_at: dict[int, dict[str, Fact]] = {}

    @classmethod
    def load(cls, path: str | Path) -> GoldenSet:
        path = Path(path)
        raw = load_json(path, "golden set")
        if not isinstance(raw, Mapping) or not isinstance(raw.get("facts"), list):
            raise ConfigError(f'{path}: expected {{"facts": [...]}}')
        facts = []
        for i, item in enumerate(raw["facts"]):
            try:
                facts.append(Fact.model_validate(item))
            except ValidationError as exc:
                err = exc.errors()[0]
                loc = ".".join(str(p) for p in err["loc"])
                raise ConfigError(f"{path}: facts[{i}].{loc}: {err['msg']}") from None
        try:
            return cls(facts)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def keys(self) -> list[str]:
        return list(self._by_key)

    def versions(self, key: str) -> list[Fact]:
        return list(self._by_key.get(key, ()))

    def fact(self, key: str, at: datetime) -> Fact | None:
        """The version of ``key`` in force at ``at``."""
        i = self._interval(at)
        if i is None:
            return pick(self._by_key.get(key, ()), at)
        # = that ``pick``: versions of a key do not overlap, so it is the one fact of
        # ``key`` among the facts in force at ``at``
        keyed = self._keyed_at.get(i)
        if keyed is None:
            keyed = self._keyed_at[i] = {f.key: f for f in self._in_force(at)}
        return keyed.get(key)

    def in_force(self, at: datetime) -> list[Fact]:
        return list(self._in_force(at))

    def _interval(self, at: datetime) -> int | None:
        """Which interval between effective dates holds ``at``: within one, :func:`pick`
        picks the same version of each key. None when ``at`` cannot be compared with
        them (a naive moment): then each answer is computed as it always was."""
        try:
            return bisect_right(self._points, at)
        except TypeError:
            return None

    def _in_force(self, at: datetime) -> list[Fact]:
        """The facts in force at ``at`` (shared: do not mutate), kept per interval."""
        i = self._interval(at)
        facts = self._facts_at.get(i) if i is not None else None
        if facts is None:
            found = (pick(v, at) for v in self._by_key.values())
            facts = [f for f in found if f is not None]
            if i is not None:
                self._facts_at[i] = facts
        return facts

    def values(self, at: datetime) -> dict[str, bool | int | float]:
        """``{key: value}`` in force at ``at`` — the ``policy`` variable of tool rules."""
        return {f.key: f.value for f in self._in_force(at)}

    def relevant(self, text: str, at: datetime) -> list[Fact]:
        """Facts in force at ``at`` whose topic words occur in ``text`` (case-insensitive,
        whole words) — what the reviewer is shown and the handoff lists."""
        parts = _spaced(text).split()
        # the text's words that are one-word topics or start a longer one (a lookup per
        # word of the text, no set of all its words)
        hits = self._lookup.intersection(parts)
        i = self._interval(at)
        if i is None:  # (as always: the facts in force first, which may raise)
            return _Relevant(self._in_force(at), self._topics).found(hits, parts)
        if not hits:  # every fact found needs one of them: none is
            return []
        index = self._relevant_at.get(i)
        if index is None:  # (the facts in force are those of the interval of ``at``)
            index = self._relevant_at[i] = _Relevant(self._in_force(at), self._topics)
        return index.found(hits, parts)

    def brief(self, fact: Fact) -> dict[str, object]:
        """``fact.brief()`` (a fresh copy: the caller may keep or change it). A fact of
        this set is found by ``id``: the set holds its facts, so no other live object
        has that id."""
        found = self._briefs.get(id(fact))
        if found is None:
            return fact.brief()
        return {**found, "source": dict(found["source"])}  # type: ignore[call-overload]

    def all_facts(self) -> list[Fact]:
        return [f for versions in self._by_key.values() for f in versions]


class _Relevant:
    """:meth:`GoldenSet.relevant` for one list of facts in force (built once per interval
    between effective dates): per word, the facts it names alone or starts a longer topic
    of. :meth:`found` is the loop it replaces — per fact in order, in when a one-word topic
    is a hit or a longer topic whose first word is a hit occurs in the re-joined words —
    looked up from the hits instead of asked of every fact."""

    def __init__(
        self,
        facts: list[Fact],
        topics: dict[int, tuple[frozenset[str], tuple[tuple[str, str], ...]]],
    ) -> None:
        self.facts = facts
        #: word → positions in ``facts`` of the facts with it as a one-word topic
        self.single: dict[str, list[int]] = defaultdict(list)
        #: word → (position, " padded topic ") of the longer topics it starts
        self.longer: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for i, fact in enumerate(facts):
            single, longer = topics[id(fact)]
            for word in single:
                self.single[word].append(i)
            for first, padded in longer:
                self.longer[first].append((i, padded))

    def found(self, hits: frozenset[str], parts: list[str]) -> list[Fact]:
        chosen: set[int] = set()
        joined: str | None = None  # longer topics: " two words " in the words re-joined
        single, longer = self.single, self.longer
        for word in hits:
            chosen.update(single.get(word, ()))
            for i, padded in longer.get(word, ()):
                if i not in chosen:
                    joined = joined if joined is not None else f" {' '.join(parts)} "
                    if padded in joined:
                        chosen.add(i)
        facts = self.facts
        return [facts[i] for i in sorted(chosen)]
