"""guardrail — a four-layer gate between a customer-service AI agent and the customer.

The agent drafts a reply; :class:`Guardrail` decides whether to **release** it,
**rewrite** it, or **escalate** it to a human with the full context.
"""

from __future__ import annotations

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
