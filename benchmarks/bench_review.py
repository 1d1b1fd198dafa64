"""Benchmark the QA review gate against the loopback fake provider.

    python benchmarks/bench_review.py [--latency 0.05] [--runs 200] [--concurrent 500]

Prints, with this machine's numbers:

1. added latency: ``acheck`` wall time minus the provider's fixed latency L
   (median and p99 over ``--runs`` sequential checks; target: ≤ 5 ms at p50);
2. concurrency: ``--concurrent`` simultaneous ``acheck`` calls on one event loop with
   L = 1 s (target: all done in ≤ 1.3 s);
3. early exit: a critical deterministic finding with L = 1 s (target: returns without
   waiting for L; the review task is cancelled).

The gate is built with the tools layer (empty registry) and the review layer only, so
the numbers are the review's; the fake server runs in its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guardrail import Code, Finding, Guardrail, LayerName, LayerResult  # noqa: E402
from guardrail.layers import CheckContext  # noqa: E402
from guardrail.review import AnthropicReviewer, OpenAIReviewer, ReviewLayer  # noqa: E402


@contextlib.contextmanager
def fake_provider(latency: float) -> Iterator[str]:
    """The loopback fake provider in its own process (a provider is another machine: it
    must not share this process's GIL); yields its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "guardrail.testing._fake_provider", "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)


CONVERSATION = {
    "tenant": "bench",
    "id": "bench-1",
    "as_of": "2026-11-20T10:00:00Z",
    "messages": [{"role": "customer", "text": "Can I still return my boots?"}],
}
DRAFT = {"text": "Yes, within 30 days of delivery.", "model": "agent-model"}


class Blocker:
    """A deterministic layer that always finds something critical."""

    name = LayerName.grounding

    async def run(self, ctx: CheckContext) -> LayerResult:
        finding = Finding.of(LayerName.grounding, Code.POLICY_CONTRADICTION, "bench block")
        return LayerResult(findings=(finding,))


def guard(provider: str, url: str, *, block: bool = False) -> Guardrail:
    cls = AnthropicReviewer if provider == "anthropic" else OpenAIReviewer
    reviewer = cls("reviewer-model", api_key="bench", base_url=url, timeout_s=10.0)
    layer = ReviewLayer(reviewer, timeout_s=10.0)
    return Guardrail(tenant="bench", review=layer, grounding=Blocker() if block else None)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def added_latency(provider: str, latency: float, runs: int) -> None:
    with fake_provider(latency) as url:
        g = guard(provider, url)
        for _ in range(5):  # warm up: client, connection pool, imports
            await g.acheck(CONVERSATION, DRAFT)
        added = []
        cpu0 = time.process_time()
        for _ in range(runs):
            t0 = time.perf_counter()
            decision = await g.acheck(CONVERSATION, DRAFT)
            added.append((time.perf_counter() - t0 - latency) * 1000.0)
            assert decision.review is not None and decision.review.verdict == "approve"
        cpu = (time.process_time() - cpu0) / runs * 1000.0
        await g.review.aclose()  # type: ignore[union-attr]
    print(
        f"[{provider}] added latency over L={latency * 1000:.0f} ms, {runs} runs: "
        f"median {statistics.median(added):.2f} ms, p99 {pct(added, 0.99):.2f} ms "
        f"(target p50 <= 5 ms); gate CPU {cpu:.2f} ms per check"
    )


async def concurrency(provider: str, n: int) -> None:
    with fake_provider(1.0) as url:
        g = guard(provider, url)
        await g.acheck(CONVERSATION, DRAFT)  # warm up
        t0, cpu0 = time.perf_counter(), time.process_time()
        decisions = await asyncio.gather(*(g.acheck(CONVERSATION, DRAFT) for _ in range(n)))
        total, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        await g.review.aclose()  # type: ignore[union-attr]
    ok = sum(d.review is not None and d.review.verdict == "approve" for d in decisions)
    print(
        f"[{provider}] {n} concurrent acheck, L=1 s: {total:.3f} s total, "
        f"{ok}/{n} reviewed, gate CPU {cpu:.3f} s (target <= 1.3 s)"
    )


async def early_exit(provider: str, runs: int) -> None:
    with fake_provider(1.0) as url:
        g = guard(provider, url, block=True)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            decision = await g.acheck(CONVERSATION, DRAFT)
            times.append((time.perf_counter() - t0) * 1000.0)
            assert decision.action.value == "escalate" and decision.review is None
        await g.review.aclose()  # type: ignore[union-attr]
    print(
        f"[{provider}] deterministic block with L=1 s, {runs} runs: "
        f"median {statistics.median(times):.2f} ms, p99 {pct(times, 0.99):.2f} ms "
        f"(target: far below 1000 ms)"
    )


def machine() -> str:
    """This machine's speed and load, to read the numbers against."""
    import os
    import timeit

    best = min(timeit.repeat("sum(range(10000))", number=200, repeat=5)) / 200 * 1e6
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {os.cpu_count()} CPUs, load average {load:.2f}, "
        f"sum(range(10000)) = {best:.0f} us (a 2024 laptop: ~90 us)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="L in seconds (part 1)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=500)
    parser.add_argument("--provider", choices=["anthropic", "openai", "both"], default="both")
    args = parser.parse_args()
    providers = ["anthropic", "openai"] if args.provider == "both" else [args.provider]
    print(machine())
    for provider in providers:
        await added_latency(provider, args.latency, args.runs)
        await concurrency(provider, args.concurrent)
        await early_exit(provider, 50)


if __name__ == "__main__":
    asyncio.run(main())
