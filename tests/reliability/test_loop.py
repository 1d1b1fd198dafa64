"""acheck() never blocks the event loop: the audit store and sync tool handlers run in
thread pools. Each test makes the blocking call wait for an event that only a coroutine
on the loop sets — if the call ran on the loop thread, it would wait forever (a 30 s
safety net turns that into a failure instead of a hang)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from guardrail import Action
from guardrail.audit import SQLStore

from .conftest import Refunds, acme_guard, scenario

RELEASABLE = scenario("08")
SAFETY_S = 30.0


async def _set_from_the_loop(event: threading.Event) -> None:
    await asyncio.sleep(0)
    event.set()


async def test_a_sync_handler_does_not_block_the_loop(store: SQLStore, refunds: Refunds) -> None:
    """While a sync handler waits, other coroutines on the loop keep running."""
    ticked = threading.Event()
    waited: list[bool] = []

    def refund(**args: Any) -> dict[str, str]:
        waited.append(ticked.wait(SAFETY_S))
        return {"status": "refunded"}

    guard = acme_guard(store, refunds)
    guard.tool("refund_order")(refund)
    decision, _ = await asyncio.gather(guard.acheck(*RELEASABLE), _set_from_the_loop(ticked))
    assert waited == [True] and decision.action is Action.release


async def test_the_audit_write_does_not_block_the_loop(store: SQLStore, refunds: Refunds) -> None:
    """While the write-ahead record is being written, other coroutines keep running."""
    ticked = threading.Event()
    waited: list[bool] = []
    begin = store.begin

    def slow_begin(*args: Any) -> None:
        waited.append(ticked.wait(SAFETY_S))
        begin(*args)

    store.begin = slow_begin  # type: ignore[method-assign]
    guard = acme_guard(store, refunds)
    decision, _ = await asyncio.gather(guard.acheck(*RELEASABLE), _set_from_the_loop(ticked))
    assert waited == [True] and decision.action is Action.release
    assert len(refunds.keys) == 1


async def test_check_and_acheck_agree_with_a_store_and_handlers(
    store: SQLStore, refunds: Refunds
) -> None:
    """The synchronous path (no loop) and acheck() give the same decision."""
    guard = acme_guard(store, refunds)
    sync = guard.check(*RELEASABLE)
    async_ = await guard.acheck(*RELEASABLE)
    keep = {"audit_id", "latency_ms"}
    assert sync.model_dump(exclude=keep) == async_.model_dump(exclude=keep)
    assert len(refunds.keys) == 2
