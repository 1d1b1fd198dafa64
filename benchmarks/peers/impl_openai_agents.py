"""OpenAI Agents SDK 0.24: ``@output_guardrail`` (W1) and ``@tool_input_guardrail`` (W2).

Each iteration is one ``await Runner.run(agent, question)`` against a fake model: by
default ``FixedModel``, a minimal ``agents.Model`` subclass returning one prebuilt
``ModelResponse`` (the W1 reply, or a ``refund_order`` function call for W2), so the figure
is the SDK's own cost; variant ``scripted`` uses the SDK's own test double
``agents.testing.ScriptedModel`` instead (one step enqueued per run; it deep-copies and
records every call, which adds its own cost). The guardrail trips and the run ends with the
SDK's tripwire exception (``OutputGuardrailTripwireTriggered`` /
``ToolInputGuardrailTripwireTriggered``), whose ``output_info`` carries the check's
reason. Tracing is disabled (``set_tracing_disabled(True)``): no network export.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from agents import (
    Agent,
    GuardrailFunctionOutput,
    OutputGuardrailTripwireTriggered,
    RunContextWrapper,
    Runner,
    ToolGuardrailFunctionOutput,
    ToolInputGuardrailData,
    ToolInputGuardrailTripwireTriggered,
    function_tool,
    output_guardrail,
    set_tracing_disabled,
    tool_input_guardrail,
)
from agents.items import ModelResponse, TResponseOutputItem
from agents.models.interface import Model
from agents.testing import ScriptedModel, assistant_message, function_call
from agents.usage import Usage
from workloads import (
    NOOP_TEXT,
    ORDER,
    REFUND_ARGS,
    REFUND_TOOL,
    W1_EXPECTED,
    W1_QUESTION,
    W1_TEXT,
    W2_EXPECTED,
    W2_QUESTION,
    check_refund,
    check_reply,
    expect,
)


@output_guardrail
def policy_numbers(
    ctx: RunContextWrapper[Any], agent: Agent[Any], output: str
) -> GuardrailFunctionOutput:
    violations = check_reply(output)
    return GuardrailFunctionOutput(output_info=violations, tripwire_triggered=bool(violations))


@output_guardrail
def always_pass(
    ctx: RunContextWrapper[Any], agent: Agent[Any], output: str
) -> GuardrailFunctionOutput:
    return GuardrailFunctionOutput(output_info=None, tripwire_triggered=False)


@tool_input_guardrail
def refund_within_order(data: ToolInputGuardrailData) -> ToolGuardrailFunctionOutput:
    reason = check_refund(json.loads(data.context.tool_arguments), data.context.context["order"])
    if reason:
        return ToolGuardrailFunctionOutput.raise_exception(output_info=reason)
    return ToolGuardrailFunctionOutput.allow()


@function_tool(tool_input_guardrails=[refund_within_order])
def refund_order(order_id: str, amount_cents: int, reason_code: str) -> str:
    """Refund part or all of an order."""
    return f"refunded {amount_cents} on {order_id}"


class FixedModel(Model):
    """A model that answers every request with the same output items."""

    def __init__(self, output: list[TResponseOutputItem]) -> None:
        self.output = output

    async def get_response(self, *args: Any, **kwargs: Any) -> ModelResponse:
        return ModelResponse(output=list(self.output), usage=Usage(requests=1), response_id=None)

    def stream_response(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("the benchmark does not stream")


def build(variant: str = "") -> dict[str, Callable[[], Any]]:
    set_tracing_disabled(True)
    reply = assistant_message(W1_TEXT)
    call = function_call(REFUND_TOOL, REFUND_ARGS, call_id="call-1")
    noop_reply = assistant_message(NOOP_TEXT)
    scripted = ScriptedModel() if variant == "scripted" else None
    models: list[Model] = (
        [scripted] * 3
        if scripted is not None
        else [FixedModel([reply]), FixedModel([call]), FixedModel([noop_reply])]
    )
    w1_agent = Agent(name="support", model=models[0], output_guardrails=[policy_numbers])
    w2_agent = Agent(name="support", model=models[1], tools=[refund_order])
    noop_agent = Agent(name="support", model=models[2], output_guardrails=[always_pass])
    context = {"order": ORDER}

    def script(item: TResponseOutputItem) -> None:
        if scripted is not None:
            scripted.enqueue([item])
            scripted._calls.clear()  # the double records every call; keep memory flat

    async def w1_run() -> Any:
        script(reply)
        try:
            await Runner.run(w1_agent, W1_QUESTION, context=context)
        except OutputGuardrailTripwireTriggered as exc:
            return exc.guardrail_result.output.output_info
        return None

    async def w2_run() -> Any:
        script(call)
        try:
            await Runner.run(w2_agent, W2_QUESTION, context=context)
        except ToolInputGuardrailTripwireTriggered as exc:
            return exc.output.output_info
        return None

    async def w1() -> str:
        return "fail" if await w1_run() else "pass"

    async def w2() -> str:
        return "block" if await w2_run() else "allow"

    async def noop() -> str:
        script(noop_reply)
        result = await Runner.run(noop_agent, W1_QUESTION, context=context)
        return "pass" if result.final_output == NOOP_TEXT else "fail"

    async def verify() -> None:
        expect("agents W1", await w1_run(), W1_EXPECTED)
        expect("agents W2", await w2_run(), W2_EXPECTED)

    asyncio.run(verify())
    return {"W1": w1, "W2": w2, "noop": noop}
