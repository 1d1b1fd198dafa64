"""Adapters that register the gate where agents already run, one module per framework,
each behind its own extra (``pip install 'guardrail-gate[openai-agents]'``):

* :mod:`guardrail.integrations.openai_agents` — OpenAI Agents SDK
* :mod:`guardrail.integrations.pydantic_ai` — Pydantic AI
* :mod:`guardrail.integrations.langgraph` — LangChain 1.x / LangGraph
* :mod:`guardrail.integrations.claude_agent_sdk` — Claude Agent SDK

This package imports no framework; import the submodule you use.
"""

from __future__ import annotations

from ._core import Escalation

__all__ = ["Escalation"]
