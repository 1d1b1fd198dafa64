"""SQLite: one file, WAL, created and migrated on first use.

One persistent connection per process (re-opened after ``fork``), shared by threads
behind a lock; ``synchronous=NORMAL`` in WAL mode means a committed decision survives
the process being killed (only a power loss can take the last commits), at a fraction
of the cost of a full fsync per decision. Writers in other processes wait on
the write lock (up to 30 s, in short jittered naps); each write is one ``BEGIN IMMEDIATE``
transaction.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from ..config import AuditConfig
from ..errors import AuditError
from ._core import Cursor
from ._record import ts
from ._store import INSERT_DECISION, INSERT_HANDOFF, SQLStore

#: how long a write waits for another process's write lock before it fails
LOCK_WAIT_S = 30.0
#: SQLite's own busy handler backs off to 100 ms naps under contention, which starves
#: writers; it gets a few ms, then we retry with sub-millisecond jittered naps.
_BUSY_TIMEOUT_MS = 5


def _busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _with_lock_wait(conn: sqlite3.Connection, sql: str) -> None:
    """Run ``sql`` (BEGIN IMMEDIATE, a PRAGMA), retrying while another process holds
    the write lock, for up to :data:`LOCK_WAIT_S`."""
    deadline = time.monotonic() + LOCK_WAIT_S
    nap = 0.0002
    while True:
        try:
            conn.execute(sql)
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(nap * (0.5 + random.random()))
        nap = min(nap * 1.5, 0.005)


class SQLiteStore(SQLStore):
    """The audit store in one SQLite file (``[audit] store = "sqlite:///audit.db"``)."""

    dialect = "sqlite"
    text_timestamps = True
    types: ClassVar[dict[str, str]] = {
        "ts": "TEXT",
        "bool": "INTEGER",
        "serial": "INTEGER PRIMARY KEY",
    }

    def __init__(self, path: str | Path, tenant: str, config: AuditConfig | None = None) -> None:
        super().__init__(tenant, config)
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        with self._lock:
            self._connection()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=_BUSY_TIMEOUT_MS / 1000.0,
                isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise AuditError(f"cannot open audit store {self.path}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            _with_lock_wait(conn, "PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            _with_lock_wait(conn, "BEGIN IMMEDIATE")
            try:
                self._migrate(conn.cursor())
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.close()
            raise AuditError(f"cannot open audit store {self.path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            self._conn = self._open()  # after fork the parent's connection is not ours
            self._pid = os.getpid()
        return self._conn

    @contextmanager
    def _tx(self) -> Iterator[Cursor]:
        with self._lock:
            conn = self._connection()
            try:
                _with_lock_wait(conn, "BEGIN IMMEDIATE")
                try:
                    yield conn.cursor()
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise AuditError(f"audit store write failed: {exc}") from exc

    def _insert(self, decision: tuple[Any, ...], handoff: tuple[Any, ...] | None) -> None:
        """The hot path: :meth:`_tx` with its two statements, minus the context managers."""
        with self._lock:
            conn = self._connection()
            try:
                _with_lock_wait(conn, "BEGIN IMMEDIATE")
                try:
                    conn.execute(INSERT_DECISION, decision)
                    if handoff is not None:
                        conn.execute(INSERT_HANDOFF, handoff)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise AuditError(f"audit store write failed: {exc}") from exc

    @contextmanager
    def _read(self) -> Iterator[Cursor]:
        with self._lock:
            try:
                yield self._connection().cursor()
            except sqlite3.Error as exc:
                raise AuditError(f"audit store read failed: {exc}") from exc

    def _q(self, sql: str) -> str:
        return sql

    def _ts(self, value: datetime) -> Any:
        return ts(value)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def integrity_ok(self) -> bool:
        """``PRAGMA integrity_check`` says the file is sound."""
        with self._read() as cur:
            cur.execute("PRAGMA integrity_check")
            return bool(cur.fetchone()[0] == "ok")
