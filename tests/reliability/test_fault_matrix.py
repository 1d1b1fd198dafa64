"""The fault matrix: every fault crossed with check(), acheck() and 50 concurrent checks,
on SQLite and PostgreSQL. Every cell pins the same four promises: nothing that should be
blocked is released, no executed call lacks a record, nothing executes twice, and the
decision says why."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from guardrail import Action, Code, Decision, Guardrail, LayerName
from guardrail.audit import SQLStore
from guardrail.review import AnthropicReviewer, ReviewLayer
from guardrail.routing import CallbackSink
from guardrail.testing import FakeProvider, Step

from .conftest import FailAt, Refunds, acme_guard, scenario

RELEASABLE = scenario("08")  # a $129 refund the rules allow: released, refund executed
BLOCKED = scenario("09")  # a $500 refund over the order total: never executed


@dataclass
class Fault:
    """How to break the gate, and what the releasable draft's decision must then be."""

    name: str
    action: Action
    #: (layer, code, evidence error or None) the releasable decision must carry
    reason: tuple[LayerName, Code | None, str | None] | None = None
    #: whether the refund handler runs for the releasable draft
    runs: bool = True
    #: the execution state its record must be in
    state: str = "executed"
    extra: dict[str, Any] = field(default_factory=dict)


FAULTS = [
    Fault("none", Action.release),
    Fault("audit_before", Action.escalate, (LayerName.audit, Code.LAYER_ERROR, "AuditError"),
          runs=False, state=""),
    Fault("audit_after", Action.escalate, (LayerName.audit, Code.LAYER_ERROR, "AuditError"),
          state="running"),
    Fault("audit_final", Action.escalate, (LayerName.audit, Code.LAYER_ERROR, "AuditError")),
    Fault("handler_raises", Action.escalate,
          (LayerName.tools, Code.TOOL_FAILURE, "RuntimeError"), state="failed"),
    Fault("handler_hangs", Action.escalate,
          (LayerName.tools, Code.TOOL_FAILURE, "TimeoutError"), state="timed_out"),
    Fault("reviewer_hangs", Action.escalate, (LayerName.review, None, None),
          runs=False, state=""),
    Fault("reviewer_garbage", Action.escalate, (LayerName.review, None, None),
          runs=False, state=""),
    Fault("resolver_raises", Action.escalate, None, runs=False, state=""),
    Fault("sink_fails", Action.release),
]  # fmt: skip
MODES = ["check", "acheck", "concurrent50"]


class RaisingSink:
    """A handoff sink that breaks its promise never to raise."""

    name = "raising"

    async def deliver(self, decision: Decision) -> None:
        raise ConnectionError("sink down")


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    """A fake model server (its answers are set per fault)."""
    with FakeProvider() as server:
        yield server


def build(fault: Fault, store: SQLStore, refunds: Refunds, fake: FakeProvider) -> Guardrail:
    """The acme gate with ``fault`` applied."""
    parts: dict[str, Any] = {}
    if fault.name in ("audit_before", "audit_after", "audit_final"):
        assert isinstance(store, FailAt)
        store.fail = {"audit_before": "begin", "audit_after": "outcome"}.get(fault.name, "final")
    if fault.name == "handler_raises":
        refunds.mode = "raise"
    if fault.name == "handler_hangs":
        refunds.mode = "hang"
        parts["handler_timeout_s"] = 0.2
    if fault.name.startswith("reviewer_"):
        fake.default = Step.hang() if fault.name == "reviewer_hangs" else Step.non_json()
        reviewer = AnthropicReviewer("reviewer-model", api_key="k", base_url=fake.url)
        parts["review"] = ReviewLayer(reviewer, timeout_s=0.3, max_attempts=1)
    if fault.name == "sink_fails":

        def broken(decision: Decision) -> None:
            raise ConnectionError("callback down")

        parts["handoff_sinks"] = [CallbackSink(broken, audit=store), RaisingSink()]
    guard = acme_guard(store, refunds, **parts)
    if fault.name == "resolver_raises":

        @guard.resolver("order")
        def load(order_id: str) -> dict[str, Any]:
            raise ConnectionError("orders service down")

    return guard


async def run(guard: Guardrail, mode: str) -> list[tuple[bool, Decision]]:
    """(releasable?, decision) for each check the mode makes."""
    cases = [True, False] if mode != "concurrent50" else [i % 2 == 0 for i in range(50)]
    if mode == "check":
        loop = asyncio.get_running_loop()
        return [
            (ok, await loop.run_in_executor(None, guard.check, *(RELEASABLE if ok else BLOCKED)))
            for ok in cases
        ]
    decisions = await asyncio.gather(
        *(guard.acheck(*(RELEASABLE if ok else BLOCKED)) for ok in cases)
    )
    return list(zip(cases, decisions, strict=True))


def _says_why(decision: Decision, reason: tuple[LayerName, Code | None, str | None] | None) -> bool:
    if reason is None:  # any blocking finding names the cause
        return any(f.severity.blocks for f in decision.findings)
    layer, code, error = reason
    return any(
        f.layer is layer
        and (code is None or f.code is code)
        and (error is None or f.evidence.get("error") == error)
        for f in decision.findings
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
async def test_fault_matrix_cell(
    fault: Fault, mode: str, store: SQLStore, refunds: Refunds, fake: FakeProvider
) -> None:
    """Under this fault and concurrency, blocked calls never run, every run call has a
    record, no key runs twice, and each decision names the fault."""
    guard = build(fault, store, refunds, fake)
    results = await run(guard, mode)

    released = [d for ok, d in results if ok]
    for ok, decision in results:
        if not ok:  # nothing that should be blocked is released or executed
            assert decision.action is Action.escalate
            assert not any(c.executed for c in decision.tool_calls)
    for decision in released:
        assert decision.action is fault.action, decision.findings
        assert _says_why(decision, fault.reason) or fault.action is Action.release
    # nothing executes twice; only the releasable drafts' calls ran
    assert len(refunds.keys) == len(set(refunds.keys))
    expected = {f"{d.audit_id}:0" for d in released} if fault.runs else set()
    assert set(refunds.keys) == expected
    # no executed call lacks a record, and the record is in the expected state
    effects = {e["idempotency_key"]: e for e in store.effects()}
    for key in refunds.keys:
        assert effects[key]["state"] == fault.state
    unresolved = {e["idempotency_key"] for e in store.pending_executions()}
    assert unresolved == (expected if fault.state in ("running", "timed_out") else set())
    # every decision is on record
    for _, decision in results:
        assert store.get(decision.audit_id) is not None
    if fault.name == "sink_fails":
        blocked = next(d for ok, d in results if not ok)
        assert [x["ok"] for x in store.deliveries(blocked.audit_id)] == [False]


def test_a_retried_execution_with_the_same_key_never_runs_twice(
    store: SQLStore, refunds: Refunds
) -> None:
    """Running the executions of one decision again (same audit id, same keys) does not
    call the handler again: the store refuses to start a key that is not pending."""
    from guardrail._execution import execute_calls
    from guardrail.layers import CheckContext
    from guardrail.pipeline import parse_inputs

    guard = acme_guard(store, refunds)
    decision = guard.check(*RELEASABLE)
    assert decision.action is Action.release and len(refunds.keys) == 1
    conv, draft = parse_inputs(*RELEASABLE)
    ctx = CheckContext(conv, draft, guard.knowledge, decision.audit_id)
    again = asyncio.run(execute_calls(guard, ctx, list(decision.tool_calls), None, sync=False))
    assert len(refunds.keys) == 1
    assert [f.evidence["error"] for f in again.failures] == ["AlreadyStarted"]
    assert not store.start_execution(decision.audit_id, 0)


def test_the_handler_gets_a_stable_idempotency_key(store: SQLStore, refunds: Refunds) -> None:
    """The key passed to the handler is the audit id and call index, and it is the key
    the store records the outcome under."""
    decision = acme_guard(store, refunds).check(*RELEASABLE)
    assert refunds.keys == [f"{decision.audit_id}:0"]
    [row] = store.executions(decision.audit_id)
    assert row["idempotency_key"] == refunds.keys[0] and row["state"] == "executed"
    assert row["result"] == decision.tool_calls[0].result


def test_a_store_without_write_ahead_executes_nothing(refunds: Refunds) -> None:
    """A custom store that cannot record executions before they run gets an escalation
    naming it, and the handler never runs."""

    class WriteOnly:
        def write(self, *args: Any) -> None:
            self.written = args

        def record_delivery(self, *args: Any) -> None:
            pass

    guard = acme_guard(None, refunds)
    guard.audit = WriteOnly()
    decision = guard.check(*RELEASABLE)
    assert decision.action is Action.escalate and refunds.keys == []
    assert any(f.evidence.get("error") == "NoWriteAhead" for f in decision.findings)
