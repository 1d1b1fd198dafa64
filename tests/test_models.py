"""The JSON contract of the data that flows (DESIGN.md, *Contracts*)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from guardrail import (
    Action,
    Code,
    Conversation,
    Decision,
    Draft,
    Finding,
    Handoff,
    Latency,
    LayerName,
    Review,
    ReviewAnswer,
    Severity,
    ToolCall,
    ToolCallResult,
    Violation,
)
from guardrail.models import DEFAULT_SEVERITY

CODE_LAYER = {
    **dict.fromkeys(
        [
            "POLICY_CONTRADICTION",
            "UNSUPPORTED_CLAIM",
            "STALE_SOURCE",
            "UNKNOWN_SOURCE",
            "MISSING_CITATION",
        ],
        LayerName.grounding,
    ),
    **dict.fromkeys(["QA_REJECTED", "QA_REWRITE", "QA_UNAVAILABLE"], LayerName.review),
    **dict.fromkeys(
        [
            "UNKNOWN_TOOL",
            "TOOL_SCHEMA_VIOLATION",
            "TOOL_POLICY_VIOLATION",
            "UNBACKED_COMMITMENT",
            "TOOL_FAILURE",
        ],
        LayerName.tools,
    ),
    **dict.fromkeys(
        ["LOW_CONFIDENCE", "SENSITIVE_INTENT", "HUMAN_REQUESTED", "BRAND_SAFETY"],
        LayerName.routing,
    ),
    "LAYER_ERROR": LayerName.audit,
}


def _decision(findings: list[Finding]) -> Decision:
    call = ToolCall(name="refund_order", arguments={"order_id": "A-1", "amount_cents": 100})
    review = Review(
        verdict="escalate",
        reasoning="contradicts the policy",
        claims=[{"text": "60 days", "verdict": "INCONSISTENT", "reason": "30 in force"}],
        model="judge-1",
        provider="openai",
        latency_ms=12.5,
    )
    handoff = Handoff(
        reasons=["POLICY_CONTRADICTION: 60 days vs 30"],
        summary="The customer wants to return boots.",
        conversation=[{"role": "customer", "text": "Can I return these?"}],
        draft={"text": "Yes, 60 days.", "tool_calls": []},
        sources=[{"id": "returns-policy", "version": "2"}],
        facts=[{"key": "return_window_days", "value": 30}],
        context={"order": {"id": "A-1"}},
        findings=findings,
        review=review,
        priority="high",
    )
    return Decision(
        action=Action.escalate,
        text=None,
        findings=findings,
        tool_calls=[
            ToolCallResult.block(call, [Violation(rule="r", message="m", argument="amount_cents")])
        ],
        review=review,
        handoff=handoff,
        holding_message="One moment.",
        tenant="acme",
        conversation_id="c-1",
        audit_id="a-1",
        latency_ms=Latency(total=1.0, grounding=0.2),
    )


def test_every_finding_code_round_trips_through_json() -> None:
    """A decision carrying one finding of every code survives dump → parse unchanged."""
    findings = [
        Finding.of(CODE_LAYER[code.value], code, f"{code.value} happened", span=[0, 4])
        for code in Code
    ]
    decision = _decision(findings)
    text = decision.model_dump_json()
    again = Decision.model_validate_json(text)
    assert again == decision
    assert {f["code"] for f in json.loads(text)["findings"]} == {c.value for c in Code}


def test_finding_evidence_sits_at_the_top_level_of_its_json() -> None:
    """Evidence fields are siblings of layer/code/severity/message, as the contract says."""
    finding = Finding.of(
        LayerName.grounding, Code.POLICY_CONTRADICTION, "60 ≠ 30", fact_key="return_window_days"
    )
    data = json.loads(finding.model_dump_json())
    assert data == {
        "layer": "grounding",
        "code": "POLICY_CONTRADICTION",
        "severity": "critical",
        "message": "60 ≠ 30",
        "fact_key": "return_window_days",
    }
    assert finding.evidence == {"fact_key": "return_window_days"}


def test_every_code_has_a_default_severity() -> None:
    """The severity table covers the whole vocabulary, so no finding lacks one."""
    assert set(DEFAULT_SEVERITY) == set(Code)
    assert Finding.of(LayerName.routing, Code.LOW_CONFIDENCE, "x").severity is Severity.major
    explicit = Finding.of(LayerName.review, Code.QA_UNAVAILABLE, "x", severity=Severity.minor)
    assert explicit.severity is Severity.minor


def test_decision_json_has_the_contract_keys() -> None:
    """The Decision JSON carries action, text, findings, tool_calls, review, handoff,
    audit_id and per-layer latency."""
    data = json.loads(_decision([]).model_dump_json())
    assert {
        "action",
        "text",
        "findings",
        "tool_calls",
        "review",
        "handoff",
        "audit_id",
        "latency_ms",
    } <= set(data)
    assert set(data["latency_ms"]) == {"total", "grounding", "review", "tools", "routing"}
    assert set(data["handoff"]) == {
        "reasons",
        "summary",
        "conversation",
        "draft",
        "sources",
        "facts",
        "context",
        "findings",
        "review",
        "priority",
    }
    assert data["tool_calls"][0]["allowed"] is False
    assert data["tool_calls"][0]["violations"][0]["argument"] == "amount_cents"


def test_naive_as_of_is_an_input_error() -> None:
    """A timestamp without a timezone is rejected, naming as_of."""
    with pytest.raises(ValidationError, match="as_of"):
        Conversation(tenant="acme", id="c", as_of=datetime(2026, 11, 20, 10, 0))


def test_as_of_is_normalised_to_utc() -> None:
    """An offset timestamp is stored as the same instant in UTC."""
    conv = Conversation.model_validate(
        {"tenant": "acme", "id": "c", "as_of": "2026-11-20T12:00:00+02:00"}
    )
    assert conv.as_of == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert conv.as_of.utcoffset() is not None


def test_confidence_is_bounded() -> None:
    """Draft confidence outside 0..1 (or NaN) is rejected."""
    for bad in (1.5, -0.1, float("nan")):
        with pytest.raises(ValidationError, match="confidence"):
            Draft(text="x", confidence=bad)


def test_models_are_frozen() -> None:
    """Inputs cannot be mutated behind the gate's back."""
    draft = Draft(text="hello")
    with pytest.raises(ValidationError):
        draft.text = "changed"  # type: ignore[misc]


def test_a_blocked_call_needs_a_violation() -> None:
    """A verdict of 'blocked' without a reason is refused."""
    with pytest.raises(ValueError, match="violation"):
        ToolCallResult.block(ToolCall(name="x"), [])


def test_review_answer_is_strict() -> None:
    """The reviewer's answer rejects unknown verdicts and unknown keys."""
    ok = ReviewAnswer.model_validate({"verdict": "approve", "reasoning": "fine"})
    assert ok.claims == [] and ok.rewrite is None
    with pytest.raises(ValidationError):
        ReviewAnswer.model_validate({"verdict": "maybe", "reasoning": "?"})
    with pytest.raises(ValidationError):
        ReviewAnswer.model_validate({"verdict": "approve", "reasoning": "x", "extra": 1})


def test_verdicts_built_without_revalidation_equal_validated_ones() -> None:
    """``ToolCallResult.allow``/``block`` skip a second validation of already-validated
    calls, yet equal and dump exactly like the same result validated from scratch."""
    call = ToolCall(name="refund_order", arguments={"order_id": "A-1", "cents": [1, {"x": None}]})
    violation = Violation(rule="r", message="m", argument="cents")
    for result in (ToolCallResult.allow(call), ToolCallResult.block(call, [violation])):
        validated = ToolCallResult.model_validate(result.model_dump())
        assert result == validated
        assert result.model_dump_json() == validated.model_dump_json()
        assert result.model_fields_set == validated.model_fields_set
    with pytest.raises(ValueError, match="at least one violation"):
        ToolCallResult.block(call, [])


def test_trusted_construction_keeps_declared_field_order_and_falls_back() -> None:
    """``trusted`` gives the declared field order whatever order values come in, and with a
    field missing or unknown it validates like the constructor (so errors stay errors)."""
    from guardrail.models import trusted

    latency = trusted(Latency, routing=4.0, tools=3.0, review=2.0, grounding=1.0, total=9.0)
    assert (
        latency.model_dump_json()
        == Latency(total=9.0, grounding=1.0, review=2.0, tools=3.0, routing=4.0).model_dump_json()
    )
    assert trusted(Latency, total=1.0) == Latency(total=1.0)  # a missing field: validated
    with pytest.raises(ValidationError):
        trusted(Latency, total=1.0, bogus=2.0)
    with pytest.raises(ValidationError):
        trusted(Violation, rule=1)
