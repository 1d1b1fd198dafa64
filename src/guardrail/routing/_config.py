"""``[routing]`` and ``[brand]``: escalation triggers, the rewrite rule, handoff sinks,
and brand safety. Every knob has a default that works with no configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .._section import Section

SensitiveCategory = Literal["account_closure", "complaint", "legal", "chargeback"]
RewriteCode = Literal["QA_REWRITE", "MISSING_CITATION", "UNSUPPORTED_CLAIM"]

_QA_REWRITE: RewriteCode = "QA_REWRITE"
ALL_CATEGORIES: tuple[SensitiveCategory, ...] = (
    "account_closure",
    "complaint",
    "legal",
    "chargeback",
)


def intent_key(value: str) -> str:
    """``"Account Closure"``, ``"account-closure"`` and ``"account_closure"`` are one intent."""
    return "_".join(value.lower().replace("-", " ").replace("_", " ").split())


class WebhookConfig(Section):
    """``[routing.webhook]``: POST every escalation's handoff as JSON to ``url``."""

    url: str = Field(min_length=1)
    timeout_s: float = Field(default=5.0, gt=0, le=60)
    max_attempts: int = Field(default=3, ge=1, le=10)
    #: no retry starts after this many seconds from the first attempt
    deadline_s: float = Field(default=10.0, gt=0, le=120)
    #: name of an environment variable holding an HMAC-SHA256 signing secret
    secret_env: str | None = None

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value


class RoutingConfig(Section):
    #: LOW_CONFIDENCE when ``draft.confidence`` is below this (0 switches it off)
    confidence_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    holding_message: str = "I'm passing you to a colleague who can help with this."
    #: how many of the customer's latest messages the triggers read
    recent_messages: int = Field(default=3, ge=1, le=100)
    #: HUMAN_REQUESTED on/off, and extra phrases that count as asking for a person
    human_requested: bool = True
    human_phrases: list[str] = Field(default_factory=list)
    #: built-in SENSITIVE_INTENT phrase families that are on
    sensitive_categories: list[SensitiveCategory] = Field(
        default_factory=lambda: list(ALL_CATEGORIES)
    )
    #: ``conversation.intent`` labels that always escalate (case/space/hyphen-insensitive)
    sensitive_intents: list[str] = Field(
        default_factory=lambda: [
            "account_closure",
            "close_account",
            "complaint",
            "legal",
            "chargeback",
            "dispute",
        ]
    )
    #: extra phrases in the customer's messages that escalate (whole words, any case)
    sensitive_phrases: list[str] = Field(default_factory=list)
    #: blocking finding codes a rewrite may fix (the rest escalate); see docs/routing.md
    rewrite_codes: list[RewriteCode] = Field(default_factory=lambda: [_QA_REWRITE])
    #: extra tool names that move money (blocked ones make a handoff urgent)
    money_tools: list[str] = Field(default_factory=list)
    webhook: WebhookConfig | None = None

    @field_validator("human_phrases", "sensitive_phrases")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("phrases must not be empty")
        return value


class BrandConfig(Section):
    #: the tenant's own brand names (disparaging them is BRAND_SAFETY)
    names: list[str] = Field(default_factory=list)
    #: phrases a draft must never contain (any case, punctuation-insensitive)
    forbidden: list[str] = Field(default_factory=list)
    #: BRAND_SAFETY on profanity in the draft
    profanity: bool = True
    #: BRAND_SAFETY when the draft answers a request for a poem, song, story…
    creative_writing: bool = True

    @field_validator("names", "forbidden")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("entries must not be empty")
        return value
