"""Versioned schema migrations, shared by SQLite and PostgreSQL.

Each migration is a list of statements with ``{ts}``, ``{bool}`` and ``{serial}``
standing for the dialect's timestamp, boolean and auto-increment key types. A store
applies the ones above the version recorded in ``guardrail_schema`` while holding the
database's write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL an advisory lock), so
many processes opening one store at once migrate it exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: decisions, the handoff queue, sink deliveries, sampler verdicts
    (
        """CREATE TABLE guardrail_decisions (
            tenant TEXT NOT NULL,
            audit_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            customer_id TEXT,
            intent TEXT,
            as_of {ts} NOT NULL,
            recorded_at {ts} NOT NULL,
            action TEXT NOT NULL,
            confidence DOUBLE PRECISION,
            model TEXT,
            total_ms DOUBLE PRECISION NOT NULL,
            codes TEXT NOT NULL,
            critical {bool} NOT NULL,
            factual {bool} NOT NULL,
            cited {bool} NOT NULL,
            refusal {bool} NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant, audit_id))""",
        "CREATE INDEX guardrail_decisions_recorded ON guardrail_decisions (tenant, recorded_at)",
        """CREATE TABLE guardrail_handoffs (
            tenant TEXT NOT NULL,
            audit_id TEXT NOT NULL,
            status TEXT NOT NULL,
            priority INTEGER NOT NULL,
            created_at {ts} NOT NULL,
            claimed_by TEXT,
            claimed_at {ts},
            resolved_at {ts},
            resolution TEXT,
            PRIMARY KEY (tenant, audit_id))""",
        "CREATE INDEX guardrail_handoffs_queue "
        "ON guardrail_handoffs (tenant, status, priority, created_at)",
        """CREATE TABLE guardrail_deliveries (
            id {serial},
            tenant TEXT NOT NULL,
            audit_id TEXT NOT NULL,
            sink TEXT NOT NULL,
            ok {bool} NOT NULL,
            error TEXT,
            at {ts} NOT NULL)""",
        "CREATE INDEX guardrail_deliveries_audit ON guardrail_deliveries (tenant, audit_id)",
        """CREATE TABLE guardrail_samples (
            tenant TEXT NOT NULL,
            audit_id TEXT NOT NULL,
            judged_at {ts} NOT NULL,
            judge_model TEXT NOT NULL,
            hallucinated {bool} NOT NULL,
            claims TEXT NOT NULL,
            PRIMARY KEY (tenant, audit_id))""",
    ),
    # 2: write-ahead executions: one row per allowed call with a handler, written with the
    # decision before any handler runs; the idempotency key is unique
    (
        """CREATE TABLE guardrail_executions (
            tenant TEXT NOT NULL,
            idem_key TEXT NOT NULL,
            audit_id TEXT NOT NULL,
            call_index INTEGER NOT NULL,
            tool TEXT NOT NULL,
            state TEXT NOT NULL,
            created_at {ts} NOT NULL,
            started_at {ts},
            finished_at {ts},
            result TEXT,
            error TEXT,
            PRIMARY KEY (tenant, idem_key))""",
        "CREATE INDEX guardrail_executions_state ON guardrail_executions (tenant, state)",
        "CREATE INDEX guardrail_executions_audit ON guardrail_executions (tenant, audit_id)",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)

CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS guardrail_schema (version INTEGER NOT NULL)"


def statements(after: int, types: Mapping[str, str]) -> list[tuple[int, str]]:
    """The statements that take a database from version ``after`` to the newest."""
    return [
        (version, sql.format(**types))
        for version, migration in enumerate(MIGRATIONS, 1)
        if version > after
        for sql in migration
    ]
