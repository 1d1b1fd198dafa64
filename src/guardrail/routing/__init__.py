"""Layer 4 — routing: escalation triggers, the decision table, the handoff package and
its sinks. See ``docs/routing.md``."""

from __future__ import annotations

from ._config import BrandConfig, RoutingConfig, WebhookConfig
from ._handoff import build_handoff
from ._router import RULES, DecisionRule, Router
from ._sinks import CallbackSink, HandoffSink, WebhookSink, build_sinks, webhook_payload
from ._triggers import TriggerLayer

__all__ = [
    "RULES",
    "BrandConfig",
    "CallbackSink",
    "DecisionRule",
    "HandoffSink",
    "Router",
    "RoutingConfig",
    "TriggerLayer",
    "WebhookConfig",
    "WebhookSink",
    "build_handoff",
    "build_sinks",
    "build_triggers",
    "webhook_payload",
]


def build_triggers(config: RoutingConfig, brand: BrandConfig) -> TriggerLayer:
    """The routing-trigger layer (LOW_CONFIDENCE, HUMAN_REQUESTED, SENSITIVE_INTENT,
    BRAND_SAFETY) for a tenant."""
    return TriggerLayer(config, brand)
