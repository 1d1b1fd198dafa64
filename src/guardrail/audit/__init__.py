"""The audit store: one record per decision, written before the decision is returned."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..models import Conversation, Decision, Draft
from ._config import AuditConfig

__all__ = ["AuditConfig", "AuditStore", "open_store"]


class AuditStore(Protocol):
    def write(self, conversation: Conversation, draft: Draft, decision: Decision) -> None:
        """Persist one decision (redacted); an escalation's handoff joins the handoff queue
        in the same transaction. Raise on failure: the pipeline then escalates."""

    def record_delivery(self, audit_id: str, sink: str, ok: bool, error: str | None) -> None:
        """Record the outcome of delivering a handoff to a sink (webhook, callback)."""


def open_store(config: AuditConfig, base: Path, tenant: str) -> AuditStore | None:
    """Open the store ``[audit] store`` names (None for ``"none"``)."""
    if config.store == "none":
        return None
    raise NotImplementedError("the audit store is not built yet")
