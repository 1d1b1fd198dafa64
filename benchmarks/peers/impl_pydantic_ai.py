"""Pydantic AI (``pydantic-ai-slim``): ``@agent.output_validator`` (W1) and a tool's
``args_validator`` (W2), each through ``await agent.run(...)`` on a ``FunctionModel``.

The model function returns the W1 reply, or a ``refund_order`` tool call for W2. The
validators raise ``ModelRetry`` with the check's reason; with ``retries=0`` that ends the
run at once with ``UnexpectedModelBehavior``, the ``ModelRetry`` in its cause chain
(a real agent would retry; a retry would be another model round trip, not guard cost).
The order is the run's ``deps``. No instrumentation (Logfire) is configured.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pydantic_ai import Agent, ModelRetry, RunContext
from pydantic_ai.exceptions import UnexpectedModelBehavior
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
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


def _replying(text: str) -> FunctionModel:
    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[TextPart(text)])

    return FunctionModel(model)


def _refund_call(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[ToolCallPart(REFUND_TOOL, dict(REFUND_ARGS), tool_call_id="c1")])


def _w1_agent() -> Agent[dict[str, Any], str]:
    agent = Agent(_replying(W1_TEXT), deps_type=dict[str, Any], retries=0)

    @agent.output_validator
    def policy_numbers(output: str) -> str:
        violations = check_reply(output)
        if violations:
            raise ModelRetry("; ".join(violations))
        return output

    return agent


def _w2_agent() -> Agent[dict[str, Any], str]:
    agent = Agent(FunctionModel(_refund_call), deps_type=dict[str, Any], retries=0)

    def refund_within_order(
        ctx: RunContext[dict[str, Any]], order_id: str, amount_cents: int, reason_code: str
    ) -> None:
        args = {"order_id": order_id, "amount_cents": amount_cents, "reason_code": reason_code}
        reason = check_refund(args, ctx.deps["order"])
        if reason:
            raise ModelRetry(reason)

    @agent.tool(args_validator=refund_within_order)
    def refund_order(
        ctx: RunContext[dict[str, Any]], order_id: str, amount_cents: int, reason_code: str
    ) -> str:
        """Refund part or all of an order."""
        return f"refunded {amount_cents} on {order_id}"

    return agent


def _noop_agent() -> Agent[dict[str, Any], str]:
    agent = Agent(_replying(NOOP_TEXT), deps_type=dict[str, Any], retries=0)

    @agent.output_validator
    def always_pass(output: str) -> str:
        return output

    return agent


def build(variant: str = "") -> dict[str, Callable[[], Any]]:
    w1_agent, w2_agent, noop_agent = _w1_agent(), _w2_agent(), _noop_agent()
    deps = {"order": ORDER}

    async def blocked_reason(agent: Agent[dict[str, Any], str], question: str) -> Any:
        try:
            await agent.run(question, deps=deps)
        except UnexpectedModelBehavior as exc:
            cause: BaseException | None = exc
            while cause is not None and not isinstance(cause, ModelRetry):
                cause = cause.__cause__ or cause.__context__
            return cause.message if cause is not None else None
        return None

    async def w1() -> str:
        return "fail" if await blocked_reason(w1_agent, W1_QUESTION) else "pass"

    async def w2() -> str:
        return "block" if await blocked_reason(w2_agent, W2_QUESTION) else "allow"

    async def noop() -> str:
        result = await noop_agent.run(W1_QUESTION, deps=deps)
        return "pass" if result.output == NOOP_TEXT else "fail"

    async def verify() -> None:
        expect(
            "pydantic_ai W1", await blocked_reason(w1_agent, W1_QUESTION), "; ".join(W1_EXPECTED)
        )
        expect("pydantic_ai W2", await blocked_reason(w2_agent, W2_QUESTION), W2_EXPECTED)

    asyncio.run(verify())
    return {"W1": w1, "W2": w2, "noop": noop}
