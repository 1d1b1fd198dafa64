"""``[routing]`` and ``[brand]`` as the routing layer reads them. The section models live
in :mod:`guardrail.config` (the leaf every package may import); this module keeps the
routing package's own helper beside the names it imports."""

from __future__ import annotations

from ..config import (
    ALL_CATEGORIES,
    BrandConfig,
    RewriteCode,
    RoutingConfig,
    SensitiveCategory,
    WebhookConfig,
)

__all__ = [
    "ALL_CATEGORIES",
    "BrandConfig",
    "RewriteCode",
    "RoutingConfig",
    "SensitiveCategory",
    "WebhookConfig",
    "intent_key",
]


def intent_key(value: str) -> str:
    """``"Account Closure"``, ``"account-closure"`` and ``"account_closure"`` are one intent."""
    return "_".join(value.lower().replace("-", " ").replace("_", " ").split())
