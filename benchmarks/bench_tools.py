"""Benchmark: the tools layer validating 5 tool calls with 5 CEL rules each, context
resolved by a registered resolver (issue #4 target: p50 <= 0.2 ms on one core).

    .venv/bin/python benchmarks/bench_tools.py [--n 5000]

Prints the median and p99 of (a) the gate alone, (b) the whole layer ``run`` (gate +
commitment scan of a one-sentence reply) and (c) the gate on one call with ten rules and
a 50 KB context (a customer profile, a reservation and 20 flights; issue 11's case),
measured on this machine, by the wall clock and by this process's CPU time (leaving out
time other processes held the core). The coroutines are driven directly (nothing in them
awaits when the resolver is sync), so no event-loop overhead is counted.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bench_gate import W3_CONTEXT, W3_SPEC  # run from benchmarks/: the one W3 case

from guardrail import Conversation, Draft, ToolCall
from guardrail.knowledge import GoldenSet, Knowledge
from guardrail.layers import CheckContext
from guardrail.tools import Rule, ToolsLayer, ToolSpec

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def drive(coro: Coroutine[Any, Any, T]) -> T:
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    raise RuntimeError("the coroutine awaited something")


def build() -> tuple[ToolsLayer, CheckContext]:
    spec = ToolSpec.from_file(ROOT / "tool_schemas" / "refund_order.json")
    fifth = Rule(id="reason-known", rule="args.reason_code != 'other'", message="x")
    spec = ToolSpec.from_dict({**spec.to_dict(), "policy": [*spec.to_dict()["policy"], fifth]})
    assert len(spec.policy) == 5
    layer = ToolsLayer([spec])
    order = {
        "id": "A-1001",
        "total_cents": 12900,
        "status": "delivered",
        "delivered_at": "2026-11-02",
        "item": "Ridgeline hiking boots",
    }

    @layer.resolver("order")
    def load_order(order_id: str) -> dict[str, Any] | None:
        return order if order_id == "A-1001" else None

    knowledge = Knowledge(golden=GoldenSet.load(ROOT / "examples" / "acme" / "policies.json"))
    conversation = Conversation(
        tenant="acme",
        id="bench",
        customer_id="u-1",
        as_of=datetime(2026, 11, 20, 10, tzinfo=UTC),
        context={"order": order},
    )
    calls = [
        ToolCall(
            name="refund_order",
            arguments={"order_id": "A-1001", "amount_cents": 2000, "reason_code": "damaged"},
        )
        for _ in range(5)
    ]
    draft = Draft(text="I've refunded $100.00 to your card in five parts.", tool_calls=calls)
    return layer, CheckContext(conversation, draft, knowledge, audit_id="bench")


def build_large() -> tuple[ToolsLayer, CheckContext]:
    """One ``change_flight`` call, ten rules, a ~50 KB context (a customer profile, a
    reservation and 20 flights): three rules need the engine (``exists``/``all``)."""
    spec = ToolSpec.from_dict(W3_SPEC)  # the same case as bench_gate's W3, gate alone
    layer = ToolsLayer([spec])
    conversation = Conversation(
        tenant="skyway", id="bench", customer_id="u-w3",
        as_of=datetime(2026, 11, 20, 10, tzinfo=UTC), context=W3_CONTEXT,
    )  # fmt: skip
    call = ToolCall(
        name="change_flight",
        arguments={"reservation_id": "R-1", "flight_id": "SW102", "cabin": "economy",
                   "passengers": 2},
    )  # fmt: skip
    size = len(json.dumps(W3_CONTEXT))
    assert 40_000 < size < 70_000, size
    return layer, CheckContext(conversation, Draft(text="Done.", tool_calls=[call]), Knowledge(),
                               audit_id="bench")  # fmt: skip


def measure(fn: Any, n: int, clock: Any) -> tuple[float, float]:
    for _ in range(min(500, n)):
        fn()
    samples = []
    for _ in range(n):
        t0 = clock()
        fn()
        samples.append((clock() - t0) * 1e3)
    samples.sort()
    return statistics.median(samples), samples[int(n * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    n = parser.parse_args().n
    layer, ctx = build()
    calls = ctx.draft.tool_calls
    result = drive(layer.run(ctx))
    assert result.tool_calls is not None and all(r.allowed for r in result.tool_calls)
    assert not result.findings, json.dumps([f.model_dump(mode="json") for f in result.findings])

    def gate() -> object:
        return drive(layer._validate(calls, ctx.conversation, ctx.knowledge))

    def run() -> object:
        return drive(layer.run(ctx))

    big, big_ctx = build_large()
    [verdict] = drive(
        big._validate(big_ctx.draft.tool_calls, big_ctx.conversation, big_ctx.knowledge)
    ).results
    assert verdict.allowed, verdict.violations

    def large() -> object:
        return drive(
            big._validate(big_ctx.draft.tool_calls, big_ctx.conversation, big_ctx.knowledge)
        )

    print(f"python {platform.python_version()} on {platform.machine()}, n={n}")
    clocks = (("wall", time.perf_counter), ("cpu", time.process_time))
    cases = (
        ("gate: 5 calls x 5 rules", gate),
        ("layer run (gate + scan)", run),
        ("gate: 50 KB ctx, 10 rules", large),
    )
    for label, fn in cases:
        for clock_name, clock in clocks:
            p50, p99 = measure(fn, n, clock)
            print(f"{label:26s} {clock_name:4s} median {p50:.3f} ms   p99 {p99:.3f} ms")


if __name__ == "__main__":
    main()
