"""The data that flows through the gate: inputs, findings, verdicts, the decision.

Every model is a frozen pydantic v2 model; JSON produced by ``model_dump(mode="json")``
is the contract that the CLI and the HTTP API speak (see DESIGN.md, *Contracts*).
Outcomes are data: a blocked tool call is a :class:`ToolCallResult` with
``allowed=False``, a problem is a :class:`Finding`; exceptions are for failures.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from ._json import fast_json

__all__ = [
    "Action",
    "ClaimVerdict",
    "Code",
    "Conversation",
    "Decision",
    "Draft",
    "Finding",
    "Handoff",
    "Latency",
    "LayerName",
    "Message",
    "Review",
    "ReviewAnswer",
    "Role",
    "Severity",
    "SourceRef",
    "ToolCall",
    "ToolCallResult",
    "Usage",
    "Violation",
    "utc",
]


_STR_MAX = 1_000_000


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_max_length=_STR_MAX)


_JsonObject = Annotated[dict[str, JsonValue], fast_json("object", _STR_MAX)]
_Json = Annotated[JsonValue, fast_json("value", _STR_MAX)]


_M = TypeVar("_M", bound=BaseModel)
_setattr = object.__setattr__


def trusted(cls: type[_M], _extra: dict[str, Any] | None = None, /, **values: Any) -> _M:
    """Build ``cls`` from values the gate itself produced from already-validated data
    (a handoff, a decision, a tool verdict, a tools finding), without validating them again.

    Every field must be given; then the instance equals ``cls(**values, **_extra)`` and
    dumps the same JSON (tests/test_models.py pins this), at a fraction of the cost:
    validating a ``JsonValue`` field calls a Python discriminator per value. ``_extra``
    (only for an ``extra="allow"`` model such as ``Finding``) are its extra fields, in
    order, none of them a field name. With a field missing or an unknown one, this *is*
    ``cls(**values)``. Not for caller input: nothing is checked."""
    fields = cls.__pydantic_fields__
    if tuple(values) != tuple(fields):  # in declared order already: ``values`` is ours
        if values.keys() != fields.keys() or _extra is not None:
            return cls(**values, **(_extra or {}))
        # in declared order: dumps and reprs follow ``__dict__``'s order
        values = {name: values[name] for name in fields}
    model = cls.__new__(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", {*values, *(_extra or ())})
    _setattr(model, "__pydantic_extra__", _extra)
    _setattr(model, "__pydantic_private__", None)
    return model


def utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime; a naive datetime is an input error."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp must carry a timezone (e.g. '2026-11-20T10:00:00Z')")
    return value.astimezone(UTC)


class Role(StrEnum):
    customer = "customer"
    agent = "agent"
    system = "system"


class Message(_Model):
    role: Role
    text: str


class Conversation(_Model):
    """One customer interaction as of a moment in time."""

    tenant: str = Field(min_length=1, max_length=200)
    id: str = Field(min_length=1, max_length=200)
    customer_id: str | None = Field(default=None, max_length=200)
    as_of: datetime
    messages: list[Message] = Field(default_factory=list)
    intent: str | None = Field(default=None, max_length=200)
    context: _JsonObject = Field(default_factory=dict)

    @field_validator("as_of")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return utc(value)

    def customer_texts(self, last: int | None = None) -> list[str]:
        """The customer's messages, oldest first (the ``last`` N if given)."""
        texts = [m.text for m in self.messages if m.role is Role.customer]
        return texts[-last:] if last else texts


class SourceRef(_Model):
    """A document the agent retrieved, as it says it saw it."""

    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    text: str = ""

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ToolCall(_Model):
    """A transaction the agent proposes. ``arguments`` is whatever the model produced:
    anything other than a JSON object is blocked by the tools layer, not rejected here."""

    name: str
    arguments: _Json = Field(default_factory=dict)
    id: str | None = None


class Draft(_Model):
    """What the agent wants to send."""

    text: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    confidence: float | None = Field(default=None, ge=0.0, le=1.0, allow_inf_nan=False)
    model: str | None = None


class Action(StrEnum):
    release = "release"
    rewrite = "rewrite"
    escalate = "escalate"


class LayerName(StrEnum):
    grounding = "grounding"
    review = "review"
    tools = "tools"
    routing = "routing"
    audit = "audit"


class Severity(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"
    info = "info"

    @property
    def blocks(self) -> bool:
        """Whether a finding of this severity keeps a draft from release as written."""
        return self in (Severity.critical, Severity.major)


class Code(StrEnum):
    """The fixed vocabulary of finding codes (DESIGN.md). ``LAYER_ERROR`` is ours:
    a layer raised, and the fail-closed boundary turned it into a finding."""

    # grounding
    POLICY_CONTRADICTION = "POLICY_CONTRADICTION"
    UNSUPPORTED_CLAIM = "UNSUPPORTED_CLAIM"
    STALE_SOURCE = "STALE_SOURCE"
    UNKNOWN_SOURCE = "UNKNOWN_SOURCE"
    MISSING_CITATION = "MISSING_CITATION"
    # review
    QA_REJECTED = "QA_REJECTED"
    QA_REWRITE = "QA_REWRITE"
    QA_UNAVAILABLE = "QA_UNAVAILABLE"
    # tools
    UNKNOWN_TOOL = "UNKNOWN_TOOL"
    TOOL_SCHEMA_VIOLATION = "TOOL_SCHEMA_VIOLATION"
    TOOL_POLICY_VIOLATION = "TOOL_POLICY_VIOLATION"
    UNBACKED_COMMITMENT = "UNBACKED_COMMITMENT"
    TOOL_FAILURE = "TOOL_FAILURE"
    # routing
    LOW_CONFIDENCE = "LOW_CONFIDENCE"
    SENSITIVE_INTENT = "SENSITIVE_INTENT"
    HUMAN_REQUESTED = "HUMAN_REQUESTED"
    BRAND_SAFETY = "BRAND_SAFETY"
    # any layer (fail-closed boundary)
    LAYER_ERROR = "LAYER_ERROR"


#: The severity a finding gets unless its layer says otherwise: one table, read by the router.
DEFAULT_SEVERITY: dict[Code, Severity] = {
    Code.POLICY_CONTRADICTION: Severity.critical,
    Code.UNSUPPORTED_CLAIM: Severity.major,
    Code.STALE_SOURCE: Severity.major,
    Code.UNKNOWN_SOURCE: Severity.major,
    Code.MISSING_CITATION: Severity.major,
    Code.QA_REJECTED: Severity.critical,
    Code.QA_REWRITE: Severity.major,
    Code.QA_UNAVAILABLE: Severity.critical,
    Code.UNKNOWN_TOOL: Severity.critical,
    Code.TOOL_SCHEMA_VIOLATION: Severity.critical,
    Code.TOOL_POLICY_VIOLATION: Severity.critical,
    Code.UNBACKED_COMMITMENT: Severity.critical,
    Code.TOOL_FAILURE: Severity.critical,
    Code.LOW_CONFIDENCE: Severity.major,
    Code.SENSITIVE_INTENT: Severity.major,
    Code.HUMAN_REQUESTED: Severity.major,
    Code.BRAND_SAFETY: Severity.critical,
    Code.LAYER_ERROR: Severity.critical,
}


class Finding(BaseModel):
    """One reason, from one layer: ``{layer, code, severity, message, ...evidence}``.

    Evidence fields sit at the top level of the JSON object (the contract); in Python
    they are read with :attr:`evidence`.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    layer: LayerName
    code: Code
    severity: Severity
    message: str

    @classmethod
    def of(
        cls,
        layer: LayerName,
        code: Code,
        message: str,
        *,
        severity: Severity | None = None,
        **evidence: Any,
    ) -> Finding:
        """Build a finding with the code's default severity unless one is given."""
        return cls(
            layer=layer,
            code=code,
            severity=severity or DEFAULT_SEVERITY[code],
            message=message,
            **evidence,
        )

    @property
    def evidence(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Violation(_Model):
    """Why a tool call was blocked: the rule (or schema path) and the argument at fault."""

    rule: str
    message: str
    argument: str | None = None


class ToolCallResult(_Model):
    """A proposed tool call with the gate's verdict on it."""

    name: str
    arguments: JsonValue
    id: str | None = None
    allowed: bool
    violations: list[Violation] = Field(default_factory=list)
    executed: bool = False
    result: JsonValue = None

    @classmethod
    def allow(cls, call: ToolCall) -> ToolCallResult:
        """The verdict on a call that passed (``call`` is a validated :class:`ToolCall`)."""
        return trusted(
            cls,
            name=call.name,
            arguments=call.arguments,
            id=call.id,
            allowed=True,
            violations=[],
            executed=False,
            result=None,
        )

    @classmethod
    def block(cls, call: ToolCall, violations: list[Violation]) -> ToolCallResult:
        """The verdict on a call that did not pass, with at least one violation."""
        if not violations:
            raise ValueError("a blocked call needs at least one violation")
        return trusted(
            cls,
            name=call.name,
            arguments=call.arguments,
            id=call.id,
            allowed=False,
            violations=list(violations),
            executed=False,
            result=None,
        )


class ClaimVerdict(_Model):
    text: str
    verdict: Literal["CONSISTENT", "INCONSISTENT", "UNVERIFIABLE"]
    reason: str


class ReviewAnswer(BaseModel):
    """What the QA reviewer must answer (DESIGN.md contract); validated strictly."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: Literal["approve", "rewrite", "escalate"]
    reasoning: str
    claims: list[ClaimVerdict] = Field(default_factory=list)
    rewrite: str | None = None


class Usage(_Model):
    input_tokens: int = 0
    output_tokens: int = 0


class Review(_Model):
    """The QA review as it lands in the decision."""

    verdict: Literal["approve", "rewrite", "escalate"]
    reasoning: str
    claims: list[ClaimVerdict] = Field(default_factory=list)
    rewrite: str | None = None
    model: str
    provider: str
    latency_ms: float
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 1


class Handoff(_Model):
    """The package a human agent starts from (keys fixed by the contract)."""

    reasons: list[str]
    summary: str
    conversation: list[Message]
    draft: dict[str, JsonValue]
    sources: list[dict[str, JsonValue]]
    facts: list[dict[str, JsonValue]]
    context: dict[str, JsonValue]
    findings: list[Finding]
    review: Review | None
    priority: Literal["urgent", "high", "normal"]


class Latency(_Model):
    total: float = 0.0
    grounding: float = 0.0
    review: float = 0.0
    tools: float = 0.0
    routing: float = 0.0


class Decision(_Model):
    """The gate's answer: what to do, what may be sent, and every reason why."""

    action: Action
    text: str | None
    findings: list[Finding] = Field(default_factory=list)
    tool_calls: list[ToolCallResult] = Field(default_factory=list)
    review: Review | None = None
    handoff: Handoff | None = None
    holding_message: str | None = None
    tenant: str
    conversation_id: str
    audit_id: str
    latency_ms: Latency = Field(default_factory=Latency)

    @property
    def released(self) -> bool:
        return self.action is not Action.escalate

    def codes(self) -> set[Code]:
        return {f.code for f in self.findings}
