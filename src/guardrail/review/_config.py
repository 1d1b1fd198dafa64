"""``[review]``: the second-model QA reviewer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .._section import Section


class ReviewConfig(Section):
    provider: Literal["none", "anthropic", "openai"] = "none"
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    timeout_s: float = Field(default=10.0, gt=0, le=600)
    max_attempts: int = Field(default=3, ge=1, le=10)
    on_unavailable: Literal["escalate", "deterministic_only"] = "escalate"
    allow_same_model: bool = False
    #: the Anthropic Messages API's required ``max_tokens`` for the answer
    max_output_tokens: int = Field(default=2048, ge=256, le=64_000)
