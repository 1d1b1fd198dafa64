"""Layer 4 — routing: escalation triggers, the decision table, the handoff package."""

from __future__ import annotations

from typing import Protocol

from ..models import Decision
from ._config import BrandConfig, RoutingConfig
from ._handoff import build_handoff
from ._router import Router

__all__ = ["BrandConfig", "HandoffSink", "Router", "RoutingConfig", "build_handoff"]


class HandoffSink(Protocol):
    """Where an escalation's handoff goes (a callback, a webhook, the audit queue)."""

    async def deliver(self, decision: Decision) -> None: ...
