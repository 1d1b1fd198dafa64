"""Layer 1 — grounding: claims checked against the golden set and the cited sources as
they were at ``as_of``."""

from __future__ import annotations

from ..knowledge import Knowledge
from ..layers import CheckContext, LayerResult
from ..models import LayerName

__all__ = ["GroundingLayer"]


class GroundingLayer:
    name = LayerName.grounding

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge

    async def run(self, ctx: CheckContext) -> LayerResult:
        raise NotImplementedError("grounding is not built yet")
