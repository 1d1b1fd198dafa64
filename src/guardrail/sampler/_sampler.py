"""The hallucination sampler: a share of released decisions re-judged off the hot path.

Nothing happens inside ``check()``: which decisions are sampled is a pure function of
the audit id (:func:`selected`), and ``guardrail sample`` (or :func:`sample`) later reads
them from the store, fetches each cited source *as it was at the record's* ``as_of``,
asks a judge — a model other than the one that wrote the draft — for per-claim verdicts,
and stores them. The hallucination rate is the share of judged responses with at least
one ``INCONSISTENT`` claim.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .._log import get_logger
from ..knowledge import Knowledge
from ..models import ClaimVerdict

if TYPE_CHECKING:
    from ..audit import SQLStore

log = get_logger("guardrail.sampler")


@dataclass(frozen=True)
class SourceAtTime:
    """A cited source as it stood at the interaction: ``version`` is the one in force at
    ``as_of`` (None when the knowledge base has none), ``cited_version`` what the agent
    said it used; ``text`` is the in-force text, else the cited version's, else what the
    agent quoted; ``cited_text`` is what the agent quoted (redacted)."""

    id: str
    cited_version: str
    version: str | None
    text: str
    cited_text: str = ""

    @property
    def stale(self) -> bool:
        return self.version is not None and self.version != self.cited_version


@dataclass(frozen=True)
class SampleCase:
    """What the judge sees: the released reply, the customer's question, the sources and
    the policy facts in force at ``as_of``. Text is the redacted record's."""

    audit_id: str
    tenant: str
    as_of: datetime
    intent: str | None
    question: tuple[str, ...]
    response: str
    sources: tuple[SourceAtTime, ...]
    facts: tuple[dict[str, object], ...]
    generator_model: str | None


@runtime_checkable
class Judge(Protocol):
    """Answers per-claim verdicts for one sampled response."""

    @property
    def model(self) -> str: ...

    async def judge(self, case: SampleCase) -> Sequence[ClaimVerdict]: ...


JudgeFn = Callable[[SampleCase], Sequence[ClaimVerdict] | Awaitable[Sequence[ClaimVerdict]]]


class FunctionJudge:
    """A judge that is just a function (sync or async) — for tests and custom judges."""

    def __init__(self, fn: JudgeFn, model: str = "function-judge") -> None:
        self._fn = fn
        self._model = model

    @property
    def model(self) -> str:
        return self._model

    async def judge(self, case: SampleCase) -> Sequence[ClaimVerdict]:
        result = self._fn(case)
        if inspect.isawaitable(result):
            result = await result
        return list(result)


_SNAPSHOT = re.compile(r"-(?:\d{4}-?\d{2}-?\d{2}|latest)$")


def same_model(a: str, b: str) -> bool:
    """Whether two model names name one model (provider prefix, ``-latest`` and snapshot
    dates aside): ``openai/gpt-4o-2024-08-06`` is ``gpt-4o``."""

    def family(name: str) -> str:
        return _SNAPSHOT.sub("", name.strip().lower().rsplit("/", 1)[-1])

    return family(a) == family(b)


def selected(audit_id: str, rate: float) -> bool:
    """Whether ``audit_id`` falls in the sampled share: a stable hash, so re-runs and
    other processes agree, and nothing is decided on the hot path."""
    if rate <= 0.0:
        return False
    if rate >= 1.0:
        return True
    bucket = int.from_bytes(hashlib.sha256(audit_id.encode()).digest()[:8], "big")
    return bucket / 2.0**64 < rate


@dataclass
class SampleReport:
    """What one sampler run did."""

    considered: int = 0
    selected: int = 0
    judged: int = 0
    hallucinated: int = 0
    skipped_same_model: int = 0
    errors: int = 0
    error_ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def build_case(record: dict[str, Any], knowledge: Knowledge) -> SampleCase:
    """The judge's view of a record, sources fetched as they were at its ``as_of``."""
    as_of = datetime.fromisoformat(record["as_of"])
    draft = record.get("draft") or {}
    sources = []
    for src in draft.get("sources") or []:
        doc_id, cited = str(src.get("id")), str(src.get("version"))
        current = knowledge.documents.in_force(doc_id, as_of)
        doc = current or knowledge.documents.get(doc_id, cited)
        sources.append(
            SourceAtTime(
                id=doc_id,
                cited_version=cited,
                version=current.version if current else None,
                text=doc.text if doc is not None else str(src.get("text", "")),
                cited_text=str(src.get("text", "")),
            )
        )
    response = record.get("text") or draft.get("text") or ""
    facts = tuple(f.brief() for f in knowledge.golden.relevant(response, as_of))
    question = tuple(
        str(m.get("text", "")) for m in record.get("messages", []) if m.get("role") == "customer"
    )
    return SampleCase(
        audit_id=str(record["audit_id"]),
        tenant=str(record["tenant"]),
        as_of=as_of,
        intent=record.get("intent"),
        question=question,
        response=response,
        sources=tuple(sources),
        facts=facts,
        generator_model=draft.get("model"),
    )


async def sample(
    store: SQLStore,
    knowledge: Knowledge,
    judge: Judge,
    *,
    rate: float | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
    concurrency: int = 4,
) -> SampleReport:
    """Judge the sampled, not-yet-judged released decisions in ``[since, until)`` and
    store the verdicts. A judge failure leaves the record unjudged (a later run retries
    it); a judge that is the generator's own model is never used for that record."""
    share = store.config.sample_rate if rate is None else rate
    report = SampleReport()
    ids = store.released_unsampled(since, until)
    report.considered = len(ids)
    chosen = [a for a in ids if selected(a, share)]
    if limit is not None:
        chosen = chosen[:limit]
    report.selected = len(chosen)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(audit_id: str) -> None:
        record = store.get(audit_id)
        if record is None:  # purged meanwhile
            return
        case = build_case(record, knowledge)
        if case.generator_model and same_model(case.generator_model, judge.model):
            report.skipped_same_model += 1
            return
        async with gate:
            try:
                verdicts = [ClaimVerdict.model_validate(v) for v in await judge.judge(case)]
            except Exception as exc:
                report.errors += 1
                report.error_ids.append(audit_id)
                log.warning("sample_judge_failed", audit_id=audit_id, error=type(exc).__name__)
                return
        if store.save_sample(audit_id, judge.model, verdicts):
            report.judged += 1
            report.hallucinated += any(v.verdict == "INCONSISTENT" for v in verdicts)

    await asyncio.gather(*(one(a) for a in chosen))
    log.info(
        "sample_run",
        tenant=store.tenant,
        **{k: v for k, v in report.to_json().items() if k != "error_ids"},
    )
    return report
