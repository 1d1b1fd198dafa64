"""``[audit]``: where decisions are recorded, what is redacted, how long records live,
the hallucination sampler's share and judge, and the trust-metric alert thresholds."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from .._section import Section

RedactKind = Literal["email", "phone", "card", "iban", "address"]

ALL_KINDS: tuple[RedactKind, ...] = ("email", "phone", "card", "iban", "address")

#: Phrases that mark a released reply as a refusal or deflection (case-insensitive).
DEFAULT_REFUSAL_PHRASES: tuple[str, ...] = (
    "i can't help with",
    "i cannot help with",
    "i can't assist",
    "i cannot assist",
    "i'm unable to",
    "i am unable to",
    "i'm not able to",
    "i am not able to",
    "i don't have information",
    "i do not have information",
    "i'm sorry, but i can't",
    "i'm sorry, but i cannot",
    "please contact customer service",
)


class AuditConfig(Section):
    #: ``sqlite:///audit.db`` (relative to the config file), ``sqlite:////abs/path.db``,
    #: ``postgresql://user@host/db``, or ``none``
    store: str = "none"
    #: ``guardrail audit purge`` deletes records older than this (≈ 13 months)
    retention_days: int = Field(default=395, ge=1, le=36500)
    #: PII kinds replaced by typed placeholders (``<EMAIL>``…) before anything is stored
    redact: list[RedactKind] = Field(default_factory=lambda: list(ALL_KINDS))
    #: extra tenant patterns: placeholder label → regular expression
    redact_patterns: dict[str, str] = Field(default_factory=dict)
    #: share of released decisions the hallucination sampler re-judges
    sample_rate: float = Field(default=0.02, ge=0.0, le=1.0)
    #: trust-metric alerts: overall escalation rate, and any one intent's
    escalation_alert: float = Field(default=0.15, ge=0.0, le=1.0)
    intent_escalation_alert: float = Field(default=0.25, ge=0.0, le=1.0)
    #: a rate alerts only once it counts at least this many conversations in the window
    alert_min_conversations: int = Field(default=10, ge=1)
    #: draft confidence at or above this with a critical finding is "unwarranted"
    confident_at: float = Field(default=0.9, ge=0.0, le=1.0)
    #: the sampler's judge; unset keys fall back to ``[review]`` (provider, model, …)
    judge_provider: Literal["anthropic", "openai"] | None = None
    judge_model: str | None = None
    judge_base_url: str | None = None
    judge_api_key_env: str | None = None
    refusal_phrases: list[str] = Field(default_factory=lambda: list(DEFAULT_REFUSAL_PHRASES))

    @field_validator("redact_patterns")
    @classmethod
    def _patterns(cls, value: dict[str, str]) -> dict[str, str]:
        for label, pattern in value.items():
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", label):
                raise ValueError(f"label {label!r} must be UPPER_CASE (it becomes <{label}>)")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(
                    f"pattern for {label!r} is not a regular expression: {exc}"
                ) from None
            if re.compile(pattern).match(""):
                raise ValueError(f"pattern for {label!r} matches the empty string")
        return value
