"""The audit store: one record per decision, written before the decision is returned."""

from __future__ import annotations

from typing import Protocol

from ..models import Conversation, Decision, Draft
from ._config import AuditConfig

__all__ = ["AuditConfig", "AuditStore"]


class AuditStore(Protocol):
    def write(self, conversation: Conversation, draft: Draft, decision: Decision) -> None:
        """Persist one decision; raise on failure (the pipeline then escalates)."""
