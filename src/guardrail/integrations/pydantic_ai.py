"""Pydantic AI adapter (``pip install 'guardrail-gate[pydantic-ai]'``).

``Agent(..., capabilities=[GuardrailCapability(guard)])`` gates tool calls;
``agent.output_validator(output_validator(guard))`` gates the reply. See
``docs/integrations.md``.
"""

from __future__ import annotations

from ._core import Escalation
from ._pydantic_ai import GuardrailCapability, output_validator

__all__ = ["Escalation", "GuardrailCapability", "output_validator"]
