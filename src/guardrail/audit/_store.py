"""The SQL audit store: one implementation of every query, two dialects (SQLite and
PostgreSQL supply connections, transactions and type mapping).

Tenant isolation: a store is bound to one tenant at construction and every statement
it runs names that tenant in its ``WHERE`` clause (or writes it as the row's tenant);
there is no method that takes another tenant.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from .._log import get_logger
from ..errors import AuditError
from ..models import ClaimVerdict, Conversation, Decision, Draft
from ._core import END as _END
from ._core import EPOCH as _EPOCH
from ._core import Cursor
from ._executions import ExecutionStore
from ._queue import QueueStore
from ._schema import CREATE_VERSION_TABLE, SCHEMA_VERSION, statements

log = get_logger("guardrail.audit")

_PAGE = 500
INSERT_DECISION = (
    "INSERT INTO guardrail_decisions (tenant, audit_id, conversation_id, customer_id, intent,"
    " as_of, recorded_at, action, confidence, model, total_ms, codes, critical, factual, cited,"
    " refusal, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_DECISION_RETURNING = INSERT_DECISION + " RETURNING tenant, audit_id"
INSERT_HANDOFF = (
    "INSERT INTO guardrail_handoffs (tenant, audit_id, status, priority, created_at)"
    " VALUES (?, ?, 'waiting', ?, ?)"
)


@dataclass(frozen=True)
class Summary:
    """The indexed columns of one decision, what the trust metrics read."""

    audit_id: str
    conversation_id: str
    customer_id: str | None
    intent: str | None
    as_of: datetime
    action: str
    confidence: float | None
    total_ms: float
    codes: frozenset[str]
    critical: bool
    factual: bool
    cited: bool
    refusal: bool
    draft_text: str | None = None


@dataclass(frozen=True)
class SampleRow:
    audit_id: str
    hallucinated: bool
    claims: list[ClaimVerdict]


class SQLStore(QueueStore, ExecutionStore):
    """An audit store bound to one tenant. Thread-safe; safe to use after ``fork``."""

    #: whether ``_ts`` is :func:`._record.ts` (timestamps stored as fixed-width text)
    text_timestamps: ClassVar[bool] = False

    def _migrate(self, cur: Cursor, lock_sql: str | None = None) -> None:
        """Bring the schema to :data:`SCHEMA_VERSION`; the caller holds the write lock."""
        if lock_sql:
            cur.execute(lock_sql)
        cur.execute(CREATE_VERSION_TABLE)
        cur.execute("SELECT version FROM guardrail_schema")
        found = cur.fetchone()
        current = int(found[0]) if found else 0
        if current > SCHEMA_VERSION:
            raise AuditError(
                f"audit store schema v{current} is newer than this guardrail's "
                f"v{SCHEMA_VERSION}; upgrade guardrail"
            )
        for _, sql in statements(current, self.types):
            cur.execute(sql)
        if current < SCHEMA_VERSION:
            cur.execute("DELETE FROM guardrail_schema")
            insert = self._q("INSERT INTO guardrail_schema (version) VALUES (?)")
            cur.execute(insert, (SCHEMA_VERSION,))
            log.info("audit_schema_migrated", dialect=self.dialect, version=SCHEMA_VERSION)

    # -- writing -------------------------------------------------------------------------

    def write(self, conversation: Conversation, draft: Draft, decision: Decision) -> None:
        """Persist one decision, redacted; an escalation's handoff joins the queue in the
        same transaction. Raises on failure (the pipeline then escalates)."""
        params, handoff = self._decision_params(conversation, draft, decision)
        self._insert(params, handoff)

    def _insert(self, decision: tuple[Any, ...], handoff: tuple[Any, ...] | None) -> None:
        """Insert a decision row and its queue entry in one transaction."""
        with self._tx() as cur:
            cur.execute(self._q(INSERT_DECISION), decision)
            if handoff is not None:
                cur.execute(self._q(INSERT_HANDOFF), handoff)

    def count(self) -> int:
        """How many decisions this tenant has on record."""
        with self._read() as cur:
            cur.execute(
                self._q("SELECT COUNT(*) FROM guardrail_decisions WHERE tenant = ?"),
                (self.tenant,),
            )
            return int(cur.fetchone()[0])

    def get(self, audit_id: str) -> dict[str, Any] | None:
        """One record with its queue status, sink deliveries and sampler verdict."""
        with self._read() as cur:
            cur.execute(
                self._q("SELECT body FROM guardrail_decisions WHERE tenant = ? AND audit_id = ?"),
                (self.tenant, audit_id),
            )
            found = cur.fetchone()
            if found is None:
                return None
            record: dict[str, Any] = json.loads(found[0])
        record["deliveries"] = self.deliveries(audit_id)
        record["handoff_status"] = self.handoff_status(audit_id)
        record["sample"] = self._sample_json(audit_id)
        return record

    def records(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        """Records recorded in ``[since, until)``, oldest first, streamed in pages."""
        lo, hi = self._ts(since or _EPOCH), self._ts(until or _END)
        after: tuple[Any, str] = (lo, "")
        sql = self._q(
            "SELECT d.recorded_at, d.audit_id, d.body, h.status, h.claimed_by, h.resolved_at,"
            " h.resolution, s.judge_model, s.hallucinated, s.claims, s.judged_at"
            " FROM guardrail_decisions d"
            " LEFT JOIN guardrail_handoffs h ON h.tenant = d.tenant AND h.audit_id = d.audit_id"
            " LEFT JOIN guardrail_samples s ON s.tenant = d.tenant AND s.audit_id = d.audit_id"
            " WHERE d.tenant = ? AND d.recorded_at >= ? AND d.recorded_at < ?"
            " AND (d.recorded_at > ? OR (d.recorded_at = ? AND d.audit_id > ?))"
            " ORDER BY d.recorded_at, d.audit_id LIMIT ?"
        )
        while True:
            with self._read() as cur:
                cur.execute(sql, (self.tenant, lo, hi, after[0], after[0], after[1], _PAGE))
                page = cur.fetchall()
            for at, audit_id, body, status, by, resolved, resolution, jm, hal, cl, ja in page:
                record = json.loads(body)
                record["handoff_status"] = (
                    {"status": status, "claimed_by": by, "resolution": resolution,
                     "resolved_at": self._dt(resolved).isoformat() if resolved else None}
                    if status else None
                )  # fmt: skip
                record["sample"] = (
                    {"judge_model": jm, "hallucinated": bool(hal), "claims": json.loads(cl),
                     "judged_at": self._dt(ja).isoformat()}
                    if jm else None
                )  # fmt: skip
                yield record
                after = (at, audit_id)
            if len(page) < _PAGE:
                return

    def summaries(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        with_text: bool = False,
    ) -> list[Summary]:
        """The metric columns of every decision recorded in ``[since, until)``."""
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT audit_id, conversation_id, customer_id, intent, as_of, action,"
                    " confidence, total_ms, codes, critical, factual, cited, refusal"
                    + (", body" if with_text else "")
                    + " FROM guardrail_decisions"
                    " WHERE tenant = ? AND recorded_at >= ? AND recorded_at < ?"
                ),
                (self.tenant, self._ts(since or _EPOCH), self._ts(until or _END)),
            )
            rows = cur.fetchall()
        out = []
        for r in rows:
            text = json.loads(r[13])["draft"]["text"] if with_text else None
            out.append(
                Summary(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    self._dt(r[4]),
                    r[5],
                    r[6],
                    float(r[7]),
                    frozenset(r[8].split()),
                    bool(r[9]),
                    bool(r[10]),
                    bool(r[11]),
                    bool(r[12]),
                    text,
                )
            )
        return out

    # -- retention -----------------------------------------------------------------------

    def purge(self, older_than_days: int | None = None, now: datetime | None = None) -> int:
        """Delete records (with their queue entries, deliveries and verdicts) recorded
        more than ``older_than_days`` ago (default ``[audit] retention_days``)."""
        days = self.config.retention_days if older_than_days is None else older_than_days
        if days < 1:
            raise AuditError("purge keeps at least one day of records (older_than_days >= 1)")
        cutoff = self._ts((now or datetime.now(UTC)) - timedelta(days=days))
        old = "SELECT audit_id FROM guardrail_decisions WHERE tenant = ? AND recorded_at < ?"
        with self._tx() as cur:
            self._purge_executions(cur, cutoff)
            for table in ("guardrail_deliveries", "guardrail_handoffs", "guardrail_samples"):
                cur.execute(
                    self._q(f"DELETE FROM {table} WHERE tenant = ? AND audit_id IN ({old})"),
                    (self.tenant, self.tenant, cutoff),
                )
            cur.execute(
                self._q("DELETE FROM guardrail_decisions WHERE tenant = ? AND recorded_at < ?"),
                (self.tenant, cutoff),
            )
            purged = cur.rowcount
        log.info("audit_purged", tenant=self.tenant, records=purged, days=days)
        return purged

    # -- the hallucination sampler -------------------------------------------------------

    def released_unsampled(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[str]:
        """Audit ids of released (or rewritten) decisions with no sampler verdict yet."""
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT d.audit_id FROM guardrail_decisions d LEFT JOIN guardrail_samples s"
                    " ON s.tenant = d.tenant AND s.audit_id = d.audit_id"
                    " WHERE d.tenant = ? AND d.action <> 'escalate' AND s.audit_id IS NULL"
                    " AND d.recorded_at >= ? AND d.recorded_at < ? ORDER BY d.recorded_at"
                ),
                (self.tenant, self._ts(since or _EPOCH), self._ts(until or _END)),
            )
            return [str(r[0]) for r in cur.fetchall()]

    def save_sample(self, audit_id: str, judge_model: str, claims: Sequence[ClaimVerdict]) -> bool:
        """Store the judge's per-claim verdicts for one record (first verdict wins)."""
        hallucinated = any(c.verdict == "INCONSISTENT" for c in claims)
        payload = json.dumps([c.model_dump(mode="json") for c in claims], ensure_ascii=False)
        with self._tx() as cur:
            cur.execute(
                self._q(
                    "INSERT INTO guardrail_samples (tenant, audit_id, judged_at, judge_model,"
                    " hallucinated, claims) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM"
                    " guardrail_decisions WHERE tenant = ? AND audit_id = ?)"
                    " ON CONFLICT DO NOTHING"
                ),
                (
                    self.tenant, audit_id, self._ts(datetime.now(UTC)), judge_model,
                    hallucinated, self._classifier.redactor.text(payload), self.tenant, audit_id,
                ),
            )  # fmt: skip
            return cur.rowcount == 1

    def samples(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[SampleRow]:
        """Sampler verdicts for decisions recorded in ``[since, until)``."""
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT s.audit_id, s.hallucinated, s.claims FROM guardrail_samples s"
                    " JOIN guardrail_decisions d ON d.tenant = s.tenant AND d.audit_id ="
                    " s.audit_id WHERE s.tenant = ? AND d.recorded_at >= ? AND d.recorded_at < ?"
                ),
                (self.tenant, self._ts(since or _EPOCH), self._ts(until or _END)),
            )
            rows = cur.fetchall()
        return [
            SampleRow(str(a), bool(h), [ClaimVerdict.model_validate(c) for c in json.loads(cl)])
            for a, h, cl in rows
        ]

    def _sample_json(self, audit_id: str) -> dict[str, Any] | None:
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT judge_model, hallucinated, claims, judged_at FROM guardrail_samples"
                    " WHERE tenant = ? AND audit_id = ?"
                ),
                (self.tenant, audit_id),
            )
            found = cur.fetchone()
        if found is None:
            return None
        model, hallucinated, claims, judged_at = found
        return {
            "judge_model": model,
            "hallucinated": bool(hallucinated),
            "claims": json.loads(claims),
            "judged_at": self._dt(judged_at).isoformat(),
        }
