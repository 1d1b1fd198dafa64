"""Claude Agent SDK adapter: a ``PreToolUse`` hook that gates each tool call, and a check
of the turn's final reply. The SDK drives a separate CLI process, so the hook receives
no run context of ours: a :class:`ClaudeGate` is built per conversation with it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from claude_agent_sdk import (
    AssistantMessage,
    HookContext,
    HookMatcher,
    ResultMessage,
    TextBlock,
    UserMessage,
)
from claude_agent_sdk.types import HookEvent, HookInput, HookJSONOutput

from ..errors import InputError
from ..models import Action, Decision, Draft, Role, ToolCall
from ._core import Escalation, check_tool_call, conversation_from, require_no_handlers

if TYPE_CHECKING:
    from ..pipeline import Guardrail

__all__ = ["ClaudeGate", "tool_name_of"]


def tool_name_of(sdk_name: str) -> str:
    """``mcp__<server>__<tool>`` (an in-process SDK MCP tool) → ``<tool>``; any other
    name unchanged."""
    if sdk_name.startswith("mcp__"):
        _, _, rest = sdk_name.partition("mcp__")
        server, sep, tool = rest.partition("__")
        if sep and server and tool:
            return tool
    return sdk_name


class ClaudeGate:
    """One conversation's gate for the Claude Agent SDK.

    ``ClaudeAgentOptions(hooks=gate.hooks())`` denies blocked tool calls with the
    violations' messages as the reason (Claude sees it). Feed every message of the
    conversation to :meth:`observe` (the customer's prompt as a ``str``, and each
    message ``query()``/``receive_response()`` yields), then pass the turn's
    ``ResultMessage`` to :meth:`final_reply` for the text to send.
    ``context`` becomes ``conversation.context`` (it must carry ``conversation_id``).

    Every tool the hook sees is gated, and a tool the tenant has no schema for is
    blocked (fail closed): pass ``matcher`` (e.g. ``"mcp__acme__.*"``) to gate only your
    own tools. ``tool_name`` maps the SDK's tool name to the tenant's (by default
    ``mcp__<server>__<tool>`` becomes ``<tool>``)."""

    def __init__(
        self,
        guard: Guardrail,
        context: Mapping[str, Any],
        *,
        matcher: str | None = None,
        tool_name: Callable[[str], str] = tool_name_of,
    ) -> None:
        require_no_handlers(guard, "the Claude Agent SDK")
        self.guard = guard
        self.matcher = matcher
        self.tool_name = tool_name
        self.context = dict(context)
        self.last_decision: Decision | None = None
        self._history: list[tuple[Role, str]] = []
        self._turn_start = 0  # index in _history after the customer's latest message
        conversation_from(guard, self.context, [])  # a bad context fails here, not mid-run

    def hooks(self) -> dict[HookEvent, list[HookMatcher]]:
        """The ``hooks`` argument of ``ClaudeAgentOptions``."""
        return {"PreToolUse": [HookMatcher(matcher=self.matcher, hooks=[self.pre_tool_use])]}

    async def pre_tool_use(
        self, input_data: HookInput, tool_use_id: str | None, context: HookContext
    ) -> HookJSONOutput:
        """The ``PreToolUse`` hook: ``{}`` (no opinion) for an allowed call, a ``deny``
        with the reason for a blocked one."""
        if input_data["hook_event_name"] != "PreToolUse":
            return {}
        call = ToolCall(
            name=self.tool_name(input_data["tool_name"]),
            arguments=dict(input_data["tool_input"]),
            id=input_data.get("tool_use_id") or tool_use_id,
        )
        verdict = await check_tool_call(self.guard, self._conversation(), call)
        if verdict.allowed:
            return {}
        return {
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": verdict.message or "",
            }
        }

    def observe(self, message: str | UserMessage | AssistantMessage | object) -> None:
        """Record one message: a ``str`` or a ``UserMessage`` with text is the customer;
        an ``AssistantMessage``'s text blocks are the agent. Tool results, system and
        result messages are not conversation text and are ignored."""
        if isinstance(message, str):
            self._customer(message)
        elif isinstance(message, UserMessage):
            self._customer(_text(message.content))
        elif isinstance(message, AssistantMessage) and message.parent_tool_use_id is None:
            text = _text(message.content)
            if text:
                self._history.append((Role.agent, text))

    async def final_reply(self, result: ResultMessage | str) -> str:
        """Check the turn's final reply (``ResultMessage.result`` or the text): returns the
        text to send (the draft, or its re-checked rewrite); on escalate raises
        :class:`~guardrail.integrations.Escalation` carrying the Decision."""
        text = result.result if isinstance(result, ResultMessage) else result
        if not isinstance(text, str):
            raise InputError("the result message carries no reply text", field="result.result")
        # this turn's assistant text is the draft, not history
        conversation = conversation_from(
            self.guard, self.context, self._history[: self._turn_start]
        )
        decision = await self.guard.acheck(conversation, Draft(text=text))
        self.last_decision = decision
        if decision.action is Action.escalate or decision.text is None:
            raise Escalation(decision)
        self._history[self._turn_start :] = [(Role.agent, decision.text)]
        return decision.text

    def _customer(self, text: str) -> None:
        if text:
            self._history.append((Role.customer, text))
            self._turn_start = len(self._history)

    def _conversation(self) -> Any:
        return conversation_from(self.guard, self.context, self._history[: self._turn_start])


def _text(content: str | Iterable[Any]) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(block.text for block in content if isinstance(block, TextBlock))
