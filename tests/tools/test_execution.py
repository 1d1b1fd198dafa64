"""Gated execution: handlers run only for allowed calls, in order; a failure escalates."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

import pytest

from guardrail import Code, Conversation, Finding, Guardrail, ToolCallResult
from guardrail._execution import execute_calls
from guardrail.config import ToolsConfig
from guardrail.knowledge import GoldenSet, Knowledge
from guardrail.layers import CheckContext
from guardrail.tools import ToolsLayer, load_tools_layer

from ._helpers import ROOT, conversation, ctx_for, refund


def _guard() -> Guardrail:
    """The acme tools and golden set, and no other layer: these tests pin what execution
    does, independent of how grounding or review judge the text."""
    acme = ROOT / "examples" / "acme"
    knowledge = Knowledge(golden=GoldenSet.load(acme / "policies.json"))
    tools = load_tools_layer(ToolsConfig(schemas="tool_schemas"), acme, knowledge)
    return Guardrail(tenant="acme", knowledge=knowledge, tools=tools)


async def _execute(
    layer: ToolsLayer,
    knowledge: Knowledge,
    ctx: CheckContext,
    calls: Sequence[ToolCallResult] | None,
) -> tuple[list[ToolCallResult], list[Finding]]:
    """Run the guard's executor (no audit store) on the layer's verdicts."""
    guard = Guardrail(tenant="acme", knowledge=knowledge, tools=layer)
    done = await execute_calls(guard, ctx, list(calls or ()), None, sync=False)
    return done.results, done.failures


def _case(prefix: str) -> dict[str, Any]:
    path = next((ROOT / "examples" / "acme" / "scenarios").glob(f"{prefix}-*.json"))
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


async def test_allowed_calls_execute_in_order_and_blocked_ones_never(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Sync and async handlers run for allowed calls only, in draft order, and their
    results land on the calls."""
    ran: list[int] = []

    @layer.tool("refund_order")
    async def do_refund(order_id: str, amount_cents: int, reason_code: str) -> dict[str, Any]:
        await asyncio.sleep(0)
        ran.append(amount_cents)
        return {"refund_id": f"R-{amount_cents}"}

    ctx = ctx_for(knowledge, "Done.", [refund(100), refund(99999), refund(200)])
    verdict = await layer.run(ctx)
    assert verdict.tool_calls is not None
    results, failures = await _execute(layer, knowledge, ctx, verdict.tool_calls)
    assert ran == [100, 200] and failures == []
    assert [(r.executed, r.result) for r in results] == [
        (True, {"refund_id": "R-100"}),
        (False, None),
        (True, {"refund_id": "R-200"}),
    ]


async def test_handler_failure_is_tool_failure_and_stops_later_calls(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """A raising handler gives TOOL_FAILURE naming the error; calls after it don't run."""
    ran: list[int] = []

    @layer.tool("refund_order")
    def do_refund(order_id: str, amount_cents: int, reason_code: str) -> None:
        ran.append(amount_cents)
        if amount_cents == 100:
            raise ConnectionError("payment provider down")

    ctx = ctx_for(knowledge, "Done.", [refund(100), refund(200)])
    verdict = await layer.run(ctx)
    results, failures = await _execute(layer, knowledge, ctx, verdict.tool_calls)
    assert ran == [100]
    assert [f.code for f in failures] == [Code.TOOL_FAILURE]
    assert failures[0].evidence["error"] == "ConnectionError"
    assert [r.executed for r in results] == [False, False]


async def test_handler_may_ask_for_the_conversation(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """A handler declaring ``conversation`` receives it alongside the arguments."""
    seen: list[str | None] = []

    @layer.tool("refund_order")
    def do_refund(conversation: Conversation, **args: Any) -> str:
        seen.append(conversation.customer_id)
        return "ok"

    ctx = ctx_for(knowledge, "Done.", [refund(100)])
    verdict = await layer.run(ctx)
    results, _ = await _execute(layer, knowledge, ctx, verdict.tool_calls)
    assert seen == ["u-1"] and results[0].result == "ok"


async def test_non_json_handler_result_is_a_failure(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """A handler returning something that is not JSON is flagged for a human."""

    @layer.tool("refund_order")
    def do_refund(**args: Any) -> object:
        return object()

    ctx = ctx_for(knowledge, "Done.", [refund(100)])
    verdict = await layer.run(ctx)
    results, failures = await _execute(layer, knowledge, ctx, verdict.tool_calls)
    assert results[0].executed and [f.code for f in failures] == [Code.TOOL_FAILURE]


def test_pipeline_executes_the_backed_refund() -> None:
    """Through the pipeline, scenario 08 is released and its refund executed once."""
    guard = _guard()
    ran: list[dict[str, Any]] = []

    @guard.tools.tool("refund_order")
    def do_refund(**args: Any) -> dict[str, bool]:
        ran.append(args)
        return {"ok": True}

    case = _case("08")
    decision = guard.check(case["conversation"], case["draft"])
    assert decision.action.value == "release"
    assert len(ran) == 1 and decision.tool_calls[0].executed
    assert decision.tool_calls[0].result == {"ok": True}


def test_pipeline_never_executes_a_blocked_call() -> None:
    """Scenario 09's over-total refund is escalated and its handler never runs."""
    guard = _guard()
    ran: list[dict[str, Any]] = []
    guard.tools.tool("refund_order")(lambda **a: ran.append(a))
    case = _case("09")
    decision = guard.check(case["conversation"], case["draft"])
    assert decision.action.value == "escalate" and ran == []


def test_pipeline_escalates_on_handler_failure() -> None:
    """A handler exception turns a releasable draft into an escalation with TOOL_FAILURE."""
    guard = _guard()

    @guard.tools.tool("refund_order")
    def boom(**args: Any) -> None:
        raise RuntimeError("ledger unavailable")

    case = _case("08")
    decision = guard.check(case["conversation"], case["draft"])
    assert decision.action.value == "escalate"
    assert Code.TOOL_FAILURE in decision.codes()


def test_handler_conversation_parameter_clashing_with_an_argument_is_refused() -> None:
    """A tool with an argument named 'conversation' cannot take the conversation too."""
    from guardrail import UserError
    from guardrail.tools import ToolSpec

    layer = ToolsLayer(
        [
            ToolSpec.from_dict(
                {
                    "name": "t",
                    "parameters": {
                        "type": "object",
                        "properties": {"conversation": {"type": "string"}},
                    },
                }
            )
        ]
    )
    with pytest.raises(UserError, match="conversation"):
        layer.tool("t")(lambda conversation: None)


def test_validate_is_usable_without_a_loop(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """The sync ``validate`` gives the same verdicts as ``avalidate``."""
    [result] = layer.validate([refund(100)], conversation=conversation(), knowledge=knowledge)
    assert result.allowed
