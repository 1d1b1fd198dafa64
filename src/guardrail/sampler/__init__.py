"""The hallucination sampler: a share of released decisions re-judged off the hot path.

Which decisions are sampled is a pure function of the audit id, so ``check()`` does no
sampling work; ``guardrail sample`` (or :func:`sample`) later reads them from the audit
store, fetches each cited source as it was at the record's ``as_of``, asks a
:class:`Judge` for per-claim verdicts and stores them. See ``docs/audit.md``.

::

    from guardrail.sampler import FunctionJudge, sample

    report = await sample(guard.audit, guard.knowledge, FunctionJudge(my_fn, model="m"))

The sampler reads the store (:mod:`guardrail.audit`) and the knowledge base; it imports
no layer. The judge the CLI builds from ``[review]`` lives with the entry points.
"""

from __future__ import annotations

from ._sampler import FunctionJudge, Judge, SampleCase, SampleReport, SourceAtTime, sample

__all__ = [
    "FunctionJudge",
    "Judge",
    "SampleCase",
    "SampleReport",
    "SourceAtTime",
    "sample",
]
