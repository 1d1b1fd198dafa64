"""Bad arguments are blocked with a clear violation; no exception escapes the gate."""

from __future__ import annotations

from typing import Any, cast

import pytest

from guardrail import Code, ToolCall
from guardrail.knowledge import Knowledge
from guardrail.tools import ToolsLayer

from ._helpers import conversation, ctx_for

GOOD = {"order_id": "A-1001", "amount_cents": 12900, "reason_code": "damaged"}


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"x": value}
    return value


CASES: list[tuple[str, object, str, str | None]] = [
    # (case, arguments, violated rule, argument at fault)
    ("json string", '{"order_id": "A-1001", "amount_cents": 100}', "arguments-object", None),
    ("malformed json", '{"order_id": "A-1001", "amount_', "arguments-object", None),
    ("list", [1, 2], "arguments-object", None),
    ("null", None, "arguments-object", None),
    ("huge integer", {**GOOD, "amount_cents": 10**30}, "arguments-integer-range", "amount_cents"),
    ("above maximum", {**GOOD, "amount_cents": 10**8}, "schema:maximum", "amount_cents"),
    ("float for int", {**GOOD, "amount_cents": 129.0}, "schema:type", "amount_cents"),
    ("fraction", {**GOOD, "amount_cents": 12.5}, "schema:type", "amount_cents"),
    ("bool for int", {**GOOD, "amount_cents": True}, "schema:type", "amount_cents"),
    ("nan", {**GOOD, "amount_cents": float("nan")}, "arguments-non-finite", "amount_cents"),
    ("infinity", {**GOOD, "amount_cents": float("inf")}, "arguments-non-finite", "amount_cents"),
    ("negative", {**GOOD, "amount_cents": -500}, "schema:minimum", "amount_cents"),
    ("zero", {**GOOD, "amount_cents": 0}, "schema:minimum", "amount_cents"),
    ("digits as string", {**GOOD, "amount_cents": "12900"}, "schema:type", "amount_cents"),
    ("fullwidth digits", {**GOOD, "amount_cents": "１２９００"}, "schema:type", "amount_cents"),
    ("look-alike id", {**GOOD, "order_id": "A-１００１"}, "schema:pattern", "order_id"),
    ("arabic-indic id", {**GOOD, "order_id": "A-١٠٠١"}, "schema:pattern", "order_id"),
    ("extra property", {**GOOD, "override": True}, "schema:additionalProperties", "override"),
    (
        "missing property",
        {"order_id": "A-1001", "reason_code": "damaged"},
        "schema:required",
        "amount_cents",
    ),
    ("unknown enum", {**GOOD, "reason_code": "because"}, "schema:enum", "reason_code"),
    ("deep nesting", {**GOOD, "note": _deep(200)}, "arguments-depth", None),
    ("very deep nesting", {**GOOD, "note": _deep(5000)}, "arguments-depth", None),
    ("huge object", {**GOOD, **{f"k{i}": i for i in range(5000)}}, "arguments-size", None),
]


@pytest.mark.parametrize(
    ("case", "arguments", "rule", "argument"), CASES, ids=[c[0] for c in CASES]
)
async def test_bad_arguments_are_blocked_with_a_clear_violation(
    layer: ToolsLayer, case: str, arguments: object, rule: str, argument: str | None
) -> None:
    """Each kind of bad input blocks the call with the named violation; nothing raises."""
    call = ToolCall.model_construct(name="refund_order", arguments=cast(Any, arguments), id=None)
    [result] = await layer.avalidate([call], conversation=conversation())
    assert not result.allowed
    assert result.violations[0].rule == rule, result.violations
    if argument is not None:
        assert result.violations[0].argument == argument
    assert result.violations[0].message


@pytest.mark.parametrize("arguments", ['{"a": 1}', "{nope"])
async def test_string_arguments_say_whether_they_were_json(
    layer: ToolsLayer, arguments: str
) -> None:
    """A JSON-encoded string and a broken string get different, explicit messages."""
    [result] = await layer.avalidate(
        [ToolCall(name="refund_order", arguments=arguments)], conversation=conversation()
    )
    message = result.violations[0].message
    assert "must be a JSON object" in message
    assert ("JSON-encoded" in message) == arguments.startswith('{"')


async def test_bad_input_becomes_schema_findings_in_the_layer(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Through ``run``, a malformed call is a TOOL_SCHEMA_VIOLATION finding naming the tool,
    the rule and the argument, and the draft's other calls are still judged."""
    bad = ToolCall(name="refund_order", arguments={**GOOD, "amount_cents": -1})
    good = ToolCall(name="refund_order", arguments={**GOOD, "amount_cents": 100})
    result = await layer.run(ctx_for(knowledge, "Done.", [bad, good]))
    assert result.tool_calls is not None
    assert [r.allowed for r in result.tool_calls] == [False, True]
    [finding] = result.findings
    assert finding.code is Code.TOOL_SCHEMA_VIOLATION
    assert (
        finding.evidence.items()
        >= {
            "tool": "refund_order",
            "rule": "schema:minimum",
            "argument": "amount_cents",
            "call_index": 0,
        }.items()
    )


async def test_unknown_tool_is_blocked(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """A call to a tool with no spec is UNKNOWN_TOOL and never allowed."""
    call = ToolCall(name="sell_car", arguments={"price_cents": 100})
    result = await layer.run(ctx_for(knowledge, "Hello.", [call]))
    assert result.tool_calls is not None and not result.tool_calls[0].allowed
    assert [f.code for f in result.findings] == [Code.UNKNOWN_TOOL]
