"""``build_review_layer``: what ``[review]`` builds, and the config errors it raises."""

from __future__ import annotations

import pytest

from guardrail import ConfigError
from guardrail.knowledge import Knowledge
from guardrail.review import (
    AnthropicReviewer,
    OpenAIReviewer,
    ReviewConfig,
    ReviewLayer,
    build_review_layer,
)


def test_provider_none_builds_no_layer() -> None:
    """provider = "none" means deterministic-only: no review layer at all."""
    assert build_review_layer(ReviewConfig(), Knowledge()) is None


@pytest.mark.parametrize(
    ("provider", "env", "cls"),
    [
        ("anthropic", "ANTHROPIC_API_KEY", AnthropicReviewer),
        ("openai", "OPENAI_API_KEY", OpenAIReviewer),
    ],
)
def test_default_key_variable_per_provider(
    monkeypatch: pytest.MonkeyPatch, provider: str, env: str, cls: type
) -> None:
    """Without api_key_env the provider's usual variable is read, and every knob reaches
    the layer."""
    monkeypatch.setenv(env, "k")
    config = ReviewConfig(
        provider=provider,  # type: ignore[arg-type]
        model="m",
        timeout_s=3.0,
        max_attempts=2,
        on_unavailable="deterministic_only",
        allow_same_model=True,
    )
    layer = build_review_layer(config, Knowledge())
    assert isinstance(layer, ReviewLayer) and isinstance(layer.reviewer, cls)
    assert (layer.timeout_s, layer.max_attempts, layer.on_unavailable, layer.allow_same_model) == (
        3.0,
        2,
        "deterministic_only",
        True,
    )


def test_missing_key_is_a_config_error_naming_the_variable() -> None:
    """A configured provider with no key in its variable fails at build time."""
    config = ReviewConfig(provider="openai", model="m", api_key_env="MY_QA_KEY")
    with pytest.raises(ConfigError, match="MY_QA_KEY"):
        build_review_layer(config, Knowledge())


def test_missing_model_is_a_config_error() -> None:
    """A provider without a model fails at build time."""
    with pytest.raises(ConfigError, match=r"\[review\] model"):
        build_review_layer(ReviewConfig(provider="anthropic"), Knowledge())
