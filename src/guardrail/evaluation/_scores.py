"""The judge's answer: five dimensions, each 0–3 with reasoning and a confidence."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..models import Usage

__all__ = [
    "DIMENSIONS",
    "JUDGE_SCHEMA",
    "JUDGE_TOOL",
    "DimensionScore",
    "InvalidScores",
    "JudgeReply",
    "Scores",
    "parse_scores",
]

DIMENSIONS = (
    "factual_accuracy",
    "policy_compliance",
    "brand_voice",
    "tool_call_correctness",
    "escalation_appropriateness",
)
JUDGE_TOOL = "submit_scores"


class DimensionScore(BaseModel):
    """One dimension: 0 (unacceptable) … 3 (excellent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    score: int = Field(ge=0, le=3, strict=True)
    reasoning: str = Field(min_length=1, max_length=4000)
    confidence: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)


class Scores(BaseModel):
    """The judge's scores on every dimension."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    factual_accuracy: DimensionScore
    policy_compliance: DimensionScore
    brand_voice: DimensionScore
    tool_call_correctness: DimensionScore
    escalation_appropriateness: DimensionScore

    def of(self, dimension: str) -> DimensionScore:
        score: DimensionScore = getattr(self, dimension)
        return score

    def lowest(self) -> int:
        return min(self.of(d).score for d in DIMENSIONS)


_DIMENSION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["score", "reasoning", "confidence"],
    "properties": {
        "score": {"type": "integer", "enum": [0, 1, 2, 3]},
        "reasoning": {"type": "string"},
        "confidence": {"type": "number"},
    },
}
#: The forced tool call's parameters (strict-mode compatible for OpenAI).
JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": list(DIMENSIONS),
    "properties": dict.fromkeys(DIMENSIONS, _DIMENSION_SCHEMA),
}


class InvalidScores(ValueError):
    """The judge's answer is not a valid :class:`Scores` (the message names the field)."""


def parse_scores(raw: object) -> Scores:
    """Validate a tool call's arguments (an object, or JSON text)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise InvalidScores("the answer is not JSON") from None
    try:
        return Scores.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "answer"
        raise InvalidScores(f"{where}: {err['msg']}") from None


@dataclass(frozen=True)
class JudgeReply:
    scores: Scores
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
