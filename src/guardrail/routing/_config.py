"""``[routing]`` and ``[brand]``: escalation triggers and brand safety."""

from __future__ import annotations

from pydantic import Field

from .._section import Section


class RoutingConfig(Section):
    confidence_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    holding_message: str = "I'm passing you to a colleague who can help with this."


class BrandConfig(Section):
    names: list[str] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)
