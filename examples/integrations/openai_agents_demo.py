"""The gate in an OpenAI Agents SDK agent, offline (the SDK's ScriptedModel).

pip install -e '.[openai-agents]' && python examples/integrations/openai_agents_demo.py
"""

from __future__ import annotations

import asyncio
from typing import Any

from _acme_gate import CONTEXT, ESCALATE, REFUND_TOO_MUCH, RELEASE, SLOPPY, acme_guard
from agents import Agent, OutputGuardrailTripwireTriggered, RunConfig, Runner, function_tool
from agents.testing import ScriptedModel, assistant_message, function_call

from guardrail.integrations.openai_agents import decision_of, guardrail_for, reply_text

OFFLINE = RunConfig(tracing_disabled=True)  # the SDK would otherwise export traces


@function_tool
def refund_order(order_id: str, amount_cents: int, reason_code: str) -> str:
    """Refund (part of) an order."""
    return f"refunded {amount_cents} cents on {order_id}"


async def run(steps: list[Any]) -> None:
    agent = Agent(name="acme-support", model=ScriptedModel(steps), tools=[refund_order])
    guarded = guardrail_for(agent, acme_guard())
    try:
        result = await Runner.run(
            guarded, "My boots arrived damaged.", context=dict(CONTEXT), run_config=OFFLINE
        )
    except OutputGuardrailTripwireTriggered as tripped:
        decision = decision_of(tripped)
        assert decision is not None
        print(f"  escalate -> send {decision.holding_message!r}")
        if decision.handoff is not None:
            print(f"  handoff: {decision.handoff.summary}")
        return
    decision = decision_of(result)
    assert decision is not None
    print(f"  {decision.action.value} -> send {reply_text(result)!r}")
    for gated in result.tool_input_guardrail_results:
        info = gated.output.output_info
        for call in info.tool_calls:
            verdict = "allowed" if call.allowed else f"blocked: {call.violations[0].message}"
            print(f"  tool {call.name} ({call.id}) {verdict}")


async def main() -> None:
    print("release:")
    await run([[assistant_message(RELEASE)]])
    print("rewrite:")
    await run([[assistant_message(SLOPPY)]])
    print("escalate:")
    await run([[assistant_message(ESCALATE)]])
    print("blocked tool call (the model is told why, then answers):")
    await run(
        [
            [function_call("refund_order", REFUND_TOO_MUCH, call_id="call_9")],
            [assistant_message(RELEASE)],
        ]
    )


if __name__ == "__main__":
    asyncio.run(main())
