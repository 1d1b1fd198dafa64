"""Benchmark: what each framework adapter adds over the gate alone.

    .venv/bin/python benchmarks/bench_integrations.py [--n 2000]

For each adapter, the hook the framework calls (output guardrail, tool guardrail,
output validator, middleware, PreToolUse hook) is awaited directly with the framework's
own objects, and so is ``guard.acheck`` on the equivalent Conversation and Draft built
by hand; samples alternate between the two. Prints the median and p99 (µs) of both and
of the difference of medians: the adapter's overhead (context → conversation,
messages, the verdict back into the framework's shape). The gate is acme's
deterministic configuration (no QA model, no audit). Frameworks not installed are
skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from guardrail import Draft, Guardrail, ToolCall
from guardrail.integrations._core import conversation_from
from guardrail.models import Role

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme" / "guardrail.toml"
CONTEXT: dict[str, Any] = {
    "conversation_id": "bench-1",
    "customer_id": "cust-7",
    "as_of": "2026-11-20T10:00:00Z",
    "order": {"id": "A-1001", "total_cents": 12900, "status": "delivered",
              "delivered_at": "2026-11-02"},
}  # fmt: skip
PROMPT = "My boots arrived damaged. Can I get a refund for order A-1001?"
REPLY = "I'm sorry about that. I have opened order A-1001 and will update you here."
ARGS = {"order_id": "A-1001", "amount_cents": 12900, "reason_code": "damaged"}
Probe = Callable[[], Awaitable[object]]


def gate_probes(guard: Guardrail) -> tuple[Probe, Probe]:
    conv = conversation_from(guard, CONTEXT, [(Role.customer, PROMPT)])
    reply = Draft(text=REPLY)
    call = Draft(text="", tool_calls=[ToolCall(name="refund_order", arguments=ARGS, id="c1")])
    return (lambda: guard.acheck(conv, reply)), (lambda: guard.acheck(conv, call))


def openai_agents(guard: Guardrail) -> tuple[Probe, Probe]:
    from agents import Agent, RunContextWrapper, ToolInputGuardrailData
    from agents.tool_context import ToolContext

    from guardrail.integrations.openai_agents import output_guardrail, tool_input_guardrail

    agent: Agent[Any] = Agent(name="bench")
    items: list[Any] = [{"role": "user", "content": PROMPT}]
    ctx = RunContextWrapper(context=CONTEXT, turn_input=items)
    out_fn, tool_fn = output_guardrail(guard).guardrail_function, tool_input_guardrail(guard)
    tctx = ToolContext(context=CONTEXT, tool_name="refund_order", tool_call_id="c1",
                       tool_arguments='{"order_id": "A-1001", "amount_cents": 12900, '
                                      '"reason_code": "damaged"}', turn_input=items)  # fmt: skip
    data = ToolInputGuardrailData(context=tctx, agent=agent)
    return (lambda: out_fn(ctx, agent, REPLY)), (lambda: tool_fn.guardrail_function(data))  # type: ignore[return-value]


def pydantic_ai(guard: Guardrail) -> tuple[Probe, Probe]:
    from pydantic_ai import RunContext
    from pydantic_ai.messages import ModelRequest, ModelResponse, TextPart, ToolCallPart
    from pydantic_ai.models.test import TestModel
    from pydantic_ai.tools import ToolDefinition
    from pydantic_ai.usage import RunUsage

    from guardrail.integrations.pydantic_ai import GuardrailCapability, output_validator

    history: list[Any] = [
        ModelRequest.user_text_prompt(PROMPT),
        ModelResponse(parts=[TextPart(REPLY)]),
    ]
    ctx = RunContext(deps=CONTEXT, model=TestModel(), usage=RunUsage(), messages=history)
    validate, cap = output_validator(guard), GuardrailCapability(guard)
    part = ToolCallPart("refund_order", ARGS, tool_call_id="c1")
    tdef = ToolDefinition(name="refund_order")
    return (lambda: validate(ctx, REPLY)), (
        lambda: cap.after_tool_validate(ctx, call=part, tool_def=tdef, args=dict(ARGS))
    )


def langgraph(guard: Guardrail) -> tuple[Probe, Probe]:
    from langchain_core.messages import AIMessage, HumanMessage
    from langgraph.prebuilt.tool_node import ToolCallRequest
    from langgraph.runtime import Runtime

    from guardrail.integrations.langgraph import GuardrailMiddleware

    mw, runtime = GuardrailMiddleware(guard), Runtime(context=CONTEXT)
    state = {"messages": [HumanMessage(PROMPT, id="h1"), AIMessage(REPLY, id="a1")]}
    tool_call: Any = {"name": "refund_order", "args": ARGS, "id": "c1", "type": "tool_call"}
    tstate = {"messages": [HumanMessage(PROMPT), AIMessage("", tool_calls=[tool_call])]}
    request = ToolCallRequest(tool_call=tool_call, tool=None, state=tstate, runtime=runtime)  # type: ignore[arg-type]

    async def ran(_: Any) -> Any:
        return None

    return (lambda: mw.aafter_model(state, runtime)), (lambda: mw.awrap_tool_call(request, ran))


def claude_agent_sdk(guard: Guardrail) -> tuple[Probe, Probe]:
    from guardrail.integrations.claude_agent_sdk import ClaudeGate

    gate = ClaudeGate(guard, CONTEXT)
    gate.observe(PROMPT)
    hook_input: Any = {"session_id": "s", "transcript_path": "/dev/null", "cwd": "/",
                       "hook_event_name": "PreToolUse", "tool_name": "mcp__acme__refund_order",
                       "tool_input": ARGS, "tool_use_id": "c1"}  # fmt: skip
    return (lambda: gate.final_reply(REPLY)), (
        lambda: gate.pre_tool_use(hook_input, "c1", {"signal": None})
    )


ADAPTERS = {
    "openai-agents": ("agents", openai_agents),
    "pydantic-ai": ("pydantic_ai", pydantic_ai),
    "langgraph": ("langgraph", langgraph),
    "claude-agent-sdk": ("claude_agent_sdk", claude_agent_sdk),
}


async def paired(gate: Probe, adapter: Probe, n: int) -> tuple[list[float], list[float]]:
    for _ in range(50):
        await gate()
        await adapter()
    g, a = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        await gate()
        t1 = time.perf_counter()
        await adapter()
        t2 = time.perf_counter()
        g.append((t1 - t0) * 1e6)
        a.append((t2 - t1) * 1e6)
    return g, a


def stats(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return statistics.median(xs), xs[min(len(xs) - 1, int(len(xs) * 0.99))]


async def main(n: int) -> None:
    guard = Guardrail.from_config(str(ACME), audit=None)
    gate_reply, gate_call = gate_probes(guard)
    print(f"python {platform.python_version()}, {platform.machine()}, n={n} per probe (µs)")
    print(f"{'adapter':<18}{'hook':<8}{'gate p50':>9}{'gate p99':>9}{'adapter p50':>12}"
          f"{'adapter p99':>12}{'overhead p50':>13}")  # fmt: skip
    for name, (module, build) in ADAPTERS.items():
        if importlib.util.find_spec(module) is None:
            print(f"{name:<18}skipped: {module} is not installed")
            continue
        reply, call = build(guard)
        for hook, gate, probe in (("reply", gate_reply, reply), ("tool", gate_call, call)):
            g, a = await paired(gate, probe, n)
            (g50, g99), (a50, a99) = stats(g), stats(a)
            print(f"{name:<18}{hook:<8}{g50:>9.1f}{g99:>9.1f}{a50:>12.1f}{a99:>12.1f}"
                  f"{a50 - g50:>13.1f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    asyncio.run(main(parser.parse_args().n))
