"""The Pydantic AI adapter, run through a real ``Agent`` with Pydantic AI's own
``FunctionModel`` (no network)."""

from __future__ import annotations

from typing import Any

import pytest

from guardrail import Action, Guardrail, InputError, Role, UserError
from guardrail.integrations import Escalation
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

require("pydantic_ai", "pydantic-ai")
from pydantic_ai import Agent, RunContext
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from guardrail.integrations.pydantic_ai import GuardrailCapability, output_validator


def make_agent(
    guard: Guardrail, replies: list[ModelResponse], ran: list[dict[str, Any]], seen: list[Any]
) -> Agent[dict[str, Any], str]:
    script = iter(replies)

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.append(list(messages))
        return next(script)

    agent: Agent[dict[str, Any], str] = Agent(
        FunctionModel(model),
        deps_type=dict,
        capabilities=[GuardrailCapability(guard)],
    )

    @agent.tool
    def refund_order(
        ctx: RunContext[dict[str, Any]], order_id: str, amount_cents: int, reason_code: str
    ) -> str:
        """Refund an order."""
        ran.append({"order_id": order_id, "amount_cents": amount_cents})
        return "refunded"

    agent.output_validator(output_validator(guard))
    return agent


def text(value: str) -> ModelResponse:
    return ModelResponse(parts=[TextPart(value)])


def call(args: dict[str, Any], call_id: str) -> ModelResponse:
    return ModelResponse(parts=[ToolCallPart("refund_order", args, tool_call_id=call_id)])


async def test_a_released_reply_is_returned_as_is(
    guard: Guardrail, seen: list[ReviewRequest]
) -> None:
    """Release: the run's output is the draft; deps and the prompt reach the gate."""
    agent = make_agent(guard, [text(RELEASE)], [], [])
    result = await agent.run("My boots arrived damaged. Order A-1001.", deps=dict(CONTEXT))
    assert result.output == RELEASE
    conv = seen[-1].conversation
    assert conv.id == "conv-42" and conv.context["order"] == CONTEXT["order"]
    assert [(m.role, m.text) for m in conv.messages] == [
        (Role.customer, "My boots arrived damaged. Order A-1001.")
    ]


async def test_a_rewrite_replaces_the_output(guard: Guardrail) -> None:
    """Rewrite: the output validator returns the re-checked rewrite as the run's output."""
    result = await make_agent(guard, [text(SLOPPY)], [], []).run("Hi", deps=dict(CONTEXT))
    assert result.output == REWRITTEN


async def test_an_escalation_stops_the_run_carrying_the_decision(guard: Guardrail) -> None:
    """Escalate: the run raises Escalation (ours, unwrapped) with the handoff package."""
    agent = make_agent(guard, [text(ESCALATE)], [], [])
    with pytest.raises(Escalation) as caught:
        await agent.run("Hi", deps=dict(CONTEXT))
    decision = caught.value.decision
    assert decision.action is Action.escalate and decision.handoff is not None


async def test_a_blocked_tool_call_is_retried_with_the_violation(guard: Guardrail) -> None:
    """A blocked call never runs; the model is asked to retry, told the violation."""
    ran: list[dict[str, Any]] = []
    history: list[Any] = []
    agent = make_agent(guard, [call(REFUND_TOO_MUCH, "call_9"), text(RELEASE)], ran, history)
    result = await agent.run("Refund me", deps=dict(CONTEXT))
    assert ran == []
    assert result.output == RELEASE
    assert "exceeds the order total" in repr(history[1][-1])
    assert "call_9" in repr(history[1][-1])


async def test_an_allowed_tool_call_runs_with_its_id(
    guard: Guardrail, seen: list[ReviewRequest]
) -> None:
    """An allowed call runs once, and the gate saw it with the model's call id."""
    ran: list[dict[str, Any]] = []
    agent = make_agent(guard, [call(REFUND_OK, "call_1"), text(RELEASE)], ran, [])
    await agent.run("Refund me", deps=dict(CONTEXT))
    assert ran == [{"order_id": "A-1001", "amount_cents": 12900}]
    assert seen[0].draft.tool_calls[0].id == "call_1"


async def test_deps_without_a_conversation_id_are_our_input_error(guard: Guardrail) -> None:
    """Deps without a conversation id raise guardrail's InputError naming the field."""
    with pytest.raises(InputError) as caught:
        await make_agent(guard, [text(RELEASE)], [], []).run("Hi", deps={})
    assert caught.value.field == "context.conversation_id"


def test_a_guard_with_tool_handlers_is_refused(guard: Guardrail) -> None:
    """Pydantic AI runs the tools: a guard that would also run them is a usage error."""
    guard.tool("refund_order")(lambda **kw: None)
    with pytest.raises(UserError, match="twice"):
        GuardrailCapability(guard)
