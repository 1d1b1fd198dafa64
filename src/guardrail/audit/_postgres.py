"""PostgreSQL (psycopg 3), for many app instances writing one store.

One connection per process (re-opened after ``fork`` or when it breaks), shared by
threads behind a lock; every write is one transaction; psycopg prepares the hot
statements server-side after a few executions. Migrations run under a transaction-level
advisory lock, so instances starting together migrate once. Credentials: prefer
``PGPASSWORD``/``~/.pgpass`` over a password in the URL.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from ..config import AuditConfig
from ..errors import AuditError
from ._core import Cursor
from ._store import INSERT_DECISION, INSERT_DECISION_RETURNING, SQLStore

if TYPE_CHECKING:
    import psycopg

_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(72616175646974)"
_INSERT_BOTH = (
    f"WITH d AS ({INSERT_DECISION_RETURNING}) INSERT INTO guardrail_handoffs"
    " (tenant, audit_id, status, priority, created_at) SELECT d.tenant, d.audit_id,"
    " 'waiting', ?, ? FROM d"
)


class PostgresStore(SQLStore):
    """The audit store in PostgreSQL (``[audit] store = "postgresql://…"``)."""

    dialect = "postgresql"
    types: ClassVar[dict[str, str]] = {
        "ts": "TIMESTAMPTZ",
        "bool": "BOOLEAN",
        "serial": "BIGSERIAL PRIMARY KEY",
    }

    def __init__(self, dsn: str, tenant: str, config: AuditConfig | None = None) -> None:
        super().__init__(tenant, config)
        self._dsn = dsn
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self._pid = -1
        self._sql: dict[str, str] = {}
        with self._lock:
            self._connection()

    def _open(self) -> psycopg.Connection[tuple[object, ...]]:
        import psycopg

        try:
            conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise AuditError(f"cannot connect to the audit store: {_brief(exc)}") from exc
        try:
            with conn.transaction(), conn.cursor() as cur:
                self._migrate(cur, _MIGRATION_LOCK)
        except psycopg.Error as exc:
            conn.close()
            raise AuditError(f"cannot open the audit store: {_brief(exc)}") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self) -> psycopg.Connection[tuple[object, ...]]:
        conn = self._conn
        if conn is None or conn.closed or conn.broken or self._pid != os.getpid():
            self._conn = self._open()
            self._pid = os.getpid()
        assert self._conn is not None
        return self._conn

    @contextmanager
    def _tx(self) -> Iterator[Cursor]:
        import psycopg

        with self._lock:
            try:
                conn = self._connection()
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            except psycopg.Error as exc:
                raise AuditError(f"audit store write failed: {_brief(exc)}") from exc

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        import psycopg

        with self._lock:
            try:
                with self._connection().cursor() as cur:
                    yield cur
            except psycopg.Error as exc:
                raise AuditError(f"audit store read failed: {_brief(exc)}") from exc

    def _insert(self, decision: tuple[Any, ...], handoff: tuple[Any, ...] | None) -> None:
        """One statement, one round trip, atomic: the decision alone, or the decision and
        its queue entry through a data-modifying CTE."""
        import psycopg

        if handoff is None:
            sql, params = INSERT_DECISION, decision
        else:
            sql, params = _INSERT_BOTH, (*decision, handoff[2], handoff[3])
        with self._lock:
            try:
                self._connection().execute(self._q(sql), params)
            except psycopg.Error as exc:
                raise AuditError(f"audit store write failed: {_brief(exc)}") from exc

    def _q(self, sql: str) -> str:
        translated = self._sql.get(sql)
        if translated is None:
            translated = self._sql[sql] = sql.replace("?", "%s")
        return translated

    def _skip_locked(self) -> str:
        return " FOR UPDATE SKIP LOCKED"

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None


def _brief(exc: Exception) -> str:
    """The error's first line: no statement parameters, no DETAIL with row values."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
