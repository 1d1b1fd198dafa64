"""``guardrail eval`` end to end: N tickets, a fake judge answering after 200 ms,
concurrency 32 (issue 15's target: 10,000 tickets in <= 80 s; the floor is
10,000 / 32 x 0.2 s = 62.5 s).

    python benchmarks/bench_eval.py [--n 10000] [--latency 0.2] [--concurrency 32]

The fake judge (``guardrail.testing.FakeProvider``) runs in its own process, so it
shares no GIL with the evaluation; the evaluation runs in this process through the CLI
entry point (tickets read, gate decision, redaction, the real Anthropic SDK client, the
results JSONL, the JSON and HTML reports). Prints the wall time, the floor, throughput,
the median and p99 of one ticket's latency (gate + judge, from the results file), the
CPU seconds of the evaluation (its worker processes included) and of the fake judge, and
the load average.

The *measured floor* is the same judge with nothing else: no gate, no redaction, no
results file, the same Anthropic SDK client against the same fake server, at the same
concurrency over the same number of worker processes (``--no-floor`` skips it). The gap
between it and the run is the cost of the gate and the bookkeeping; the gap between it
and the arithmetic floor (n / concurrency x latency) is the SDK's and the machine's.

    python benchmarks/bench_eval.py --n 10000 [--workers 2] [--no-floor]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guardrail.cli import main  # noqa: E402
from guardrail.evaluation._commands import default_workers  # noqa: E402
from guardrail.evaluation._judge import SYSTEM, build_prompt, make_judge  # noqa: E402
from guardrail.evaluation._sample import in_holdout  # noqa: E402
from guardrail.evaluation._scores import DIMENSIONS  # noqa: E402
from guardrail.evaluation._shard import split_concurrency  # noqa: E402
from guardrail.evaluation._tickets import load_tickets  # noqa: E402

ACME = ROOT / "examples" / "acme" / "guardrail.toml"
SAMPLE = ROOT / "examples" / "eval" / "tickets.jsonl"
_SERVER = """
import sys
from guardrail.testing import FakeProvider, Step
payload = {d: {"score": 3, "reasoning": "ok", "confidence": 0.9} for d in sys.argv[2:]}
with FakeProvider(default=Step.invalid(payload, latency=float(sys.argv[1]))) as fake:
    print(fake.url, flush=True)
    sys.stdin.read()
"""


def write_tickets(path: Path, n: int) -> int:
    """``n`` development tickets cycled from the sample file (holdout ids skipped)."""
    base = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    written = k = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < n:
            row = base[k % len(base)]
            k += 1
            tid = f"bench-{k:06d}"
            if in_holdout(tid):
                continue
            fh.write(json.dumps(dict(row, id=tid)) + "\n")
            written += 1
    return written


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # joined workers (and servers)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


async def _bare(url: str, prompts: Sequence[str], concurrency: int) -> None:
    judge = make_judge("anthropic", "claude-judge", api_key="bench", base_url=url, timeout_s=60)
    queue: asyncio.Queue[str] = asyncio.Queue()
    for prompt in prompts:
        queue.put_nowait(prompt)

    async def worker() -> None:
        while not queue.empty():
            await judge.score(SYSTEM, queue.get_nowait())

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await judge.aclose()


def _bare_process(url: str, prompts: Sequence[str], concurrency: int) -> None:
    asyncio.run(_bare(url, prompts, concurrency))


def measured_floor(url: str, tickets: Path, n: int, concurrency: int, workers: int) -> float:
    """Wall seconds for n bare judge calls (no gate), sharded as the run is."""
    loaded = load_tickets(tickets, need_draft=True).tickets
    prompts = [build_prompt(t.conversation, t.draft) for t in loaded[:n] if t.draft is not None]
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    procs = [
        context.Process(target=_bare_process, args=(url, prompts[i::workers], c))
        for i, c in enumerate(split_concurrency(concurrency, workers))
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    return time.perf_counter() - started


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=640, help="tickets (10000 for the target)")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, help="--workers for guardrail eval (its default)")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare-judge floor")
    args = parser.parse_args()
    workers = args.workers or default_workers(False)
    load_before = os.getloadavg()
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(args.latency), *DIMENSIONS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        os.environ["BENCH_EVAL_KEY"] = "bench"
        with tempfile.TemporaryDirectory() as tmp:
            tickets = Path(tmp) / "tickets.jsonl"
            n = write_tickets(tickets, args.n)
            out = Path(tmp) / "out"
            argv = [
                "eval", "--config", str(ACME), "--tickets", str(tickets), "--out", str(out),
                "--judge-provider", "anthropic", "--judge-model", "claude-judge",
                "--judge-base-url", url, "--judge-api-key-env", "BENCH_EVAL_KEY",
                "--concurrency", str(args.concurrency), "--threshold", "0.01",
                "--no-progress", "--workers", str(workers),
            ]  # fmt: skip
            server_cpu = _cpu(server.pid)
            cpu = _own_cpu()
            started = time.perf_counter()
            code = main(argv)
            wall = time.perf_counter() - started
            cpu = _own_cpu() - cpu
            server_cpu = _cpu(server.pid) - server_cpu
            load_after = os.getloadavg()
            bare = None
            if not args.no_floor:
                bare = measured_floor(url, tickets, n, args.concurrency, workers)
            lines = (out / "results.jsonl").read_text().splitlines()
            latencies = sorted(json.loads(line)["latency_ms"] for line in lines)
            html_kb = (out / "dev-report.html").stat().st_size / 1024
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(10)
    floor = n / args.concurrency * args.latency
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"tickets {n}  concurrency {args.concurrency}  judge latency {args.latency * 1000:.0f} ms"
        f"  workers {workers}"
    )
    print(f"exit code {code}; results {len(lines)}; HTML report {html_kb:.0f} KiB")
    print(f"wall {wall:.1f} s (floor {floor:.1f} s; overhead {wall - floor:+.1f} s)")
    if bare is not None:
        print(f"measured floor (bare judge, no gate, same server and sharding) {bare:.1f} s")
    print(f"throughput {n / wall:.1f} tickets/s")
    print(
        f"CPU: eval {cpu:.1f} s ({cpu / n * 1000:.2f} ms/ticket, workers included); "
        f"fake judge {server_cpu:.1f} s"
    )
    print(
        "load average (1/5/15 min) before "
        + "/".join(f"{x:.2f}" for x in load_before)
        + ", after the run "
        + "/".join(f"{x:.2f}" for x in load_after)
    )
    print(f"per ticket: median {statistics.median(latencies):.1f} ms  p99 {p99:.1f} ms")


if __name__ == "__main__":
    main_bench()
