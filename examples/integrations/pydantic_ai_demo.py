"""The gate in a Pydantic AI agent, offline (Pydantic AI's FunctionModel).

pip install -e '.[pydantic-ai]' && python examples/integrations/pydantic_ai_demo.py
"""

from __future__ import annotations

import asyncio
from typing import Any

from _acme_gate import CONTEXT, ESCALATE, REFUND_TOO_MUCH, RELEASE, SLOPPY, acme_guard
from pydantic_ai import Agent, RunContext
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from guardrail.integrations.pydantic_ai import Escalation, GuardrailCapability, output_validator


def build(replies: list[ModelResponse]) -> Agent[dict[str, Any], str]:
    script = iter(replies)

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return next(script)

    guard = acme_guard()
    agent: Agent[dict[str, Any], str] = Agent(
        FunctionModel(model), deps_type=dict, capabilities=[GuardrailCapability(guard)]
    )

    @agent.tool
    def refund_order(
        ctx: RunContext[dict[str, Any]], order_id: str, amount_cents: int, reason_code: str
    ) -> str:
        """Refund (part of) an order."""
        return f"refunded {amount_cents} cents on {order_id}"

    agent.output_validator(output_validator(guard))
    return agent


async def run(replies: list[ModelResponse]) -> None:
    agent = build(replies)
    try:
        result = await agent.run("My boots arrived damaged.", deps=dict(CONTEXT))
    except Escalation as escalation:
        print(f"  escalate -> send {escalation.decision.holding_message!r}")
        return
    print(f"  send {result.output!r}")
    for message in result.all_messages():
        for part in getattr(message, "parts", []):
            if getattr(part, "outcome", None) == "retried":
                print(f"  tool {part.tool_name} ({part.tool_call_id}) blocked: {part.content}")


async def main() -> None:
    print("release:")
    await run([ModelResponse(parts=[TextPart(RELEASE)])])
    print("rewrite:")
    await run([ModelResponse(parts=[TextPart(SLOPPY)])])
    print("escalate:")
    await run([ModelResponse(parts=[TextPart(ESCALATE)])])
    print("blocked tool call (ModelRetry tells the model why, then it answers):")
    call = ToolCallPart("refund_order", REFUND_TOO_MUCH, tool_call_id="call_9")
    await run([ModelResponse(parts=[call]), ModelResponse(parts=[TextPart(RELEASE)])])


if __name__ == "__main__":
    asyncio.run(main())
