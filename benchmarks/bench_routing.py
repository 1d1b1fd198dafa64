"""Benchmark: layer 4 — the routing triggers, the decision table and the handoff
package — over every example scenario of the acme tenant.

    .venv/bin/python benchmarks/bench_routing.py [--n 2000]

Prints, measured on this machine, the median and p99 of (a) the trigger layer's ``run``
on one case (three customer messages, a draft of a few sentences), (b) ``Router.decide``,
and (c) ``build_handoff`` for an escalation. The trigger coroutine is driven directly
(it never awaits), so no event-loop overhead is counted.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from guardrail.knowledge import GoldenSet, Knowledge, KnowledgeBase
from guardrail.layers import CheckContext
from guardrail.models import Code, Finding, LayerName, Message
from guardrail.pipeline import parse_inputs
from guardrail.routing import BrandConfig, Router, RoutingConfig, TriggerLayer

ACME = Path(__file__).resolve().parents[1] / "examples" / "acme"
T = TypeVar("T")


def drive(coro: Coroutine[Any, Any, T]) -> T:
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    raise RuntimeError("the coroutine awaited something")


def contexts(knowledge: Knowledge) -> list[CheckContext]:
    out = []
    for path in sorted((ACME / "scenarios").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        conv, draft = parse_inputs(case["conversation"], case["draft"])
        earlier = [Message(role="customer", text="Hi, I have a question about my order."),
                   Message(role="agent", text="Of course, how can I help?")]  # fmt: skip
        conv = conv.model_copy(update={"messages": [*earlier, *conv.messages]})
        out.append(CheckContext(conv, draft, knowledge, "bench"))
    return out


def measure(fn: Callable[[], object], n: int) -> list[float]:
    for _ in range(50):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e6)
    return samples


def report(name: str, samples: list[float]) -> None:
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"{name:<34} median {statistics.median(samples):8.1f} µs   p99 {p99:8.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    knowledge = Knowledge(
        golden=GoldenSet.load(ACME / "policies.json"),
        documents=KnowledgeBase.load(ACME / "knowledge"),
    )
    brand = BrandConfig(names=["Acme", "Acme Outfitters"],
                        forbidden=["legally binding", "no takesies backsies"])  # fmt: skip
    layer, router = TriggerLayer(RoutingConfig(), brand), Router()
    ctxs = contexts(knowledge)
    findings = [
        Finding.of(LayerName.tools, Code.TOOL_POLICY_VIOLATION, "refund exceeds the total"),
        Finding.of(LayerName.grounding, Code.POLICY_CONTRADICTION, "30 days, not 60",
                   fact_key="return_window_days"),
        Finding.of(LayerName.routing, Code.SENSITIVE_INTENT, "legal", category="legal"),
    ]  # fmt: skip
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{len(ctxs)} scenario cases, n={n} per measurement")  # fmt: skip
    i = iter(range(10**12))

    def triggers() -> object:
        return drive(layer.run(ctxs[next(i) % len(ctxs)]))

    def handoff() -> object:
        ctx = ctxs[next(i) % len(ctxs)]
        return router.handoff(ctx, findings, ctx.tool_results, None)

    report("triggers (layer run, one case)", measure(triggers, n))
    report("Router.decide", measure(lambda: router.decide(findings, None), n))
    report("build_handoff", measure(handoff, n))


if __name__ == "__main__":
    main()
