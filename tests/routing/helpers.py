"""Builders shared by the routing tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from guardrail.knowledge import GoldenSet, Knowledge, KnowledgeBase
from guardrail.layers import CheckContext, LayerResult
from guardrail.models import (
    Code,
    Conversation,
    Draft,
    Finding,
    LayerName,
    Message,
    Review,
    Severity,
)

AS_OF = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def acme_knowledge() -> Knowledge:
    """The example tenant's golden set and knowledge base."""
    return Knowledge(
        golden=GoldenSet.load(ACME / "policies.json"),
        documents=KnowledgeBase.load(ACME / "knowledge"),
    )


def conversation(*customer: str, intent: str | None = None, **extra: Any) -> Conversation:
    messages = [Message(role="customer", text=t) for t in customer]
    return Conversation(
        tenant="acme",
        id="c-1",
        customer_id="u-9",
        as_of=AS_OF,
        messages=extra.pop("messages", messages),
        intent=intent,
        **extra,
    )


def context(
    *customer: str,
    draft: str = "Thanks for getting in touch.",
    confidence: float | None = None,
    intent: str | None = None,
    knowledge: Knowledge | None = None,
    recheck: bool = False,
    **draft_extra: Any,
) -> CheckContext:
    conv = conversation(*customer, intent=intent)
    dft = Draft(text=draft, confidence=confidence, **draft_extra)
    return CheckContext(conv, dft, knowledge or Knowledge(), "audit-1", recheck=recheck)


def finding(code: Code, severity: Severity | None = None, **evidence: Any) -> Finding:
    layer = {
        "QA": LayerName.review,
        "TO": LayerName.tools,
        "UN": LayerName.tools,
    }.get(code.value[:2], LayerName.grounding)
    return Finding.of(layer, code, f"{code.value} test finding", severity=severity, **evidence)


def review(verdict: str = "approve", rewrite: str | None = None, reasoning: str = "ok") -> Review:
    return Review(
        verdict=verdict,
        reasoning=reasoning,
        rewrite=rewrite,
        model="qa-model",
        provider="test",
        latency_ms=1.0,
    )


class ScriptedReview:
    """A review layer standing in for the real reviewer: returns one scripted result."""

    name = LayerName.review

    def __init__(self, result: Review, findings: Sequence[Finding] = ()) -> None:
        self.result = result
        self.findings = tuple(findings)
        self.calls = 0

    async def run(self, ctx: CheckContext) -> LayerResult:
        self.calls += 1
        return LayerResult(findings=self.findings, review=self.result)


class PhraseGrounding:
    """A deterministic stand-in for grounding: POLICY_CONTRADICTION when the draft says
    ``phrase``."""

    name = LayerName.grounding

    def __init__(self, phrase: str = "60 days") -> None:
        self.phrase = phrase
        self.seen: list[tuple[str, bool]] = []

    async def run(self, ctx: CheckContext) -> LayerResult:
        self.seen.append((ctx.draft.text, ctx.recheck))
        if self.phrase in ctx.draft.text:
            return LayerResult(
                findings=(
                    Finding.of(
                        LayerName.grounding,
                        Code.POLICY_CONTRADICTION,
                        "the return window is 30 days, not 60",
                        fact_key="return_window_days",
                    ),
                )
            )
        return LayerResult()


class RecordingAudit:
    """An AuditStore double that keeps what it was given."""

    def __init__(self) -> None:
        self.written: list[Any] = []
        self.deliveries: list[tuple[str, str, bool, str | None]] = []

    def write(self, conversation: Any, draft: Any, decision: Any) -> None:
        self.written.append(decision)

    def record_delivery(self, audit_id: str, sink: str, ok: bool, error: str | None) -> None:
        self.deliveries.append((audit_id, sink, ok, error))
