"""Write-ahead execution records: what the gate caused to happen.

The pipeline records the decision together with one ``pending`` row per allowed call it
is about to execute (:meth:`ExecutionStore.begin`, one transaction) *before* any handler
runs. A handler runs only after :meth:`ExecutionStore.start_execution` moved its row from
``pending`` to ``running`` (so one idempotency key never runs twice), and its outcome is
recorded against the same key: ``executed`` (with the result, redacted), ``failed``
(with the error type) or ``timed_out`` (outcome unknown). Rows left ``pending``,
``running`` or ``timed_out`` are what ``guardrail audit pending`` lists for a human.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ..errors import AuditError
from ..models import Action, Conversation, Decision, Draft
from ._core import END, EPOCH, Cursor, StoreCore
from ._record import build_row

#: every state an execution row can be in
STATES = ("pending", "running", "executed", "failed", "timed_out")
#: states with no known outcome: a human reconciles them
UNRESOLVED = ("pending", "running", "timed_out")
_INSERT = (
    "INSERT INTO guardrail_decisions (tenant, audit_id, conversation_id, customer_id, intent,"
    " as_of, recorded_at, action, confidence, model, total_ms, codes, critical, factual, cited,"
    " refusal, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_HANDOFF = (
    "INSERT INTO guardrail_handoffs (tenant, audit_id, status, priority, created_at)"
    " VALUES (?, ?, 'waiting', ?, ?)"
)
_COLUMNS = (
    "SELECT idem_key, audit_id, call_index, tool, state, created_at, started_at, finished_at,"
    " result, error FROM guardrail_executions WHERE tenant = ?"
)


def idempotency_key(audit_id: str, index: int) -> str:
    """The stable key of the execution of call ``index`` of decision ``audit_id``."""
    return f"{audit_id}:{index}"


class ExecutionStore(StoreCore):
    """The execution half of the store."""

    def _decision_params(
        self, conversation: Conversation, draft: Draft, decision: Decision
    ) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
        if conversation.tenant != self.tenant or decision.tenant != self.tenant:
            raise AuditError(f"this store records tenant {self.tenant!r} only")
        row = build_row(self._classifier, conversation, draft, decision)
        if getattr(self, "text_timestamps", False):  # the row has them as text already
            as_of, recorded_at = row.as_of_text, row.recorded_at_text
        else:
            as_of, recorded_at = self._ts(row.as_of), self._ts(row.recorded_at)
        params = (
            row.tenant, row.audit_id, row.conversation_id, row.customer_id, row.intent,
            as_of, recorded_at, row.action, row.confidence,
            row.model, row.total_ms, row.codes, row.critical, row.factual, row.cited,
            row.refusal, row.body,
        )  # fmt: skip
        handoff = None
        if decision.action is Action.escalate and row.handoff_priority is not None:
            handoff = (row.tenant, row.audit_id, row.handoff_priority, recorded_at)
        return params, handoff

    def begin(
        self,
        conversation: Conversation,
        draft: Draft,
        decision: Decision,
        calls: Sequence[tuple[int, str]],
    ) -> None:
        """Record ``decision`` (its calls not yet executed) and one ``pending`` row per
        ``(call index, tool)`` in one transaction. Raises on failure: nothing may run."""
        params, _ = self._decision_params(conversation, draft, decision)
        now = self._ts(datetime.now(UTC))
        with self._tx() as cur:
            cur.execute(self._q(_INSERT), params)
            for index, tool in calls:
                cur.execute(
                    self._q(
                        "INSERT INTO guardrail_executions (tenant, idem_key, audit_id,"
                        " call_index, tool, state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)"
                    ),
                    (
                        self.tenant, idempotency_key(decision.audit_id, index),
                        decision.audit_id, index, tool, now,
                    ),
                )  # fmt: skip

    def start_execution(self, audit_id: str, index: int) -> bool:
        """Move the call from ``pending`` to ``running``; False if it is not pending (it
        ran, or is running, or was never recorded): then it must not run."""
        with self._tx() as cur:
            cur.execute(
                self._q(
                    "UPDATE guardrail_executions SET state = 'running', started_at = ?"
                    " WHERE tenant = ? AND idem_key = ? AND state = 'pending'"
                ),
                (self._ts(datetime.now(UTC)), self.tenant, idempotency_key(audit_id, index)),
            )
            return cur.rowcount == 1

    def finish_execution(
        self, audit_id: str, index: int, state: str, result: Any = None, error: str | None = None
    ) -> None:
        """Record the outcome of a running call: ``executed``, ``failed`` or ``timed_out``."""
        if state not in ("executed", "failed", "timed_out"):
            raise AuditError(f"not an outcome: {state!r}")
        payload = None
        if state == "executed":
            text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
            payload = self._classifier.redactor.text(text)
        with self._tx() as cur:
            cur.execute(
                self._q(
                    "UPDATE guardrail_executions SET state = ?, finished_at = ?, result = ?,"
                    " error = ? WHERE tenant = ? AND idem_key = ? AND state = 'running'"
                ),
                (
                    state, self._ts(datetime.now(UTC)), payload, error,
                    self.tenant, idempotency_key(audit_id, index),
                ),
            )  # fmt: skip
            if cur.rowcount != 1:
                raise AuditError(f"execution {idempotency_key(audit_id, index)} is not running")

    def finish(self, conversation: Conversation, draft: Draft, decision: Decision) -> None:
        """Replace the record :meth:`begin` wrote with the final decision (and queue an
        escalation's handoff), in one transaction."""
        params, handoff = self._decision_params(conversation, draft, decision)
        with self._tx() as cur:
            cur.execute(
                self._q("DELETE FROM guardrail_decisions WHERE tenant = ? AND audit_id = ?"),
                (self.tenant, decision.audit_id),
            )
            if cur.rowcount != 1:
                raise AuditError(f"no write-ahead record {decision.audit_id!r} to finish")
            cur.execute(self._q(_INSERT), params)
            if handoff is not None:
                cur.execute(self._q(_HANDOFF), handoff)

    # -- reading -------------------------------------------------------------------------

    def executions(self, audit_id: str) -> list[dict[str, Any]]:
        """Every execution of one decision, in call order."""
        return self._select(" AND audit_id = ? ORDER BY call_index", (audit_id,))

    def pending_executions(self) -> list[dict[str, Any]]:
        """Executions with no known outcome (pending, running, timed out), oldest first."""
        marks = ", ".join("?" for _ in UNRESOLVED)
        return self._select(
            f" AND state IN ({marks}) ORDER BY created_at, audit_id, call_index", UNRESOLVED
        )

    def effects(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[dict[str, Any]]:
        """What the gate caused to happen: every execution created in ``[since, until)``,
        whatever its state, oldest first."""
        return self._select(
            " AND created_at >= ? AND created_at < ? ORDER BY created_at, audit_id, call_index",
            (self._ts(since or EPOCH), self._ts(until or END)),
        )

    def _select(self, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self._read() as cur:
            cur.execute(self._q(_COLUMNS + where), (self.tenant, *params))
            rows = cur.fetchall()
        return [self._execution_json(r) for r in rows]

    def _execution_json(self, r: Sequence[Any]) -> dict[str, Any]:
        key, audit_id, index, tool, state, created, started, finished, result, error = r
        return {
            "idempotency_key": key,
            "audit_id": audit_id,
            "call_index": int(index),
            "tool": tool,
            "state": state,
            "created_at": self._dt(created).isoformat(),
            "started_at": self._dt(started).isoformat() if started else None,
            "finished_at": self._dt(finished).isoformat() if finished else None,
            "result": json.loads(result) if result else None,
            "error": error,
        }

    def _purge_executions(self, cur: Cursor, cutoff: Any) -> None:
        old = "SELECT audit_id FROM guardrail_decisions WHERE tenant = ? AND recorded_at < ?"
        cur.execute(
            self._q(f"DELETE FROM guardrail_executions WHERE tenant = ? AND audit_id IN ({old})"),
            (self.tenant, self.tenant, cutoff),
        )
