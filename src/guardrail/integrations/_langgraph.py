"""LangChain 1.x / LangGraph adapter: an agent middleware for ``create_agent`` and a node
for hand-built graphs. Escalation pauses the graph with LangGraph's ``interrupt``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import AIMessage, AnyMessage, ToolMessage
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from .._sync import run_sync
from ..errors import InputError
from ..models import Action, Decision, Draft, Role, ToolCall
from ._core import check_tool_call, conversation_from, parse_arguments, require_no_handlers

if TYPE_CHECKING:
    from ..pipeline import Guardrail

__all__ = ["ESCALATION", "GuardrailMiddleware", "guardrail_node"]

#: ``kind`` of the interrupt value an escalation raises.
ESCALATION = "guardrail.escalate"
_ROLES = {"human": Role.customer, "ai": Role.agent, "system": Role.system}
ToolHandler = Callable[[ToolCallRequest], ToolMessage | Command[Any]]
AsyncToolHandler = Callable[[ToolCallRequest], Awaitable[ToolMessage | Command[Any]]]


class GuardrailMiddleware(AgentMiddleware):
    """``create_agent(..., middleware=[GuardrailMiddleware(guard)])``. After each model
    call that ends the turn (no tool calls), the reply is checked: release keeps it,
    rewrite replaces it (same message id), escalate interrupts the graph. Around each
    tool call, the call is gated; a blocked one returns an error ``ToolMessage`` with
    the violations' messages instead of running."""

    def __init__(self, guard: Guardrail) -> None:
        super().__init__()
        require_no_handlers(guard, "LangChain")
        self.guard = guard

    def after_model(self, state: Any, runtime: Runtime[Any]) -> dict[str, Any] | None:
        return _apply(self.guard, state, runtime)

    async def aafter_model(self, state: Any, runtime: Runtime[Any]) -> dict[str, Any] | None:
        return await _aapply(self.guard, state, runtime)

    def wrap_tool_call(
        self, request: ToolCallRequest, handler: ToolHandler
    ) -> ToolMessage | Command[Any]:
        blocked = run_sync(_gate_call(self.guard, request))
        return blocked if blocked is not None else handler(request)

    async def awrap_tool_call(
        self, request: ToolCallRequest, handler: AsyncToolHandler
    ) -> ToolMessage | Command[Any]:
        blocked = await _gate_call(self.guard, request)
        return blocked if blocked is not None else await handler(request)


def guardrail_node(
    guard: Guardrail,
) -> Callable[[Any, Runtime[Any]], Awaitable[dict[str, Any] | None]]:
    """A node for a ``StateGraph`` over ``MessagesState``: checks the last AI message the
    same way as the middleware (place it between the model node and END)."""

    async def guardrail(state: Any, runtime: Runtime[Any]) -> dict[str, Any] | None:
        return await _aapply(guard, state, runtime)

    return guardrail


# -- internals -------------------------------------------------------------------------


def _draft(state: Any) -> tuple[AIMessage | None, list[AnyMessage]]:
    messages: list[AnyMessage] = list(
        state["messages"] if isinstance(state, dict) else state.messages
    )
    if not messages or not isinstance(messages[-1], AIMessage) or messages[-1].tool_calls:
        return None, messages
    return messages[-1], messages[:-1]


def _apply(guard: Guardrail, state: Any, runtime: Runtime[Any]) -> dict[str, Any] | None:
    draft, history = _draft(state)
    if draft is None:
        return None
    conversation = conversation_from(guard, runtime.context, _messages(history))
    decision = guard.check(conversation, Draft(text=draft.text))
    return _outcome(decision, draft)


async def _aapply(guard: Guardrail, state: Any, runtime: Runtime[Any]) -> dict[str, Any] | None:
    draft, history = _draft(state)
    if draft is None:
        return None
    conversation = conversation_from(guard, runtime.context, _messages(history))
    decision = await guard.acheck(conversation, Draft(text=draft.text))
    return _outcome(decision, draft)


def _outcome(decision: Decision, draft: AIMessage) -> dict[str, Any] | None:
    if decision.action is Action.release:
        return None
    if decision.action is Action.rewrite and decision.text is not None:
        return {"messages": [AIMessage(content=decision.text, id=draft.id)]}
    answer = interrupt(
        {
            "kind": ESCALATION,
            "audit_id": decision.audit_id,
            "holding_message": decision.holding_message,
            "handoff": decision.handoff.model_dump(mode="json") if decision.handoff else None,
        }
    )
    if not isinstance(answer, str) or not answer.strip():
        raise InputError(
            "resume an escalation with the human's reply as a non-empty string",
            field="resume",
        )
    return {"messages": [AIMessage(content=answer, id=draft.id)]}


async def _gate_call(guard: Guardrail, request: ToolCallRequest) -> ToolMessage | None:
    tool_call = request.tool_call
    runtime = request.runtime
    history = _state_messages(request.state)
    if history and isinstance(history[-1], AIMessage):
        history.pop()  # the message proposing this call is the draft, not history
    conversation = conversation_from(guard, getattr(runtime, "context", None), _messages(history))
    proposed = ToolCall(
        name=tool_call["name"], arguments=parse_arguments(tool_call["args"]), id=tool_call["id"]
    )
    verdict = await check_tool_call(guard, conversation, proposed)
    if verdict.allowed:
        return None
    return ToolMessage(
        content=verdict.message or "",
        tool_call_id=tool_call["id"],
        name=tool_call["name"],
        status="error",
    )


def _state_messages(state: Any) -> list[AnyMessage]:
    if isinstance(state, dict):
        return list(state.get("messages", []))
    return list(getattr(state, "messages", []))


def _messages(history: Iterable[AnyMessage]) -> Iterator[tuple[Role, str]]:
    for message in history:
        role = _ROLES.get(message.type)
        text = str(message.text) if role is not None else ""
        if role is not None and text:
            yield role, text
