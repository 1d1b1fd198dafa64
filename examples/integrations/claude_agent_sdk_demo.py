"""The gate with the Claude Agent SDK, offline.

The SDK drives the Claude Code CLI, a separate process that calls the model, so this
example plugs ``ScriptedCLI`` in as the SDK's transport: the SDK's real ``query()`` and
control protocol run, and the "CLI" plays a scripted turn. In production, drop the
``transport=`` argument.

    pip install -e '.[claude-agent-sdk]' && python examples/integrations/claude_agent_sdk_demo.py
"""

from __future__ import annotations

import asyncio

from _acme_gate import CONTEXT, ESCALATE, REFUND_TOO_MUCH, RELEASE, SLOPPY, acme_guard
from claude_agent_sdk import ClaudeAgentOptions, ResultMessage, query

from guardrail.integrations.claude_agent_sdk import ClaudeGate, Escalation, ScriptedCLI


async def turn(gate: ClaudeGate, prompt: str, cli: ScriptedCLI) -> None:
    gate.observe(prompt)
    options = ClaudeAgentOptions(hooks=gate.hooks())
    try:
        async for message in query(prompt=prompt, options=options, transport=cli):
            gate.observe(message)
            if isinstance(message, ResultMessage):
                print(f"  send {await gate.final_reply(message)!r}")
    except Escalation as escalation:
        print(f"  escalate -> send {escalation.decision.holding_message!r}")
    for output in cli.hook_outputs:
        specific = output.get("hookSpecificOutput", {})
        decision = specific.get("permissionDecision", "no objection")
        print(f"  PreToolUse -> {decision}: {specific.get('permissionDecisionReason', '')}")


async def main() -> None:
    # one gate per conversation, with the host's context for it
    gate = ClaudeGate(acme_guard(), CONTEXT, matcher="mcp__acme__.*")
    print("release:")
    await turn(gate, "Where is my order?", ScriptedCLI([], RELEASE))
    print("rewrite:")
    await turn(gate, "Any news?", ScriptedCLI([], SLOPPY))
    print("escalate:")
    await turn(gate, "Will they last?", ScriptedCLI([], ESCALATE))
    print("blocked tool call (denied with the reason, which Claude sees):")
    call = ("tu_9", "mcp__acme__refund_order", REFUND_TOO_MUCH)
    await turn(gate, "Refund me $500.", ScriptedCLI([call], RELEASE))


if __name__ == "__main__":
    asyncio.run(main())
