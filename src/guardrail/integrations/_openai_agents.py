"""OpenAI Agents SDK adapter: an output guardrail and a tool input guardrail."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from agents import (
    Agent,
    FunctionTool,
    GuardrailFunctionOutput,
    OutputGuardrail,
    OutputGuardrailTripwireTriggered,
    RunContextWrapper,
    ToolGuardrailFunctionOutput,
    ToolInputGuardrail,
    ToolInputGuardrailData,
)
from agents.result import RunResultBase
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from ..errors import UserError
from ..models import Action, Decision, Draft, Role, ToolCall
from ._core import check_tool_call, conversation_from, parse_arguments, require_no_handlers

if TYPE_CHECKING:
    from ..pipeline import Guardrail

__all__ = [
    "decision_of",
    "guardrail_for",
    "output_guardrail",
    "reply_text",
    "tool_input_guardrail",
]

NAME = "guardrail"
_ROLES = {"user": Role.customer, "assistant": Role.agent, "system": Role.system}
_ROLES["developer"] = Role.system


def guardrail_for(agent: Agent[Any], guard: Guardrail) -> Agent[Any]:
    """A copy of ``agent`` whose final output passes the gate and whose function tools are
    each gated before they run. The original agent is not changed."""
    require_no_handlers(guard, "the OpenAI Agents SDK")
    gate = tool_input_guardrail(guard)
    tools = [
        dataclasses.replace(t, tool_input_guardrails=[*(t.tool_input_guardrails or []), gate])
        if isinstance(t, FunctionTool)
        else t
        for t in agent.tools
    ]
    return agent.clone(
        tools=tools, output_guardrails=[*agent.output_guardrails, output_guardrail(guard)]
    )


def output_guardrail(guard: Guardrail) -> OutputGuardrail[Any]:
    """Check the agent's final output. Release/rewrite: no tripwire, the Decision is the
    ``output_info`` (read the text to send with :func:`reply_text`). Escalate: the
    tripwire, so the run raises ``OutputGuardrailTripwireTriggered`` carrying the
    Decision (:func:`decision_of`)."""

    async def check_output(
        ctx: RunContextWrapper[Any], agent: Agent[Any], output: Any
    ) -> GuardrailFunctionOutput:
        conversation = conversation_from(guard, ctx.context, _messages(ctx.turn_input))
        decision = await guard.acheck(conversation, Draft(text=_text(output)))
        return GuardrailFunctionOutput(
            output_info=decision, tripwire_triggered=decision.action is Action.escalate
        )

    return OutputGuardrail(guardrail_function=check_output, name=NAME)


def tool_input_guardrail(guard: Guardrail) -> ToolInputGuardrail[Any]:
    """Gate each function-tool call before it runs: a blocked call is not executed and the
    model gets the violations' messages as the tool result (``reject_content``)."""

    async def check_call(data: ToolInputGuardrailData) -> ToolGuardrailFunctionOutput:
        tc = data.context
        conversation = conversation_from(guard, tc.context, _messages(tc.turn_input))
        call = ToolCall(
            name=tc.tool_name, arguments=parse_arguments(tc.tool_arguments), id=tc.tool_call_id
        )
        verdict = await check_tool_call(guard, conversation, call)
        if verdict.allowed:
            return ToolGuardrailFunctionOutput.allow(output_info=verdict.decision)
        assert verdict.message is not None
        return ToolGuardrailFunctionOutput.reject_content(
            verdict.message, output_info=verdict.decision
        )

    return ToolInputGuardrail(guardrail_function=check_call, name=NAME)


def decision_of(source: RunResultBase | OutputGuardrailTripwireTriggered) -> Decision | None:
    """The gate's Decision from a finished run or from the tripwire exception."""
    if isinstance(source, OutputGuardrailTripwireTriggered):
        results = [source.guardrail_result]
    else:
        results = list(source.output_guardrail_results)
    for result in results:
        if isinstance(result.output.output_info, Decision):
            return result.output.output_info
    return None


def reply_text(result: RunResultBase) -> str:
    """The text to send the customer: the released or rewritten text. A run without the
    gate's output guardrail is a usage error, never silently the raw output."""
    decision = decision_of(result)
    if decision is None or decision.text is None:
        raise UserError("this run has no released guardrail decision; use guardrail_for()")
    return decision.text


def _text(output: Any) -> str:
    if isinstance(output, str):
        return output
    if isinstance(output, BaseModel):
        return output.model_dump_json()
    return str(output)


def _messages(items: Iterable[Any]) -> Iterator[tuple[Role, str]]:
    """User/assistant/system/developer messages, in order; tool calls, tool results and
    reasoning items are not messages and are skipped."""
    for item in items:
        raw = to_jsonable_python(item)
        if not isinstance(raw, dict) or raw.get("type", "message") != "message":
            continue
        role = _ROLES.get(str(raw.get("role")))
        if role is None:
            continue
        text = _content_text(raw.get("content"))
        if text:
            yield role, text


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict)]
        return "\n".join(p for p in parts if isinstance(p, str))
    return ""
