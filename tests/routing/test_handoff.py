"""The handoff package: every key present and populated from the inputs, a readable
summary, and a priority derived from what stopped the draft."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail import Guardrail
from guardrail.knowledge import GoldenSet, Knowledge
from guardrail.layers import CheckContext
from guardrail.models import (
    Code,
    Draft,
    Handoff,
    Message,
    SourceRef,
    ToolCall,
    ToolCallResult,
    Violation,
)
from guardrail.routing import Router, RoutingConfig, TriggerLayer, build_handoff
from guardrail.routing._handoff import priority

from .helpers import ACME, AS_OF, acme_knowledge, conversation, finding, review

KEYS = {
    "reasons", "summary", "conversation", "draft", "sources", "facts", "context", "findings",
    "review", "priority",
}  # fmt: skip

REFUND = ToolCall(
    name="refund_order",
    arguments={"order_id": "A-1001", "amount_cents": 50000, "reason_code": "changed_mind"},
)
BLOCKED = ToolCallResult.block(
    REFUND, [Violation(rule="within-order-total", message="refund exceeds the order total")]
)


def _ctx(knowledge: Knowledge) -> CheckContext:
    conv = conversation(
        "My boots hurt. I want to return them.",
        "Refund me $500 or I'll take you to court.",
        intent="refunds",
        context={"order": {"id": "A-1001", "total_cents": 12900, "status": "delivered"}},
    )
    draft = Draft(
        text="I've refunded $500.00 to your card. You have 60 days to return the boots.",
        tool_calls=[REFUND],
        sources=[
            SourceRef(id="returns-policy", version="2", text="60 days"),
            SourceRef(id="secret-vip-policy", version="1", text="VIPs get anything."),
        ],
        confidence=0.7,
        model="agent-model-1",
    )
    ctx = CheckContext(conv, draft, knowledge, "audit-7", tool_results=[BLOCKED])
    ctx.pulled["customer"] = {"tier": "gold", "lifetime_orders": 7}
    return ctx


def test_handoff_is_complete_and_populated_from_the_inputs() -> None:
    """Every contract key is present and filled from the conversation, draft, tool
    verdicts, knowledge, findings and review."""
    ctx = _ctx(acme_knowledge())
    findings = [
        finding(Code.TOOL_POLICY_VIOLATION, tool="refund_order"),
        finding(Code.POLICY_CONTRADICTION, fact_key="return_window_days"),
        finding(Code.SENSITIVE_INTENT, category="legal", matched="to court"),
    ]
    qa = review("escalate", reasoning="The refund exceeds the order total.")
    handoff = build_handoff(ctx, findings, ctx.tool_results, qa)

    dumped = handoff.model_dump(mode="json")
    assert set(dumped) == KEYS
    assert all(dumped[k] not in (None, [], {}, "") for k in KEYS)
    assert len(handoff.reasons) == 4  # one per finding + the QA reasoning
    assert handoff.reasons[-1].startswith("QA reasoning: The refund exceeds")
    assert [m.text for m in handoff.conversation] == [m.text for m in ctx.conversation.messages]
    assert handoff.draft["text"] == ctx.draft.text
    assert handoff.draft["confidence"] == 0.7
    call = handoff.draft["tool_calls"][0]  # type: ignore[index]
    assert call["allowed"] is False  # type: ignore[index, call-overload]
    assert call["violations"][0]["rule"] == "within-order-total"  # type: ignore[index, call-overload]
    by_id = {s["id"]: s for s in handoff.sources}
    assert by_id["returns-policy"]["status"] == "superseded"
    assert by_id["returns-policy"]["version_in_force"] == "3"
    assert by_id["secret-vip-policy"]["status"] == "unknown"
    keys = {f["key"] for f in handoff.facts}
    assert {"return_window_days", "refund_processing_business_days"} <= keys
    window = next(f for f in handoff.facts if f["key"] == "return_window_days")
    assert window["value"] == 30  # the fact in force at as_of, not the old 60
    assert handoff.context == {
        "order": {"id": "A-1001", "total_cents": 12900, "status": "delivered"},
        "customer": {"tier": "gold", "lifetime_orders": 7},
    }
    assert handoff.findings == findings
    assert handoff.review == qa
    assert handoff.priority == "urgent"
    json.dumps(dumped)  # the package is plain JSON


def test_summary_is_one_readable_paragraph() -> None:
    """The summary says what the customer wants, what the AI was about to do and why it
    stopped, in one short paragraph rather than a dump."""
    ctx = _ctx(acme_knowledge())
    findings = [finding(Code.TOOL_POLICY_VIOLATION), finding(Code.POLICY_CONTRADICTION)]
    summary = build_handoff(ctx, findings, ctx.tool_results, None).summary
    assert "\n" not in summary
    assert len(summary) < 700
    assert "Refund me $500" in summary  # what the customer wants (their latest message)
    assert "intent: refunds" in summary
    assert "refund_order(" in summary and "[blocked]" in summary  # what the AI was about to do
    assert "I've refunded $500.00" in summary
    assert "tool call breaks policy" in summary and "contradicts policy" in summary  # why


def test_summary_clips_long_messages_and_many_reasons() -> None:
    """Long customer text is clipped and more than three kinds of reason are counted."""
    conv = conversation("word " * 300)
    ctx = CheckContext(conv, Draft(text="ok " * 300), Knowledge(), "a")
    codes = [Code.LOW_CONFIDENCE, Code.HUMAN_REQUESTED, Code.STALE_SOURCE, Code.UNKNOWN_SOURCE,
             Code.MISSING_CITATION]  # fmt: skip
    summary = build_handoff(ctx, [finding(c) for c in codes], [], None).summary
    assert len(summary) < 700
    assert "and 2 more" in summary


def test_unvalidated_tool_calls_are_still_shown() -> None:
    """When the tools layer gave no verdicts (it failed), the proposals are listed unvalidated."""
    ctx = _ctx(Knowledge())
    handoff = build_handoff(ctx, [finding(Code.LAYER_ERROR)], [], None)
    call = handoff.draft["tool_calls"][0]  # type: ignore[index]
    assert call["name"] == "refund_order" and call["allowed"] is None  # type: ignore[index, call-overload]


def test_context_values_that_are_not_json_are_made_json() -> None:
    """Whatever a resolver pulled, the handoff stays valid JSON (dates become strings)."""
    ctx = _ctx(Knowledge())
    ctx.pulled["loaded_at"] = AS_OF
    handoff = build_handoff(ctx, [finding(Code.LOW_CONFIDENCE)], [], None)
    assert handoff.context["loaded_at"] == "2026-11-20T10:00:00Z"


def _result(name: str, allowed: bool, **args: object) -> ToolCallResult:
    call = ToolCall(name=name, arguments=dict(args))
    if allowed:
        return ToolCallResult.allow(call)
    return ToolCallResult.block(call, [Violation(rule="r", message="m")])


PRIORITY_ROWS = [
    ([finding(Code.SENSITIVE_INTENT, category="legal")], [], "urgent"),
    ([finding(Code.SENSITIVE_INTENT, category="chargeback")], [], "urgent"),
    ([finding(Code.SENSITIVE_INTENT, category="intent", intent="Legal")], [], "urgent"),
    ([finding(Code.TOOL_POLICY_VIOLATION)], [_result("refund_order", False)], "urgent"),
    ([finding(Code.TOOL_POLICY_VIOLATION)], [_result("adjust", False, amount_cents=5)], "urgent"),
    ([finding(Code.TOOL_FAILURE)], [_result("issue_store_credit", True)], "urgent"),
    ([finding(Code.SENSITIVE_INTENT, category="account_closure")], [], "high"),
    ([finding(Code.SENSITIVE_INTENT, category="complaint")], [], "high"),
    ([finding(Code.HUMAN_REQUESTED)], [], "high"),
    ([finding(Code.BRAND_SAFETY)], [], "high"),
    ([finding(Code.TOOL_POLICY_VIOLATION)], [_result("cancel_order", False, order_id="A")], "high"),
    ([finding(Code.LOW_CONFIDENCE)], [], "normal"),
    ([finding(Code.POLICY_CONTRADICTION)], [_result("refund_order", True)], "normal"),
    ([finding(Code.QA_REJECTED)], [], "normal"),
]


@pytest.mark.parametrize(("findings", "results", "expected"), PRIORITY_ROWS)
def test_priority(findings: list, results: list, expected: str) -> None:  # type: ignore[type-arg]
    """Legal language and blocked or failed money movements are urgent; other sensitive
    intents, human requests, blocked calls and brand stops are high; the rest normal."""
    assert priority(findings, results) == expected


def test_tenant_money_tools_count_as_money() -> None:
    """A tool the tenant lists in ``money_tools`` makes a blocked call urgent."""
    results = [_result("ship_replacement", False, order_id="A")]
    assert priority([finding(Code.TOOL_POLICY_VIOLATION)], results) == "high"
    config = RoutingConfig(money_tools=["ship_replacement"])
    assert priority([finding(Code.TOOL_POLICY_VIOLATION)], results, config.money_tools) == "urgent"


async def test_pipeline_escalation_carries_the_handoff_and_holding_message() -> None:
    """Through the real pipeline, an escalation has null text, the tenant's holding
    message and a handoff; a release has neither."""
    cfg = RoutingConfig(holding_message="Passing you to a colleague.")
    guard = Guardrail(tenant="acme", triggers=TriggerLayer(cfg), router=Router(cfg))
    conv = conversation("Can I talk to a human?")
    escalated = await guard.acheck(conv, {"text": "Sure thing.", "confidence": 0.9})
    assert escalated.text is None
    assert escalated.holding_message == "Passing you to a colleague."
    assert isinstance(escalated.handoff, Handoff)
    assert escalated.handoff.conversation == [
        Message(role="customer", text="Can I talk to a human?")
    ]
    released = await guard.acheck(conversation("thanks!"), {"text": "You're welcome."})
    assert released.text == "You're welcome." and released.handoff is None
    assert released.holding_message is None


def test_handoff_built_without_revalidation_equals_the_validated_one() -> None:
    """The handoff the gate builds (no second validation) equals, and dumps the same JSON
    as, the same package validated from scratch by ``Handoff.model_validate``."""
    ctx = _ctx(acme_knowledge())
    ctx.pulled["loaded_at"] = AS_OF
    findings = [
        finding(Code.TOOL_POLICY_VIOLATION, tool="refund_order"),
        finding(Code.POLICY_CONTRADICTION, fact_key="return_window_days"),
        finding(Code.SENSITIVE_INTENT, category="legal", matched="to court"),
    ]
    allowed = ToolCallResult.allow(ToolCall(name="issue_store_credit", arguments={"cents": 5}))
    results = [BLOCKED, allowed]
    handoff = build_handoff(ctx, findings, results, review("escalate", reasoning="No."))
    validated = Handoff.model_validate(handoff.model_dump())
    assert handoff == validated
    assert handoff.model_dump_json() == validated.model_dump_json()
    assert handoff.draft["tool_calls"] == [r.model_dump(mode="json") for r in results]
    facts = {f.key: f for f in ctx.knowledge.golden.all_facts() if f.value == 30}
    assert facts["return_window_days"].brief() in handoff.facts


@cache
def _acme_golden() -> GoldenSet:
    return GoldenSet.load(ACME / "policies.json")


def _relevant_reference(golden: GoldenSet, text: str) -> list[str]:
    """``GoldenSet.relevant`` as first written: every topic searched in the re-joined words."""
    lowered = f" {' '.join(re.findall(r'[a-z0-9]+', text.lower()))} "
    return [f.key for f in golden.in_force(AS_OF) if any(f" {t} " in lowered for t in f.topic)]


_TOPIC_WORDS = ["return", "returns", "window", "send", "back", "it", "refund", "free", "shipping"]
_texts = st.lists(
    st.one_of(
        st.sampled_from(_TOPIC_WORDS),
        st.sampled_from([" ", "  ", "-", ".", "\n", "É", "ß", "İ", "K", "'s", "RETURN", "Free"]),
        st.text(max_size=6),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_texts)
def test_relevant_facts_match_the_word_by_word_reference(text: str) -> None:
    """The handoff's relevant facts (one word set, one pass) are exactly those whose topic
    occurs as whole words, as the original word-by-word search found them."""
    golden = _acme_golden()
    assert [f.key for f in golden.relevant(text, AS_OF)] == _relevant_reference(golden, text)
