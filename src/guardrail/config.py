"""The tenant config (``guardrail.toml``), validated strictly: a leaf module holding
every section's model, importing nothing of guardrail but ``errors`` and ``_section``.

Every knob has a default; an unknown table or key, or a value of the wrong type, is a
:class:`~guardrail.errors.ConfigError` that names the file and the ``[table] key``.
Paths are relative to the config file.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from ._section import Section
from .errors import ConfigError

__all__ = [
    "AuditConfig",
    "BrandConfig",
    "GroundingConfig",
    "ReviewConfig",
    "RoutingConfig",
    "TenantConfig",
    "TenantSection",
    "ToolsConfig",
    "WebhookConfig",
    "load_config",
]


class TenantSection(Section):
    id: str = Field(min_length=1)


# -- [grounding] and [tools] --------------------------------------------------------------


class GroundingConfig(Section):
    golden_set: str | None = None
    knowledge_base: str | None = None


class ToolsConfig(Section):
    schemas: str | None = None
    #: a Python file defining ``register(tools)`` that registers the tenant's rule functions
    functions: str | None = None
    #: how long one handler may run before its call is failed (outcome: timed_out)
    handler_timeout_s: float = Field(default=30.0, gt=0, le=3600)


# -- [review]: the second-model QA reviewer ----------------------------------------------


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


# -- [routing] and [brand]: escalation triggers, the rewrite rule, handoff sinks, brand ----

SensitiveCategory = Literal["account_closure", "complaint", "legal", "chargeback"]
RewriteCode = Literal["QA_REWRITE", "MISSING_CITATION", "UNSUPPORTED_CLAIM"]

_QA_REWRITE: RewriteCode = "QA_REWRITE"
ALL_CATEGORIES: tuple[SensitiveCategory, ...] = (
    "account_closure",
    "complaint",
    "legal",
    "chargeback",
)


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


# -- [audit]: the store, redaction, retention, the sampler's share and judge, alerts ------

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


# -- the whole file -----------------------------------------------------------------------


class TenantConfig(Section):
    tenant: TenantSection
    grounding: GroundingConfig = GroundingConfig()
    tools: ToolsConfig = ToolsConfig()
    review: ReviewConfig = ReviewConfig()
    routing: RoutingConfig = RoutingConfig()
    brand: BrandConfig = BrandConfig()
    audit: AuditConfig = AuditConfig()


def _describe(path: Path, exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    where = f"[{loc[0]}] {'.'.join(loc[1:])}".strip() if len(loc) > 1 else f"[{loc[0]}]"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "required key is missing"
    return f"{path}: {where}: {msg}"


def load_config(path: str | Path) -> tuple[TenantConfig, Path]:
    """Read and validate ``path``; return the config and the folder paths resolve from."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    try:
        config = TenantConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc)) from None
    return config, path.resolve().parent


def resolve(base: Path, value: str | None) -> Path | None:
    """A config path made absolute against the config file's folder."""
    if value is None:
        return None
    candidate = Path(value).expanduser()
    return candidate if candidate.is_absolute() else base / candidate
