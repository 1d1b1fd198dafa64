"""Layer 2 — the QA review by a second model."""

from __future__ import annotations

from ..knowledge import Knowledge
from ..layers import Layer
from ._config import ReviewConfig

__all__ = ["ReviewConfig", "build_review_layer"]


def build_review_layer(config: ReviewConfig, knowledge: Knowledge) -> Layer | None:
    """The review layer ``[review]`` describes (None when provider is "none")."""
    if config.provider == "none":
        return None
    raise NotImplementedError("the QA reviewer is not built yet")
