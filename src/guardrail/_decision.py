"""The gate's own per-check objects, built without needless Python frames: the audit id
and the decision (each pinned against its usual construction in tests/test_floor_fast_paths.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from .models import Action, Decision, Finding, Handoff, Review, ToolCallResult

__all__ = ["build_decision", "new_audit_id"]

_LATENCY = ("grounding", "review", "tools", "routing")
#: ``uuid.UUID(bytes=b, version=4)`` clears these bits of ``int(b)`` and sets the next
_UUID4_KEEP = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID4_SET = (4 << 76) | (0x8000 << 48)
# ``Model(**data)`` is ``BaseModel.__init__`` calling exactly this with ``data``; calling
# it directly skips that Python frame and the keyword packing (~1 µs a model here)
_new_decision = Decision.__pydantic_validator__.validate_python


def new_audit_id() -> str:
    """``uuid.uuid4().hex``, without building the UUID object: the same 16 bytes from
    ``os.urandom``, the same version and variant bits, the same 32 lowercase hex digits."""
    return "%032x" % (int.from_bytes(os.urandom(16), "big") & _UUID4_KEEP | _UUID4_SET)


def build_decision(
    action: Action,
    text: str | None,
    findings: Sequence[Finding],
    tool_calls: Sequence[ToolCallResult],
    review: Review | None,
    handoff: Handoff | None,
    holding_message: str | None,
    tenant: str,
    conversation_id: str,
    audit_id: str,
    total_ms: float,
    lat: Mapping[str, float],
) -> Decision:
    """``Decision(...)`` with every field given, validated as the constructor does; its
    ``latency_ms`` is ``Latency(total=total_ms, **{k: lat[k] for k in _LATENCY if k in
    lat})``, validated inside the decision's validator (the same instance, one Python
    call less)."""
    made: Decision = _new_decision(
        {
            "action": action,
            "text": text,
            "findings": findings,
            "tool_calls": tool_calls,
            "review": review,
            "handoff": handoff,
            "holding_message": holding_message,
            "tenant": tenant,
            "conversation_id": conversation_id,
            "audit_id": audit_id,
            "latency_ms": {"total": total_ms, **{k: lat[k] for k in _LATENCY if k in lat}},
        }
    )
    return made
