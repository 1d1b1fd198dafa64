"""guardrail — a four-layer gate between a customer-service AI agent and the customer.

The agent drafts a reply; :class:`Guardrail` decides whether to **release** it,
**rewrite** it, or **escalate** it to a human with the full context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    AuditError,
    ConfigError,
    GuardrailError,
    InputError,
    ReviewUnavailable,
    UserError,
)
from .knowledge import Document, Fact, GoldenSet, Knowledge, KnowledgeBase
from .layers import CheckContext, Layer, LayerResult
from .models import (
    Action,
    ClaimVerdict,
    Code,
    Conversation,
    Decision,
    Draft,
    Finding,
    Handoff,
    Latency,
    LayerName,
    Message,
    Review,
    ReviewAnswer,
    Role,
    Severity,
    SourceRef,
    ToolCall,
    ToolCallResult,
    Usage,
    Violation,
)

if TYPE_CHECKING:
    from .pipeline import Guardrail, PreSendHook, Rewriter

__version__ = "0.1.0"

__all__ = [
    "Action",
    "AuditError",
    "CheckContext",
    "ClaimVerdict",
    "Code",
    "ConfigError",
    "Conversation",
    "Decision",
    "Document",
    "Draft",
    "Fact",
    "Finding",
    "GoldenSet",
    "Guardrail",
    "GuardrailError",
    "Handoff",
    "InputError",
    "Knowledge",
    "KnowledgeBase",
    "Latency",
    "Layer",
    "LayerName",
    "LayerResult",
    "Message",
    "PreSendHook",
    "Review",
    "ReviewAnswer",
    "ReviewUnavailable",
    "Rewriter",
    "Role",
    "Severity",
    "SourceRef",
    "ToolCall",
    "ToolCallResult",
    "Usage",
    "UserError",
    "Violation",
    "__version__",
]


def __getattr__(name: str) -> Any:
    # The gate (``guardrail.pipeline``) loads every layer, the config loader and the audit
    # store. It is imported on first use of ``guardrail.Guardrail`` so that importing one
    # package (``import guardrail.tools``, the pytest plugin) loads only what it needs.
    if name in ("Guardrail", "PreSendHook", "Rewriter"):
        from . import pipeline

        value = getattr(pipeline, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
