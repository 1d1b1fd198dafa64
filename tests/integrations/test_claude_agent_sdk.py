"""The Claude Agent SDK adapter. The SDK drives a separate CLI process (which would reach
the network), so: the hook and reply check with the SDK's own types, and the real
``query()`` over a scripted CLI plugged in as the SDK's ``transport`` (its control
protocol, no process, no network)."""

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

require("claude_agent_sdk", "claude-agent-sdk")
from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    HookMatcher,
    ResultMessage,
    TextBlock,
    ToolUseBlock,
    UserMessage,
    query,
)
from claude_agent_sdk.types import PreToolUseHookInput

from guardrail.integrations.claude_agent_sdk import ClaudeGate, ScriptedCLI, tool_name_of


def pre_tool_use(args: dict[str, Any], tool_use_id: str) -> PreToolUseHookInput:
    return {
        "session_id": "s1",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": "/tmp",
        "hook_event_name": "PreToolUse",
        "tool_name": "mcp__acme__refund_order",
        "tool_input": args,
        "tool_use_id": tool_use_id,
    }


def result(text: str) -> ResultMessage:
    return ResultMessage(
        subtype="success",
        duration_ms=1,
        duration_api_ms=1,
        is_error=False,
        num_turns=1,
        session_id="s1",
        result=text,
    )


def turn(gate: ClaudeGate, draft: str) -> None:
    """The customer's prompt, then the messages one SDK turn yields."""
    gate.observe("My boots arrived damaged. Order A-1001.")
    gate.observe(
        AssistantMessage(
            content=[TextBlock("Let me check."), ToolUseBlock("tu_1", "lookup", {})], model="m"
        )
    )
    gate.observe(UserMessage(content=[]))  # a tool-result turn: not customer text
    gate.observe(AssistantMessage(content=[TextBlock(draft)], model="m"))


def gate_for(guard: Guardrail) -> ClaudeGate:
    return ClaudeGate(guard, CONTEXT)


async def hook(gate: ClaudeGate, data: PreToolUseHookInput) -> Any:
    """Call the hook the way the SDK does: through the registered HookMatcher."""
    (matcher,) = gate.hooks()["PreToolUse"]
    assert isinstance(matcher, HookMatcher)
    return await matcher.hooks[0](data, data["tool_use_id"], {"signal": None})


def test_the_hooks_are_accepted_by_the_sdk_options(guard: Guardrail) -> None:
    """gate.hooks() is a valid ClaudeAgentOptions hooks argument for PreToolUse."""
    options = ClaudeAgentOptions(hooks=gate_for(guard).hooks())
    assert options.hooks is not None and list(options.hooks) == ["PreToolUse"]


async def test_a_released_reply_is_the_text_to_send(
    guard: Guardrail, seen: list[ReviewRequest]
) -> None:
    """Release: final_reply returns the draft; this turn's earlier text is not history."""
    gate = gate_for(guard)
    turn(gate, RELEASE)
    assert await gate.final_reply(result(RELEASE)) == RELEASE
    assert gate.last_decision is not None and gate.last_decision.action is Action.release
    conv = seen[-1].conversation
    assert conv.id == "conv-42" and conv.context["order"] == CONTEXT["order"]
    assert [(m.role, m.text) for m in conv.messages] == [
        (Role.customer, "My boots arrived damaged. Order A-1001.")
    ]


async def test_a_rewrite_is_the_text_to_send(guard: Guardrail, seen: list[ReviewRequest]) -> None:
    """Rewrite: final_reply returns the re-checked rewrite, and the next turn's history
    holds the rewrite (what the customer got), not the draft."""
    gate = gate_for(guard)
    turn(gate, SLOPPY)
    assert await gate.final_reply(result(SLOPPY)) == REWRITTEN
    gate.observe("Thanks")
    await hook(gate, pre_tool_use(REFUND_OK, "tu_2"))
    assert [(m.role, m.text) for m in seen[-1].conversation.messages] == [
        (Role.customer, "My boots arrived damaged. Order A-1001."),
        (Role.agent, REWRITTEN),
        (Role.customer, "Thanks"),
    ]


async def test_an_escalation_raises_carrying_the_decision(guard: Guardrail) -> None:
    """Escalate: final_reply raises Escalation (ours) with the handoff package."""
    gate = gate_for(guard)
    turn(gate, ESCALATE)
    with pytest.raises(Escalation) as caught:
        await gate.final_reply(result(ESCALATE))
    assert caught.value.decision.action is Action.escalate
    assert caught.value.decision.handoff is not None


async def test_a_blocked_tool_call_is_denied_with_the_reason(guard: Guardrail) -> None:
    """PreToolUse: a blocked call is denied with the violation's message as the reason."""
    gate = gate_for(guard)
    gate.observe("Refund me")
    out = await hook(gate, pre_tool_use(REFUND_TOO_MUCH, "tu_9"))
    specific = out["hookSpecificOutput"]
    assert specific["hookEventName"] == "PreToolUse"
    assert specific["permissionDecision"] == "deny"
    assert "exceeds the order total" in specific["permissionDecisionReason"]


async def test_an_allowed_tool_call_gets_no_opinion(
    guard: Guardrail, seen: list[ReviewRequest]
) -> None:
    """An allowed call returns {} (the SDK's 'no opinion'); the gate saw its id."""
    gate = gate_for(guard)
    assert await hook(gate, pre_tool_use(REFUND_OK, "tu_1")) == {}
    assert seen[0].draft.tool_calls[0].id == "tu_1"


def test_a_context_without_a_conversation_id_fails_at_construction(guard: Guardrail) -> None:
    """A bad context is our InputError when the gate is built, not mid-run."""
    with pytest.raises(InputError) as caught:
        ClaudeGate(guard, {"order": {}})
    assert caught.value.field == "context.conversation_id"


def test_sdk_mcp_tool_names_map_to_the_tenants_and_the_matcher_is_passed_on(
    guard: Guardrail,
) -> None:
    """mcp__<server>__<tool> maps to <tool>; other names stay; matcher reaches the SDK."""
    assert tool_name_of("mcp__acme__refund_order") == "refund_order"
    assert tool_name_of("Bash") == "Bash"
    assert tool_name_of("mcp__broken") == "mcp__broken"
    gate = ClaudeGate(guard, CONTEXT, matcher="mcp__acme__.*")
    assert gate.hooks()["PreToolUse"][0].matcher == "mcp__acme__.*"


def test_a_guard_with_tool_handlers_is_refused(guard: Guardrail) -> None:
    """The SDK runs the tools: a guard that would also run them is a usage error."""
    guard.tool("refund_order")(lambda **kw: None)
    with pytest.raises(UserError, match="twice"):
        ClaudeGate(guard, CONTEXT)


async def converse(gate: ClaudeGate, cli: ScriptedCLI, prompt: str) -> str:
    """One turn through the SDK's real query(), the scripted CLI as its transport."""
    gate.observe(prompt)
    options = ClaudeAgentOptions(hooks=gate.hooks())
    reply = ""
    async for message in query(prompt=prompt, options=options, transport=cli):
        gate.observe(message)
        if isinstance(message, ResultMessage):
            reply = await gate.final_reply(message)
    return reply


async def test_through_query_a_blocked_call_is_denied_over_the_control_protocol(
    guard: Guardrail,
) -> None:
    """Through query(): the CLI's hook_callback for a blocked call gets the deny back."""
    gate = gate_for(guard)
    cli = ScriptedCLI([("tu_9", "mcp__acme__refund_order", REFUND_TOO_MUCH)], RELEASE)
    assert await converse(gate, cli, "Refund my boots") == RELEASE
    (out,) = cli.hook_outputs
    assert out["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "exceeds the order total" in out["hookSpecificOutput"]["permissionDecisionReason"]


async def test_through_query_rewrite_and_escalate_reach_the_host(guard: Guardrail) -> None:
    """Through query(): a sloppy reply comes back rewritten; a later one escalates."""
    gate = gate_for(guard)
    assert await converse(gate, ScriptedCLI([], SLOPPY), "Hi") == REWRITTEN
    with pytest.raises(Escalation):
        await converse(gate, ScriptedCLI([], ESCALATE), "Will they last?")
    assert gate.last_decision is not None and gate.last_decision.action is Action.escalate
