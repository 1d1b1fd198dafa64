"""Claude Agent SDK adapter (``pip install 'guardrail-gate[claude-agent-sdk]'``).

``gate = ClaudeGate(guard, context)``; ``ClaudeAgentOptions(hooks=gate.hooks())`` denies
blocked tool calls; ``await gate.final_reply(result_message)`` checks the reply. The SDK
drives a separate CLI process, so this adapter is tested with the SDK's own types and,
through ``query(..., transport=ScriptedCLI(...))``, the SDK's real control protocol
against a scripted CLI (no process, no network). See ``docs/integrations.md``.
"""

from __future__ import annotations

from ._claude_agent_sdk import ClaudeGate, tool_name_of
from ._claude_cli import ScriptedCLI
from ._core import Escalation

__all__ = ["ClaudeGate", "Escalation", "ScriptedCLI", "tool_name_of"]
