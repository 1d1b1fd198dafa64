"""The QA review path, held to the bare SDK's floor measured in the same run (issue 11).

    python benchmarks/bench_review.py [--latency 0.05] [--rounds 20] [--chunk 10]
                                      [--concurrent 500] [--provider anthropic|openai|both]

Every comparison is between the gate and the *bare* official SDK client making the same
request (the same system prompt, user prompt and forced tool) to the same loopback fake
provider, which runs in its own process. Absolute figures drift on a shared machine; the
differences and ratios below are measured interleaved in one run, and are what we quote.

1. **CPU per reviewed check** (L = ``--latency``): chunks of ``--chunk`` sequential gate
   ``acheck()`` calls alternate with chunks of bare SDK requests, ``--rounds`` times;
   this process's CPU per request for each, and the difference (target: the gate adds
   ≤ 0.5 ms of CPU above the bare SDK). Wall time over L is printed beside it.
2. **Concurrency** (L = 1 s): ``--concurrent`` simultaneous requests on one event loop,
   bare SDK and gate alternated twice; the ratio of the gate's wall time to the bare
   SDK's (target ≤ 1.1×).
3. **Two worker processes**: the same ``--concurrent`` gate checks split over two
   processes, each with its own event loop and client (how to scale the review path
   past one core's CPU).
4. **Early exit**: a critical deterministic finding with L = 1 s returns without a model
   call.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import anthropic  # noqa: E402
import openai  # noqa: E402

from guardrail import Code, Finding, Guardrail, LayerName, LayerResult  # noqa: E402
from guardrail.layers import CheckContext  # noqa: E402
from guardrail.review import AnthropicReviewer, OpenAIReviewer, ReviewLayer  # noqa: E402
from guardrail.review._prompt import ANSWER_SCHEMA, TOOL_DESCRIPTION, TOOL_NAME  # noqa: E402
from guardrail.testing import FunctionReviewer, answer  # noqa: E402

CONVERSATION = {
    "tenant": "bench",
    "id": "bench-1",
    "as_of": "2026-11-20T10:00:00Z",
    "messages": [{"role": "customer", "text": "Can I still return my boots?"}],
}
DRAFT = {"text": "Yes, within 30 days of delivery.", "model": "agent-model"}
MODEL = "reviewer-model"


@contextlib.contextmanager
def fake_provider(latency: float) -> Iterator[str]:
    """The loopback fake provider in its own process (a provider is another machine: it
    must not share this process's GIL); yields its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "guardrail.testing._fake_provider", "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(10)


class Blocker:
    """A deterministic layer that always finds something critical."""

    name = LayerName.grounding

    async def run(self, ctx: CheckContext) -> LayerResult:
        finding = Finding.of(LayerName.grounding, Code.POLICY_CONTRADICTION, "bench block")
        return LayerResult(findings=(finding,))


def guard(provider: str, url: str, *, block: bool = False) -> Guardrail:
    cls = AnthropicReviewer if provider == "anthropic" else OpenAIReviewer
    reviewer = cls(MODEL, api_key="bench", base_url=url, timeout_s=30.0)
    layer = ReviewLayer(reviewer, timeout_s=30.0)
    return Guardrail(tenant="bench", review=layer, grounding=Blocker() if block else None)


async def the_request() -> tuple[str, str]:
    """The system and user prompts the gate sends for CONVERSATION/DRAFT."""
    seen: list[Any] = []

    def judge(request: Any) -> Any:
        seen.append(request)
        return answer("approve")

    gate = Guardrail(tenant="bench", review=ReviewLayer(FunctionReviewer(judge)))
    await gate.acheck(CONVERSATION, DRAFT)
    return seen[0].system, seen[0].prompt


class Bare:
    """The floor: the official SDK used directly, the way an application calls it."""

    def __init__(self, provider: str, url: str, system: str, prompt: str) -> None:
        self.provider = provider
        self.system, self.prompt = system, prompt
        if provider == "anthropic":
            self.anthropic = anthropic.AsyncAnthropic(api_key="bench", base_url=url, max_retries=0)
        else:
            self.openai = openai.AsyncOpenAI(api_key="bench", base_url=url, max_retries=0)

    async def call(self) -> None:
        if self.provider == "anthropic":
            message = await self.anthropic.messages.create(
                model=MODEL,
                max_tokens=2048,
                system=self.system,
                messages=[{"role": "user", "content": self.prompt}],
                tools=[
                    {
                        "name": TOOL_NAME,
                        "description": TOOL_DESCRIPTION,
                        "input_schema": ANSWER_SCHEMA,
                    }
                ],
                tool_choice={"type": "tool", "name": TOOL_NAME},
            )
            assert message.content[0].type == "tool_use"
        else:
            completion = await self.openai.chat.completions.create(
                model=MODEL,
                messages=[
                    {"role": "system", "content": self.system},
                    {"role": "user", "content": self.prompt},
                ],
                tools=[
                    {
                        "type": "function",
                        "function": {
                            "name": TOOL_NAME,
                            "description": TOOL_DESCRIPTION,
                            "parameters": ANSWER_SCHEMA,
                            "strict": True,
                        },
                    }
                ],
                tool_choice={"type": "function", "function": {"name": TOOL_NAME}},
            )
            assert completion.choices[0].message.tool_calls

    async def aclose(self) -> None:
        client = self.anthropic if self.provider == "anthropic" else self.openai
        await client.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def gate_call(g: Guardrail) -> None:
    decision = await g.acheck(CONVERSATION, DRAFT)
    assert decision.review is not None and decision.review.verdict == "approve", decision


async def timed_chunk(
    call: Callable[[], Awaitable[None]], n: int, walls: list[float], cpus: list[float]
) -> None:
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        await call()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)


async def cpu_per_check(provider: str, latency: float, rounds: int, chunk: int) -> None:
    system, prompt = await the_request()
    with fake_provider(latency) as url:
        g, bare = guard(provider, url), Bare(provider, url, system, prompt)
        for _ in range(5):  # warm up: clients, connection pools, imports
            await gate_call(g)
            await bare.call()
        walls: dict[str, list[float]] = {"gate": [], "bare": []}
        cpus: dict[str, list[float]] = {"gate": [], "bare": []}
        for _ in range(rounds):
            await timed_chunk(lambda: gate_call(g), chunk, walls["gate"], cpus["gate"])
            await timed_chunk(bare.call, chunk, walls["bare"], cpus["bare"])
        await g.review.aclose()  # type: ignore[union-attr]
        await bare.aclose()
    ms = {k: [v * 1000.0 for v in vals] for k, vals in cpus.items()}
    over = {k: [(v - latency) * 1000.0 for v in vals] for k, vals in walls.items()}
    gate_cpu, bare_cpu = statistics.median(ms["gate"]), statistics.median(ms["bare"])
    print(f"[{provider}] 1. CPU per request, L={latency * 1000:.0f} ms, {len(ms['gate'])} each:")
    for k in ("bare", "gate"):
        print(
            f"    {k:5} CPU median {statistics.median(ms[k]):.3f} ms  p99 {pct(ms[k], 0.99):.3f}"
            f"   wall over L median {statistics.median(over[k]):.2f} ms"
            f"  p99 {pct(over[k], 0.99):.2f}"
        )
    verdict = "met" if gate_cpu - bare_cpu <= 0.5 else "NOT met"
    print(f"    gate - bare: {gate_cpu - bare_cpu:+.3f} ms of CPU (target <= 0.5 ms: {verdict})")


async def burst(call: Callable[[], Awaitable[None]], n: int) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    await asyncio.gather(*(call() for _ in range(n)))
    return time.perf_counter() - t0, time.process_time() - c0


async def concurrency(provider: str, n: int) -> None:
    system, prompt = await the_request()
    with fake_provider(1.0) as url:
        g, bare = guard(provider, url), Bare(provider, url, system, prompt)
        await gate_call(g)
        await bare.call()
        runs: dict[str, list[tuple[float, float]]] = {"bare": [], "gate": []}
        for _ in range(2):
            runs["bare"].append(await burst(bare.call, n))
            runs["gate"].append(await burst(lambda: gate_call(g), n))
        await g.review.aclose()  # type: ignore[union-attr]
        await bare.aclose()
    wall = {k: min(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: min(c for _, c in v) for k, v in runs.items()}
    ratio = wall["gate"] / wall["bare"]
    print(f"[{provider}] 2. {n} concurrent requests, L=1 s, one event loop (best of 2 each):")
    print(
        f"    bare {wall['bare']:.3f} s (CPU {cpu['bare']:.3f} s)   "
        f"gate {wall['gate']:.3f} s (CPU {cpu['gate']:.3f} s)   ratio {ratio:.2f}x "
        f"(target <= 1.1x: {'met' if ratio <= 1.1 else 'NOT met'})"
    )


def _worker(provider: str, url: str, n: int, start: Any, out: Any) -> None:
    async def run() -> float:
        g = guard(provider, url)
        await gate_call(g)  # warm up before the common start
        start.wait()
        t0 = time.perf_counter()
        await asyncio.gather(*(gate_call(g) for _ in range(n)))
        done = time.perf_counter() - t0
        await g.review.aclose()  # type: ignore[union-attr]
        return done

    out.put(asyncio.run(run()))


def two_workers(provider: str, n: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    with fake_provider(1.0) as url:
        start, out = ctx.Barrier(3), ctx.Queue()
        procs = [
            ctx.Process(target=_worker, args=(provider, url, n // 2, start, out)) for _ in range(2)
        ]
        for p in procs:
            p.start()
        start.wait()
        t0 = time.perf_counter()
        each = [out.get(timeout=120) for _ in procs]
        total = time.perf_counter() - t0
        for p in procs:
            p.join(30)
    print(
        f"[{provider}] 3. {n} concurrent gate checks over 2 worker processes "
        f"({n // 2} each), L=1 s: {total:.3f} s wall (workers {each[0]:.3f} / {each[1]:.3f} s)"
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
        f"[{provider}] 4. deterministic block with L=1 s, {runs} runs: "
        f"median {statistics.median(times):.2f} ms, p99 {pct(times, 0.99):.2f} ms "
        f"(no model call is made)"
    )


def machine() -> str:
    """This machine's speed and load, to read the numbers against."""
    best = min(timeit.repeat("sum(range(10000))", number=200, repeat=5)) / 200 * 1e6
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {os.cpu_count()} CPUs, load average {load:.2f}, "
        f"sum(range(10000)) = {best:.0f} us (a 2024 laptop: ~90 us)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="L in seconds (part 1)")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved chunks (part 1)")
    parser.add_argument("--chunk", type=int, default=10, help="requests per chunk (part 1)")
    parser.add_argument("--concurrent", type=int, default=500)
    parser.add_argument("--provider", choices=["anthropic", "openai", "both"], default="both")
    args = parser.parse_args()
    providers = ["anthropic", "openai"] if args.provider == "both" else [args.provider]
    print(machine())
    for provider in providers:
        asyncio.run(cpu_per_check(provider, args.latency, args.rounds, args.chunk))
        asyncio.run(concurrency(provider, args.concurrent))
        two_workers(provider, args.concurrent)
        asyncio.run(early_exit(provider, 50))
    print(machine().replace("machine:", "at the end:"))


if __name__ == "__main__":
    main()
