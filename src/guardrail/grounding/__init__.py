"""Layer 1 — grounding: claims checked against the golden set and the cited sources as
they were at ``as_of``.

Deterministic and fast: the topic index over the golden set and the values of every
document version are built once, when the layer is constructed; a check is two regex
passes over the draft plus set look-ups; the draft's claims and clauses come from the
check's shared text analysis (``guardrail.text``). See ``docs/grounding.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .._log import get_logger
from ..knowledge import Knowledge
from ..layers import CheckContext, LayerResult
from ..models import Finding, LayerName, SourceRef, ToolCallResult
from ..text import Analysis, Claim, ClaimKind, extract_claims, split_sentences
from ._check import Grounder

__all__ = ["Claim", "ClaimKind", "GroundingLayer", "extract_claims", "split_sentences"]

log = get_logger("guardrail.grounding")
_std_log = logging.getLogger("guardrail.grounding")  # the stdlib logger ``log`` wraps


class GroundingLayer:
    """The grounding layer of the gate (``POLICY_CONTRADICTION``, ``STALE_SOURCE``,
    ``UNKNOWN_SOURCE``, ``UNSUPPORTED_CLAIM``, ``MISSING_CITATION``)."""

    name = LayerName.grounding

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._grounder = Grounder(knowledge)

    async def run(self, ctx: CheckContext) -> LayerResult:
        findings = self.check(
            ctx.draft.text,
            as_of=ctx.as_of,
            sources=ctx.draft.sources,
            context=ctx.conversation.context,
            allowed_calls=ctx.allowed_calls,
            customer=ctx.conversation.customer_texts(),
            analysis=ctx.analysis,
        )
        # (the event's fields are built only when the level is on: ``log.debug`` asks this
        # logger the same question and drops the event otherwise, after ~5 µs of set-up)
        if findings and _std_log.isEnabledFor(logging.DEBUG):
            log.debug(
                "grounding_findings",
                tenant=ctx.conversation.tenant,
                conversation_id=ctx.conversation.id,
                audit_id=ctx.audit_id,
                codes=sorted({f.code.value for f in findings}),
                sources=[f"{s.id}@{s.version}" for s in ctx.draft.sources],
            )
        return LayerResult(findings=tuple(findings))

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
        """Ground one draft outside the pipeline (evaluation, benchmarks, tests):
        the same findings :meth:`run` returns. ``customer`` is the customer's messages;
        ``analysis`` the text's shared reading, when the caller has one."""
        return self._grounder.check(
            text,
            as_of=as_of,
            sources=sources,
            context=context,
            allowed_calls=allowed_calls,
            customer=customer,
            analysis=analysis,
        )
