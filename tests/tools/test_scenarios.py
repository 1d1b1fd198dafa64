"""The acme scenarios through the real pipeline: the tools layer's findings on each."""

from __future__ import annotations

import json

import pytest

from guardrail import Guardrail

from ._helpers import ROOT

SCENARIOS = ROOT / "examples" / "acme" / "scenarios"

#: scenario file prefix -> the tools-layer findings, as sorted (code, rule or kind) pairs
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "05": [("UNBACKED_COMMITMENT", "legal"), ("UNBACKED_COMMITMENT", "sale")],
    "08": [],
    "09": [("TOOL_POLICY_VIOLATION", "within-order-total"), ("UNBACKED_COMMITMENT", "refund")],
    "10": [("UNBACKED_COMMITMENT", "refund")],
    "11": [("TOOL_POLICY_VIOLATION", "before-shipment"), ("UNBACKED_COMMITMENT", "cancel_order")],
    "41": [("TOOL_POLICY_VIOLATION", "within-order-total")],
    "42": [("UNBACKED_COMMITMENT", "refund")],
    "43": [("UNKNOWN_TOOL", "unknown-tool")],
    "44": [("TOOL_SCHEMA_VIOLATION", "arguments-object")],
}


def _case(prefix: str) -> dict[str, object]:
    path = next(SCENARIOS.glob(f"{prefix}-*.json"))
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def guard() -> Guardrail:
    return Guardrail.from_config(str(ROOT / "examples" / "acme" / "guardrail.toml"), audit=None)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_tool_scenarios_give_the_expected_tools_findings(guard: Guardrail, prefix: str) -> None:
    """Scenarios 05, 08-11 and 41-44 produce exactly the pinned tools-layer findings."""
    case = _case(prefix)
    decision = guard.check(case["conversation"], case["draft"])  # type: ignore[arg-type]
    found = sorted(
        {
            (f.code.value, str(f.evidence.get("rule") or f.evidence.get("kind")))
            for f in decision.findings
            if f.layer == "tools"
        }
    )
    assert found == EXPECTED[prefix]


def test_backed_refund_scenario_allows_the_call(guard: Guardrail) -> None:
    """Scenario 08's refund of 12900 on A-1001 is allowed and carries no violations."""
    case = _case("08")
    decision = guard.check(case["conversation"], case["draft"])  # type: ignore[arg-type]
    assert [(r.name, r.allowed, r.violations) for r in decision.tool_calls] == [
        ("refund_order", True, [])
    ]


@pytest.mark.parametrize("prefix", ["09", "11"])
def test_blocked_call_scenarios_are_never_released(guard: Guardrail, prefix: str) -> None:
    """A draft with a blocked tool call is escalated and the call carries its violation."""
    case = _case(prefix)
    decision = guard.check(case["conversation"], case["draft"])  # type: ignore[arg-type]
    assert decision.action.value == "escalate"
    assert decision.tool_calls and not decision.tool_calls[0].allowed
    assert decision.tool_calls[0].violations[0].rule in {"within-order-total", "before-shipment"}


def test_scenarios_without_transactions_have_no_tools_findings(guard: Guardrail) -> None:
    """No other acme scenario trips the tools layer (the commitment scan stays quiet on
    ordinary policy answers)."""
    for path in sorted(SCENARIOS.glob("*.json")):
        if path.name[:2] in EXPECTED:
            continue
        case = json.loads(path.read_text(encoding="utf-8"))
        decision = guard.check(case["conversation"], case["draft"])
        tools = [f.code.value for f in decision.findings if f.layer == "tools"]
        assert tools == [], path.name
