"""Pydantic AI adapter: a capability that gates each tool call after its arguments
validate, and an output validator that applies the gate's verdict to the reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic_ai import ModelRetry, RunContext
from pydantic_ai.capabilities import AbstractCapability
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    SystemPromptPart,
    TextPart,
    ToolCallPart,
    UserPromptPart,
)
from pydantic_ai.tools import ToolDefinition
from pydantic_core import to_jsonable_python

from ..models import Action, Draft, Role, ToolCall
from ._core import (
    Escalation,
    check_tool_call,
    conversation_from,
    require_no_handlers,
)

if TYPE_CHECKING:
    from ..pipeline import Guardrail

__all__ = ["GuardrailCapability", "output_validator"]


class GuardrailCapability(AbstractCapability[Any]):
    """``Agent(..., capabilities=[GuardrailCapability(guard)])``: every tool call whose
    arguments validated is gated before it runs; a blocked call raises ``ModelRetry``
    with the violations' messages, so the model sees why and can redo the call."""

    def __init__(self, guard: Guardrail) -> None:
        require_no_handlers(guard, "Pydantic AI")
        self.guard = guard

    async def after_tool_validate(
        self,
        ctx: RunContext[Any],
        *,
        call: ToolCallPart,
        tool_def: ToolDefinition,
        args: dict[str, Any],
    ) -> dict[str, Any]:
        conversation = conversation_from(self.guard, ctx.deps, _messages(ctx.messages))
        proposed = ToolCall(
            name=call.tool_name, arguments=to_jsonable_python(args), id=call.tool_call_id
        )
        verdict = await check_tool_call(self.guard, conversation, proposed)
        if not verdict.allowed:
            raise ModelRetry(verdict.message or "")
        return args


def output_validator(guard: Guardrail) -> Callable[[RunContext[Any], str], Awaitable[str]]:
    """For ``agent.output_validator(...)`` on a text-output agent: release returns the
    reply, rewrite returns the re-checked rewrite (Pydantic AI's way of replacing
    output), escalate raises :class:`~guardrail.integrations.Escalation` carrying the
    Decision (the run stops; send ``decision.holding_message``)."""

    async def validate(ctx: RunContext[Any], output: str) -> str:
        conversation = conversation_from(guard, ctx.deps, _messages(ctx.messages))
        decision = await guard.acheck(conversation, Draft(text=output))
        if decision.action is Action.escalate or decision.text is None:
            raise Escalation(decision)
        return decision.text

    return validate


def _messages(history: Iterable[ModelMessage]) -> Iterator[tuple[Role, str]]:
    """User and system prompts and the agent's earlier text, in order. The last model
    response is the draft under check, not history, and is left out."""
    items = list(history)
    if items and isinstance(items[-1], ModelResponse):
        items.pop()
    for message in items:
        if isinstance(message, ModelRequest):
            for part in message.parts:
                if isinstance(part, UserPromptPart):
                    text = _user_text(part.content)
                    if text:
                        yield Role.customer, text
                elif isinstance(part, SystemPromptPart):
                    yield Role.system, part.content
        elif isinstance(message, ModelResponse):
            text = "".join(p.content for p in message.parts if isinstance(p, TextPart))
            if text:
                yield Role.agent, text


def _user_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(c for c in content if isinstance(c, str))
