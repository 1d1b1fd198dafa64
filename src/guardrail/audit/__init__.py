"""The audit store: one redacted record per decision, written before the decision is
returned; the handoff queue; write-ahead tool executions; retention. Storage only: the
hallucination sampler that re-judges records is :mod:`guardrail.sampler`, and the
``guardrail audit``/``metrics``/``sample`` commands live in ``guardrail._audit_cli``.

``[audit] store`` picks the backend::

    sqlite:///audit.db          a file beside guardrail.toml (created on first use)
    sqlite:////var/lib/g/a.db   an absolute path
    postgresql://user@host/db   PostgreSQL (psycopg 3), for many app instances
    none                        record nothing

A store is bound to one tenant: every read names it, and nothing returns another
tenant's records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..config import AuditConfig
from ..errors import ConfigError
from ..models import Conversation, Decision, Draft
from ._postgres import PostgresStore
from ._queue import HandoffItem
from ._sqlite import SQLiteStore
from ._store import SampleRow, SQLStore, Summary

__all__ = [
    "AuditConfig",
    "AuditStore",
    "HandoffItem",
    "PostgresStore",
    "SQLStore",
    "SQLiteStore",
    "SampleRow",
    "Summary",
    "WriteAheadStore",
    "open_sql_store",
    "open_store",
]


class AuditStore(Protocol):
    """What the pipeline and the handoff sinks need from a store."""

    def write(self, conversation: Conversation, draft: Draft, decision: Decision) -> None:
        """Persist one decision (redacted); an escalation's handoff joins the handoff queue
        in the same transaction. Raise on failure: the pipeline then escalates."""

    def record_delivery(self, audit_id: str, sink: str, ok: bool, error: str | None) -> None:
        """Record the outcome of delivering a handoff to a sink (webhook, callback)."""


@runtime_checkable
class WriteAheadStore(Protocol):
    """A store that can record executions write-ahead (both SQL stores can). The
    pipeline runs tool handlers only with such a store (or with no store at all)."""

    def write(self, conversation: Conversation, draft: Draft, decision: Decision) -> None: ...

    def record_delivery(self, audit_id: str, sink: str, ok: bool, error: str | None) -> None: ...

    def begin(
        self,
        conversation: Conversation,
        draft: Draft,
        decision: Decision,
        calls: Sequence[tuple[int, str]],
    ) -> None: ...

    def start_execution(self, audit_id: str, index: int) -> bool: ...

    def finish_execution(
        self, audit_id: str, index: int, state: str, result: Any = None, error: str | None = None
    ) -> None: ...

    def finish(self, conversation: Conversation, draft: Draft, decision: Decision) -> None: ...

    def pending_executions(self) -> list[dict[str, Any]]: ...

    def effects(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[dict[str, Any]]: ...


def open_store(config: AuditConfig, base: Path, tenant: str) -> AuditStore | None:
    """Open the store ``[audit] store`` names (None for ``"none"``)."""
    return open_sql_store(config, base, tenant)


def open_sql_store(config: AuditConfig, base: Path, tenant: str) -> SQLStore | None:
    """Like :func:`open_store`, typed as the full store (queue, export, purge, metrics)."""
    url = config.store.strip()
    if url == "none":
        return None
    scheme, sep, rest = url.partition("://")
    if scheme == "sqlite" and sep:
        if not rest.startswith("/") or rest == "/":
            raise ConfigError(
                "[audit] store: a SQLite URL is sqlite:///relative.db or sqlite:////abs/path.db"
            )
        path = Path(rest[1:])
        return SQLiteStore(path if path.is_absolute() else base / path, tenant, config)
    if scheme in ("postgresql", "postgres") and sep:
        return PostgresStore(url, tenant, config)
    shown = scheme if sep else url[:40]
    raise ConfigError(
        f"[audit] store: unsupported store {shown!r} (use sqlite:///FILE, postgresql://…, or none)"
    )
