"""Base class for ``guardrail.toml`` sections: strict (unknown keys and wrong types are
errors that name the key), frozen, with a default for every knob."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
