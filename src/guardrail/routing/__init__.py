"""Layer 4 — routing: escalation triggers, the decision table, the handoff package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ..layers import Layer
from ..models import Decision
from ._config import BrandConfig, RoutingConfig
from ._handoff import build_handoff
from ._router import Router

if TYPE_CHECKING:
    from ..audit import AuditStore

__all__ = [
    "BrandConfig",
    "HandoffSink",
    "Router",
    "RoutingConfig",
    "build_handoff",
    "build_sinks",
    "build_triggers",
]


class HandoffSink(Protocol):
    """Where an escalation's handoff goes (a callback, a webhook, the audit queue)."""

    async def deliver(self, decision: Decision) -> None: ...


def build_triggers(config: RoutingConfig, brand: BrandConfig) -> Layer | None:
    """The routing-trigger layer (LOW_CONFIDENCE, HUMAN_REQUESTED, SENSITIVE_INTENT,
    BRAND_SAFETY) for a tenant."""
    return None


def build_sinks(config: RoutingConfig, audit: AuditStore | None) -> list[HandoffSink]:
    """The handoff sinks ``[routing]`` configures (webhook…)."""
    return []
