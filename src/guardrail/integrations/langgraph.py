"""LangChain 1.x / LangGraph adapter (``pip install 'guardrail-gate[langgraph]'``).

``create_agent(..., middleware=[GuardrailMiddleware(guard)])`` for LangChain agents;
``graph.add_node("guardrail", guardrail_node(guard))`` for hand-built graphs. An
escalation is a LangGraph ``interrupt`` carrying the handoff package; resume with
``Command(resume="the human's reply")``. See ``docs/integrations.md``.
"""

from __future__ import annotations

from ._langgraph import ESCALATION, GuardrailMiddleware, guardrail_node

__all__ = ["ESCALATION", "GuardrailMiddleware", "guardrail_node"]
