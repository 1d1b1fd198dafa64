"""The handoff queue: escalations waiting for a human, claimed, resolved; and the
outcomes of delivering them to sinks (webhooks, callbacks)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from ..errors import AuditError
from ._core import StoreCore

STATUSES = ("waiting", "claimed", "resolved")
_PRIORITY_NAMES = {0: "urgent", 1: "high", 2: "normal"}
_HANDOFF_COLUMNS = (
    "SELECT h.audit_id, h.status, h.priority, h.created_at, h.claimed_by, h.claimed_at,"
    " h.resolved_at, h.resolution, d.conversation_id, d.intent, d.body"
    " FROM guardrail_handoffs h JOIN guardrail_decisions d"
    " ON d.tenant = h.tenant AND d.audit_id = h.audit_id WHERE h.tenant = ?"
)


@dataclass(frozen=True)
class HandoffItem:
    """One escalation in the handoff queue."""

    audit_id: str
    conversation_id: str
    intent: str | None
    status: str
    priority: str
    created_at: datetime
    claimed_by: str | None
    claimed_at: datetime | None
    resolved_at: datetime | None
    resolution: str | None
    summary: str
    reasons: list[str]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("created_at", "claimed_at", "resolved_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


class QueueStore(StoreCore):
    """The queue half of the store."""

    def record_delivery(self, audit_id: str, sink: str, ok: bool, error: str | None) -> None:
        """Record the outcome of delivering a handoff to a sink (webhook, callback)."""
        detail = self._classifier.redactor.text(error)[:500] if error else None
        with self._tx() as cur:
            cur.execute(
                self._q(
                    "INSERT INTO guardrail_deliveries (tenant, audit_id, sink, ok, error, at)"
                    " VALUES (?, ?, ?, ?, ?, ?)"
                ),
                (self.tenant, audit_id, sink, ok, detail, self._ts(datetime.now(UTC))),
            )

    # -- reading records -----------------------------------------------------------------

    # -- the handoff queue ---------------------------------------------------------------

    def handoffs(self, status: str | None = "waiting", limit: int = 100) -> list[HandoffItem]:
        """Escalations in the queue, most urgent and oldest first (``status=None``: all)."""
        if status is not None and status not in STATUSES:
            raise AuditError(f"unknown handoff status {status!r}; use one of {STATUSES}")
        return self._handoffs(status, limit, None)

    def _handoffs(self, status: str | None, limit: int, audit_id: str | None) -> list[HandoffItem]:
        sql, params = _HANDOFF_COLUMNS, [self.tenant]
        if status is not None:
            sql, params = sql + " AND h.status = ?", [*params, status]
        if audit_id is not None:
            sql, params = sql + " AND h.audit_id = ?", [*params, audit_id]
        sql += " ORDER BY h.priority, h.created_at, h.audit_id LIMIT ?"
        with self._read() as cur:
            cur.execute(self._q(sql), (*params, limit))
            rows = cur.fetchall()
        items = []
        for aid, st, prio, created, by, claimed, resolved, resolution, conv, intent, body in rows:
            handoff = json.loads(body).get("handoff") or {}
            items.append(
                HandoffItem(
                    aid,
                    conv,
                    intent,
                    st,
                    _PRIORITY_NAMES.get(prio, "normal"),
                    self._dt(created),
                    by,
                    self._opt_dt(claimed),
                    self._opt_dt(resolved),
                    resolution,
                    str(handoff.get("summary", "")),
                    list(handoff.get("reasons", [])),
                )
            )
        return items

    def claim(self, audit_id: str, agent: str) -> bool:
        """Claim a waiting escalation for ``agent``; False if it is not waiting (or is
        not this tenant's)."""
        with self._tx() as cur:
            cur.execute(
                self._q(
                    "UPDATE guardrail_handoffs SET status = 'claimed', claimed_by = ?,"
                    " claimed_at = ? WHERE tenant = ? AND audit_id = ? AND status = 'waiting'"
                ),
                (agent, self._ts(datetime.now(UTC)), self.tenant, audit_id),
            )
            return cur.rowcount == 1

    def claim_next(self, agent: str) -> HandoffItem | None:
        """Atomically claim the most urgent, oldest waiting escalation (None if none)."""
        with self._tx() as cur:
            cur.execute(
                self._q(
                    "SELECT audit_id FROM guardrail_handoffs WHERE tenant = ? AND status ="
                    " 'waiting' ORDER BY priority, created_at, audit_id LIMIT 1"
                    + self._skip_locked()
                ),
                (self.tenant,),
            )
            found = cur.fetchone()
            if found is None:
                return None
            cur.execute(
                self._q(
                    "UPDATE guardrail_handoffs SET status = 'claimed', claimed_by = ?,"
                    " claimed_at = ? WHERE tenant = ? AND audit_id = ?"
                ),
                (agent, self._ts(datetime.now(UTC)), self.tenant, found[0]),
            )
        return self._handoffs(None, 1, str(found[0]))[0]

    def _skip_locked(self) -> str:
        return ""

    def resolve(self, audit_id: str, resolution: str | None = None) -> bool:
        """Mark an escalation resolved; False if it is already resolved or unknown."""
        note = self._classifier.redactor.text(resolution) if resolution else None
        with self._tx() as cur:
            cur.execute(
                self._q(
                    "UPDATE guardrail_handoffs SET status = 'resolved', resolved_at = ?,"
                    " resolution = ? WHERE tenant = ? AND audit_id = ? AND status <> 'resolved'"
                ),
                (self._ts(datetime.now(UTC)), note, self.tenant, audit_id),
            )
            return cur.rowcount == 1

    def handoff_status(self, audit_id: str) -> dict[str, Any] | None:
        """The queue status of one record (None unless it escalated)."""
        found = self._handoffs(None, 1, audit_id)
        if not found:
            return None
        data = found[0].to_json()
        keys = ("status", "priority", "claimed_by", "resolution", "resolved_at")
        return {k: data[k] for k in keys}

    def deliveries(self, audit_id: str) -> list[dict[str, Any]]:
        """Sink delivery outcomes for one record, oldest first."""
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT sink, ok, error, at FROM guardrail_deliveries"
                    " WHERE tenant = ? AND audit_id = ? ORDER BY id"
                ),
                (self.tenant, audit_id),
            )
            rows = cur.fetchall()
        return [
            {"sink": s, "ok": bool(ok), "error": e, "at": self._dt(at).isoformat()}
            for s, ok, e, at in rows
        ]
