"""The handoff package: what a human needs to pick up where the AI stopped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..models import Handoff, Review, ToolCallResult

if TYPE_CHECKING:
    from ..layers import CheckContext


def build_handoff(
    ctx: CheckContext,
    findings: Sequence[Any],
    tool_results: Sequence[ToolCallResult],
    review: Review | None,
) -> Handoff:
    draft = ctx.draft
    reasons = [f"{f.code.value}: {f.message}" for f in findings] or ["escalated"]
    sources = [{"id": s.id, "version": s.version, "text": s.text} for s in draft.sources]
    return Handoff(
        reasons=reasons,
        summary=(
            f"Conversation {ctx.conversation.id}: the AI's reply was stopped "
            f"({len(findings)} finding(s)): " + "; ".join(reasons[:3])
        ),
        conversation=list(ctx.conversation.messages),
        draft={
            "text": draft.text,
            "tool_calls": [r.model_dump(mode="json") for r in tool_results],
        },
        sources=sources,
        facts=[],
        context={**ctx.conversation.context, **ctx.pulled},
        findings=list(findings),
        review=review,
        priority="normal",
    )
