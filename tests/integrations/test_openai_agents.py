"""The OpenAI Agents SDK adapter, run through the real ``Runner`` with the SDK's own
``ScriptedModel`` (no network)."""

from __future__ import annotations

from typing import Any

import pytest

from guardrail import Action, Guardrail, InputError, Role, UserError
from guardrail.review import ReviewRequest

from .conftest import (
    CONTEXT,
    ESCALATE,
    REFUND_OK,
    REFUND_TOO_MUCH,
    RELEASE,
    REWRITTEN,
    SLOPPY,
    require,
)

require("agents", "openai-agents")
from agents import Agent, OutputGuardrailTripwireTriggered, RunConfig, Runner, function_tool
from agents.testing import ScriptedModel, assistant_message, function_call

from guardrail.integrations.openai_agents import (
    decision_of,
    guardrail_for,
    reply_text,
)

#: the SDK would export traces to OpenAI; these runs are offline
OFFLINE = RunConfig(tracing_disabled=True)
INPUT: list[Any] = [
    {"role": "user", "content": "My boots arrived damaged."},
    {"role": "assistant", "content": "Sorry to hear that. Which order?"},
    {"role": "user", "content": [{"type": "input_text", "text": "Order A-1001."}]},
]


def make_agent(guard: Guardrail, steps: list[Any], ran: list[dict[str, Any]]) -> Agent[Any]:
    @function_tool
    def refund_order(order_id: str, amount_cents: int, reason_code: str) -> str:
        """Refund an order."""
        ran.append({"order_id": order_id, "amount_cents": amount_cents})
        return "refunded"

    agent = Agent(name="support", model=ScriptedModel(steps), tools=[refund_order])
    return guardrail_for(agent, guard)


async def test_a_released_reply_is_the_text_to_send(
    guard: Guardrail, seen: list[ReviewRequest]
) -> None:
    """Release: no tripwire, reply_text is the draft, and the run context and the
    customer's messages reach the gate exactly."""
    agent = make_agent(guard, [[assistant_message(RELEASE)]], [])
    result = await Runner.run(agent, INPUT, context=dict(CONTEXT), run_config=OFFLINE)
    assert reply_text(result) == RELEASE
    decision = decision_of(result)
    assert decision is not None and decision.action is Action.release
    assert decision.conversation_id == "conv-42"
    conv = seen[-1].conversation
    assert conv.context["order"] == CONTEXT["order"] and conv.customer_id == "cust-7"
    assert [(m.role, m.text) for m in conv.messages] == [
        (Role.customer, "My boots arrived damaged."),
        (Role.agent, "Sorry to hear that. Which order?"),
        (Role.customer, "Order A-1001."),
    ]


async def test_a_rewritten_reply_is_the_rewrite(guard: Guardrail) -> None:
    """Rewrite: the run finishes and reply_text is the re-checked rewrite, not the draft."""
    result = await Runner.run(
        make_agent(guard, [[assistant_message(SLOPPY)]], []),
        INPUT,
        context=dict(CONTEXT),
        run_config=OFFLINE,
    )
    assert result.final_output == SLOPPY
    assert reply_text(result) == REWRITTEN


async def test_an_escalation_trips_the_wire_carrying_the_decision(guard: Guardrail) -> None:
    """Escalate: the SDK's OutputGuardrailTripwireTriggered, carrying the handoff package."""
    agent = make_agent(guard, [[assistant_message(ESCALATE)]], [])
    with pytest.raises(OutputGuardrailTripwireTriggered) as caught:
        await Runner.run(agent, INPUT, context=dict(CONTEXT), run_config=OFFLINE)
    decision = decision_of(caught.value)
    assert decision is not None and decision.action is Action.escalate
    assert decision.handoff is not None and decision.holding_message


async def test_a_blocked_tool_call_is_rejected_with_the_violation(guard: Guardrail) -> None:
    """A blocked call never runs; the model gets the violation's message as the result."""
    ran: list[dict[str, Any]] = []
    model_steps = [
        [function_call("refund_order", REFUND_TOO_MUCH, call_id="call_9")],
        [assistant_message(RELEASE)],
    ]
    agent = make_agent(guard, model_steps, ran)
    result = await Runner.run(agent, INPUT, context=dict(CONTEXT), run_config=OFFLINE)
    assert ran == []
    assert reply_text(result) == RELEASE
    outputs = [i for i in agent.model.calls[1].input if i.get("type") == "function_call_output"]
    assert outputs[0]["call_id"] == "call_9"
    assert "exceeds the order total" in str(outputs[0]["output"])
    gate = result.tool_input_guardrail_results[0].output.output_info
    assert gate.tool_calls[0].id == "call_9" and not gate.tool_calls[0].allowed


async def test_an_allowed_tool_call_runs_with_its_id(
    guard: Guardrail, seen: list[ReviewRequest]
) -> None:
    """An allowed call runs once, and the gate saw it with the model's call id."""
    ran: list[dict[str, Any]] = []
    steps = [
        [function_call("refund_order", REFUND_OK, call_id="call_1")],
        [assistant_message(RELEASE)],
    ]
    await Runner.run(
        make_agent(guard, steps, ran), INPUT, context=dict(CONTEXT), run_config=OFFLINE
    )
    assert ran == [{"order_id": "A-1001", "amount_cents": 12900}]
    assert seen[0].draft.tool_calls[0].id == "call_1"


async def test_a_context_without_a_conversation_id_is_our_input_error(guard: Guardrail) -> None:
    """Bad run context raises guardrail's InputError naming the field, unwrapped."""
    agent = make_agent(guard, [[assistant_message(RELEASE)]], [])
    with pytest.raises(InputError) as caught:
        await Runner.run(agent, INPUT, context={"order": {}}, run_config=OFFLINE)
    assert caught.value.field == "context.conversation_id"


def test_a_guard_with_tool_handlers_is_refused(guard: Guardrail) -> None:
    """The SDK runs the tools: a guard that would also run them is a usage error."""
    guard.tool("refund_order")(lambda **kw: None)
    with pytest.raises(UserError, match="twice"):
        guardrail_for(Agent(name="a"), guard)


async def test_reply_text_of_an_unguarded_run_is_a_usage_error(guard: Guardrail) -> None:
    """reply_text on a run without the gate raises UserError, never the raw output."""
    agent = Agent(name="bare", model=ScriptedModel([[assistant_message(RELEASE)]]))
    result = await Runner.run(agent, INPUT, context=dict(CONTEXT), run_config=OFFLINE)
    with pytest.raises(UserError, match="guardrail_for"):
        reply_text(result)
