"""Layer 2 — the QA review by a second model.

A :class:`Reviewer` (``AnthropicReviewer``, ``OpenAIReviewer``, or a fake from
``guardrail.testing``) answers one review; :class:`ReviewLayer` runs it concurrently
with the deterministic layers under a hard timeout and one retry policy, and turns
every outcome into findings (``QA_REWRITE``, ``QA_REJECTED``, ``QA_UNAVAILABLE``).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from ..config import ReviewConfig
from ..errors import ConfigError
from ..knowledge import Knowledge
from ..layers import Layer
from ._errors import MalformedReview, ReviewFailed
from ._layer import ReviewLayer
from ._protocol import Reviewer, ReviewReply, ReviewRequest

if TYPE_CHECKING:
    from ._anthropic import AnthropicReviewer
    from ._openai import OpenAIReviewer

# The provider SDKs take seconds to import: load a reviewer's module only when it is used,
# so a tenant with ``provider = "none"`` (and every CLI start) never pays for them.
_LAZY = {"AnthropicReviewer": "._anthropic", "OpenAIReviewer": "._openai"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_API_KEY_ENV",
    "AnthropicReviewer",
    "MalformedReview",
    "OpenAIReviewer",
    "ReviewConfig",
    "ReviewFailed",
    "ReviewLayer",
    "ReviewReply",
    "ReviewRequest",
    "Reviewer",
    "build_review_layer",
    "build_reviewer",
]

#: Where the API key is read from unless ``[review] api_key_env`` names another variable.
DEFAULT_API_KEY_ENV = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


def build_reviewer(config: ReviewConfig) -> Reviewer | None:
    """The reviewer ``[review]`` describes (None when provider is "none"); the
    hallucination sampler's judge uses one without the layer around it.

    Raises :class:`~guardrail.errors.ConfigError` when the model is missing or the API
    key's environment variable is unset or empty."""
    if config.provider == "none":
        return None
    if not config.model:
        raise ConfigError(f"[review] model: required when provider = {config.provider!r}")
    env = config.api_key_env or DEFAULT_API_KEY_ENV[config.provider]
    api_key = os.environ.get(env, "").strip()
    if not api_key:
        raise ConfigError(
            f"[review] api_key_env: the environment variable {env} is not set; the "
            f"{config.provider} reviewer needs an API key (a placeholder will do for a "
            "local OpenAI-compatible server)"
        )
    if config.provider == "anthropic":
        from ._anthropic import AnthropicReviewer

        return AnthropicReviewer(
            config.model,
            api_key=api_key,
            base_url=config.base_url,
            timeout_s=config.timeout_s,
            max_tokens=config.max_output_tokens,
        )
    from ._openai import OpenAIReviewer

    return OpenAIReviewer(
        config.model, api_key=api_key, base_url=config.base_url, timeout_s=config.timeout_s
    )


def build_review_layer(config: ReviewConfig, knowledge: Knowledge) -> Layer | None:
    """The review layer ``[review]`` describes (None when provider is "none").

    Raises :class:`~guardrail.errors.ConfigError` as :func:`build_reviewer` does."""
    reviewer = build_reviewer(config)
    if reviewer is None:
        return None
    return ReviewLayer(
        reviewer,
        timeout_s=config.timeout_s,
        max_attempts=config.max_attempts,
        on_unavailable=config.on_unavailable,
        allow_same_model=config.allow_same_model,
    )
