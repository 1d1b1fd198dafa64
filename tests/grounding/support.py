"""Shared helpers for the grounding tests: the example tenant's knowledge and a way to
ground a labelled case."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from guardrail.grounding import GroundingLayer
from guardrail.knowledge import GoldenSet, Knowledge, KnowledgeBase
from guardrail.models import Finding, SourceRef, ToolCall, ToolCallResult

from .labelled import Case

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
#: caps in the example golden set (``"bound": "at_most"``; see docs/grounding.md)
CAPS = ("store_credit_cap_cents", "subscription_pause_max_months")


@cache
def acme_knowledge() -> Knowledge:
    """The acme golden set and knowledge base, with its two caps marked as caps."""
    golden = GoldenSet.load(ACME / "policies.json")
    facts = [
        f.model_copy(update={"bound": "at_most"}) if f.key in CAPS else f
        for f in golden.all_facts()
    ]
    return Knowledge(GoldenSet(facts), KnowledgeBase.load(ACME / "knowledge"))


@cache
def acme_layer() -> GroundingLayer:
    return GroundingLayer(acme_knowledge())


def ground(case: Case, layer: GroundingLayer | None = None) -> list[Finding]:
    layer = layer or acme_layer()
    calls = [ToolCallResult.allow(ToolCall.model_validate(c)) for c in case.calls]
    return layer.check(
        case.text,
        as_of=case.as_of,
        sources=[SourceRef(id=i, version=v, text="") for i, v in case.cite],
        context=case.context,
        allowed_calls=calls,
    )


def codes(findings: list[Finding]) -> frozenset[str]:
    return frozenset(f.code.value for f in findings)
