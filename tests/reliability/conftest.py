"""Fixtures for the fault matrix: the acme gate with a real store (SQLite or PostgreSQL),
a recording refund handler, and stores that fail at one chosen write."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guardrail import Guardrail
from guardrail.audit import PostgresStore, SQLiteStore, SQLStore
from guardrail.config import ToolsConfig
from guardrail.errors import AuditError
from guardrail.knowledge import GoldenSet, Knowledge
from guardrail.tools import load_tools_layer

from ..audit.conftest import pg_dsn, postgres_server

__all__ = ["pg_dsn", "postgres_server"]  # the PostgreSQL fixtures, shared

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "examples" / "acme"
KNOWLEDGE = Knowledge(golden=GoldenSet.load(ACME / "policies.json"))


def scenario(prefix: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The conversation and draft of an acme scenario."""
    path = next((ACME / "scenarios").glob(f"{prefix}-*.json"))
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data["conversation"], data["draft"]


class FailAt:
    """Mixin for a real store that raises at one named write (``fail``)."""

    fail: str = ""

    def _maybe(self, where: str) -> None:
        if self.fail == where:
            raise AuditError(f"audit store write failed: disk full ({where})")

    def begin(self, *args: Any) -> None:
        self._maybe("begin")
        super().begin(*args)  # type: ignore[misc]

    def finish_execution(self, *args: Any) -> None:
        self._maybe("outcome")
        super().finish_execution(*args)  # type: ignore[misc]

    def finish(self, *args: Any) -> None:
        self._maybe("final")
        super().finish(*args)  # type: ignore[misc]


class FaultySQLite(FailAt, SQLiteStore):
    pass


class FaultyPostgres(FailAt, PostgresStore):
    pass


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLStore]:
    """The acme tenant's store (able to fail on demand) on each backend."""
    opened: SQLStore
    if request.param == "sqlite":
        opened = FaultySQLite(tmp_path / "audit.db", "acme")
    else:
        opened = FaultyPostgres(request.getfixturevalue("pg_dsn"), "acme")
    yield opened
    opened.close()


class Refunds:
    """A refund handler that records each idempotency key it ran with; ``mode`` makes it
    raise or hang (until the test ends)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.mode = "ok"
        self.release = threading.Event()
        self._lock = threading.Lock()

    def __call__(
        self, order_id: str, amount_cents: int, reason_code: str, idempotency_key: str
    ) -> dict[str, Any]:
        with self._lock:
            self.keys.append(idempotency_key)
        if self.mode == "raise":
            raise RuntimeError("ledger unavailable")
        if self.mode == "hang":
            self.release.wait(60)  # safety net only: the test releases it at teardown
        return {"status": "refunded"}


@pytest.fixture
def refunds() -> Iterator[Refunds]:
    """The recording handler; any hung call is released when the test ends."""
    handler = Refunds()
    yield handler
    handler.release.set()


def acme_guard(store: SQLStore | None, refunds: Refunds, **parts: Any) -> Guardrail:
    """The acme tools and golden set, the given store and handler, and ``parts``."""
    tools = load_tools_layer(ToolsConfig(schemas="tool_schemas"), ACME, KNOWLEDGE)
    guard = Guardrail(tenant="acme", knowledge=KNOWLEDGE, tools=tools, audit=store, **parts)
    guard.tool("refund_order")(refunds)
    return guard
