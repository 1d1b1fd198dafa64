"""OpenAI Agents SDK adapter (``pip install 'guardrail-gate[openai-agents]'``).

``guardrail_for(agent, guard)`` returns a copy of the agent with the gate as an output
guardrail and as a tool input guardrail on every function tool. See
``docs/integrations.md``.
"""

from __future__ import annotations

from ._openai_agents import (
    decision_of,
    guardrail_for,
    output_guardrail,
    reply_text,
    tool_input_guardrail,
)

__all__ = [
    "decision_of",
    "guardrail_for",
    "output_guardrail",
    "reply_text",
    "tool_input_guardrail",
]
