"""``guardrail eval`` end to end: N tickets, a fake judge answering after 200 ms,
concurrency 32 (issue 15's target: 10,000 tickets in <= 80 s; the floor is
10,000 / 32 x 0.2 s = 62.5 s).

    python benchmarks/bench_eval.py [--n 10000] [--latency 0.2] [--concurrency 32]

The fake judge (``guardrail.testing.FakeProvider``) runs in its own process, so it
shares no GIL with the evaluation; the evaluation runs in this process through the CLI
entry point (tickets read, gate decision, redaction, the real Anthropic SDK client, the
results JSONL, the JSON and HTML reports). Prints the wall time, the floor, throughput,
and the median and p99 of one ticket's latency (gate + judge, from the results file).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guardrail.cli import main  # noqa: E402
from guardrail.evaluation._sample import in_holdout  # noqa: E402
from guardrail.evaluation._scores import DIMENSIONS  # noqa: E402

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


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=640, help="tickets (10000 for the target)")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
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
                "--no-progress",
            ]  # fmt: skip
            started = time.perf_counter()
            code = main(argv)
            wall = time.perf_counter() - started
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
    )
    print(f"exit code {code}; results {len(lines)}; HTML report {html_kb:.0f} KiB")
    print(f"wall {wall:.1f} s (floor {floor:.1f} s; overhead {wall - floor:+.1f} s)")
    print(f"throughput {n / wall:.1f} tickets/s")
    print(f"per ticket: median {statistics.median(latencies):.1f} ms  p99 {p99:.1f} ms")


if __name__ == "__main__":
    main_bench()
