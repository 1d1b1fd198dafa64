"""Build conversations, drafts and decisions directly (no layers), for store tests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from guardrail.models import (
    Action,
    Code,
    Conversation,
    Decision,
    Draft,
    Finding,
    Handoff,
    Latency,
    LayerName,
    Message,
    Role,
    SourceRef,
)

AS_OF = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def finding(code: Code, layer: LayerName = LayerName.grounding, **evidence: Any) -> Finding:
    return Finding.of(layer, code, f"{code.value} found", **evidence)


def case(
    *,
    tenant: str = "acme",
    conversation_id: str | None = None,
    customer_id: str | None = "u-1",
    intent: str | None = "returns",
    as_of: datetime = AS_OF,
    customer_text: str = "Can I still return my boots?",
    text: str = "You can return unworn items within 30 days of delivery.",
    action: Action = Action.release,
    findings: Sequence[Finding] = (),
    sources: Sequence[tuple[str, str]] = (("returns-policy", "3"),),
    confidence: float | None = None,
    model: str | None = None,
    total_ms: float = 1.0,
    audit_id: str | None = None,
    context: dict[str, Any] | None = None,
) -> tuple[Conversation, Draft, Decision]:
    """One conversation, its draft and a decision about it."""
    conv = Conversation(
        tenant=tenant,
        id=conversation_id or f"c-{uuid.uuid4().hex[:8]}",
        customer_id=customer_id,
        as_of=as_of,
        intent=intent,
        messages=[Message(role=Role.customer, text=customer_text)],
        context=context or {},
    )
    draft = Draft(
        text=text,
        sources=[SourceRef(id=i, version=v, text=f"{i} v{v}") for i, v in sources],
        confidence=confidence,
        model=model,
    )
    handoff = None
    if action is Action.escalate:
        handoff = Handoff(
            reasons=[f"{f.code.value}: {f.message}" for f in findings] or ["escalated"],
            summary=f"Customer wrote: {customer_text}",
            conversation=list(conv.messages),
            draft={"text": text},
            sources=[],
            facts=[],
            context=dict(conv.context),
            findings=list(findings),
            review=None,
            priority="normal",
        )
    decision = Decision(
        action=action,
        text=None if action is Action.escalate else text,
        findings=list(findings),
        handoff=handoff,
        tenant=tenant,
        conversation_id=conv.id,
        audit_id=audit_id or uuid.uuid4().hex,
        latency_ms=Latency(total=total_ms),
    )
    return conv, draft, decision
