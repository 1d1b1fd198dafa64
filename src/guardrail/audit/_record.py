"""One decision → one redacted audit record (the JSON body) and the indexed columns the
queue, the export and the metrics read without parsing bodies."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from ..config import AuditConfig
from ..models import Action, Code, Conversation, Decision, Draft, Severity
from ..redact import Redactor

#: Record keys whose values are ids, enums or versions the record needs intact.
_KEEP = frozenset(
    {
        "audit_id",
        "tenant",
        "conversation_id",
        "customer_id",
        "role",
        "layer",
        "code",
        "severity",
        "action",
        "verdict",
        "version",
        "model",
        "provider",
        "priority",
        "as_of",
        "recorded_at",
        "intent",
        "rule",
        "latency_ms",
        "usage",
        "allowed",
        "executed",
        "confidence",
    }
)

_FACTUAL = re.compile(
    r"\d|[$€£%]|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fourteen|fifteen|twenty|thirty|forty|forty-five|sixty|ninety)\s+(?:business\s+|working\s+)?"
    r"(?:hours?|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_encode_string = json.encoder.encode_basestring  # ensure_ascii=False, as json.dumps
_CONVERSATION_FIELDS = {"messages", "context"}
_DECISION_EXCLUDED = {"tenant", "conversation_id", "audit_id"}
_GROUNDING_CLAIM_CODES = {Code.UNSUPPORTED_CLAIM, Code.MISSING_CITATION, Code.POLICY_CONTRADICTION}
_PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2}


def ts(value: datetime) -> str:
    """Fixed-width ISO-8601 UTC text: sorts the same as the instants it names."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def is_factual(text: str) -> bool:
    """Whether a reply makes a factual claim: a number, amount, percentage or duration."""
    return _FACTUAL.search(text) is not None


class Classifier:
    """What the store needs to know about a decision to write it: the redactor and the
    refusal phrases, built once from ``[audit]``."""

    def __init__(self, config: AuditConfig) -> None:
        self.redactor = Redactor(config.redact, config.redact_patterns)
        phrases = [re.escape(p.lower()) for p in config.refusal_phrases if p.strip()]
        self._refusal = re.compile("|".join(phrases), re.IGNORECASE) if phrases else None

    def is_refusal(self, text: str | None) -> bool:
        return bool(text) and self._refusal is not None and bool(self._refusal.search(text or ""))

    def pseudonym(self, tenant: str, value: str | None) -> str | None:
        """An id kept as given unless it looks like PII (an email as customer id): then a
        stable keyed hash, so repeat-contact still counts the same customer."""
        if value is None or not self.redactor.changes(value):
            return value
        digest = hashlib.sha256(f"{tenant}\x00{value}".encode()).hexdigest()[:20]
        return f"pii-{digest}"


@dataclass(frozen=True)
class Row:
    """The columns of one ``guardrail_decisions`` row (and its handoff, if any)."""

    tenant: str
    audit_id: str
    conversation_id: str
    customer_id: str | None
    intent: str | None
    as_of: datetime
    recorded_at: datetime
    as_of_text: str  # ts(as_of)
    recorded_at_text: str  # ts(recorded_at)
    action: str
    confidence: float | None
    model: str | None
    total_ms: float
    codes: str
    critical: bool
    factual: bool
    cited: bool
    refusal: bool
    body: str
    handoff_priority: int | None


def build_row(
    classifier: Classifier,
    conversation: Conversation,
    draft: Draft,
    decision: Decision,
    now: datetime | None = None,
) -> Row:
    """Redact and flatten one decision. Nothing unredacted leaves this function."""
    recorded_at = now or datetime.now(UTC)
    tenant = conversation.tenant
    customer_id = classifier.pseudonym(tenant, conversation.customer_id)
    conversation_id = classifier.pseudonym(tenant, conversation.id) or conversation.id
    as_of_text, recorded_at_text = ts(conversation.as_of), ts(recorded_at)
    # the rest, encoded once by pydantic: {"messages", "context", "draft", **decision}
    rest = (
        _json(conversation, include=_CONVERSATION_FIELDS)[:-1]
        + ',"draft":'
        + _json(draft)
        + ","
        + _json(decision, exclude=_DECISION_EXCLUDED)[1:]
    )
    rest = classifier.redactor.json_text(rest, _KEEP)
    body = (  # the head's keys are all in _KEEP: nothing in it to redact
        f'{{"audit_id":{_js(decision.audit_id)},"tenant":{_js(tenant)}'
        f',"conversation_id":{_js(conversation_id)},"customer_id":{_js(customer_id)}'
        f',"intent":{_js(conversation.intent)},"as_of":{_js(as_of_text)}'
        f',"recorded_at":{_js(recorded_at_text)},{rest[1:]}'
    )
    codes = {f.code for f in decision.findings}
    unknown_sources = sum(1 for f in decision.findings if f.code is Code.UNKNOWN_SOURCE)
    return Row(
        tenant=tenant,
        audit_id=decision.audit_id,
        conversation_id=conversation_id,
        customer_id=customer_id,
        intent=conversation.intent,
        as_of=conversation.as_of,
        recorded_at=recorded_at,
        as_of_text=as_of_text,
        recorded_at_text=recorded_at_text,
        action=decision.action.value,
        confidence=draft.confidence,
        model=draft.model,
        total_ms=decision.latency_ms.total,
        codes=_codes(codes),
        critical=any(f.severity is Severity.critical for f in decision.findings),
        factual=bool(codes & _GROUNDING_CLAIM_CODES) or is_factual(draft.text),
        cited=len({(s.id, s.version) for s in draft.sources}) > unknown_sources,
        refusal=decision.action is not Action.escalate and classifier.is_refusal(decision.text),
        body=body,
        handoff_priority=None
        if decision.handoff is None
        else _PRIORITY_RANK.get(decision.handoff.priority, 2),
    )


def _json(model: BaseModel, **options: Any) -> str:
    """``model.model_dump_json(**options)``, without the wrapper's overhead."""
    return model.__pydantic_serializer__.to_json(model, **options).decode()


def _js(value: str | None) -> str:
    """``value`` as a JSON string (``null`` for None), as ``json.dumps`` writes it."""
    return "null" if value is None else _encode_string(value)


def _codes(codes: set[Code]) -> str:
    """Codes as `` A B `` so that ``LIKE '% A %'`` finds one exactly."""
    return " " + " ".join(sorted(c.value for c in codes)) + " " if codes else " "
