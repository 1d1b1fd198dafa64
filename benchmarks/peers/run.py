"""Issue 11's W1/W2 through guardrail and four peer frameworks, interleaved in one run.

    .venv/bin/python benchmarks/peers/run.py [--rounds 30] [--chunk 50] [--only NAME ...]
                                             [--json OUT] [--also-src /tmp/base/src]

One long-lived worker process per implementation (``worker.py``), each in its own venv's
python (peers: ``benchmarks/peers/.venvs/<venv>``, made by ``setup.sh``; baseline and
guardrail: the python running this script). Every worker builds its implementation,
checks each verdict once (W1 fail, W2 block, no-op pass) and warms up; then the parent
asks for ``--chunk`` timed calls of one workload at a time, round-robin over every
(workload, implementation) pair, ``--rounds`` times, rotating the order each round, so
all implementations are measured in the same time window on a loaded machine. Prints
p50/p99 (µs) per implementation and workload, each p50 as a ratio of guardrail's and of
plain Python's, the no-op cost, cold import time (median of fresh ``python -c``
processes) and the worker's peak RSS after warmup. ``--only`` picks implementations by
name or family (``guardrails_ai`` = both Guardrails AI variants); the plain-Python
baseline and guardrail always run, every ratio needs them. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from report import REFERENCE, WORKLOADS, report

HERE = Path(__file__).resolve().parent
VENVS = HERE / ".venvs"
# no telemetry, no model hub, no usage pings: nothing may leave the machine
QUIET_ENV = {
    "DO_NOT_TRACK": "1",
    "NEMO_GUARDRAILS_NO_USAGE_STATS": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "OTEL_SDK_DISABLED": "true",
    "PYTHONWARNINGS": "ignore",
}


@dataclass
class Impl:
    """One implementation: a worker module run by one python, with its own environment."""

    name: str
    label: str  # "{v}" is replaced by the version of ``dist`` the worker reports
    module: str
    venv: str | None  # None: the python running run.py (baseline, guardrail)
    imports: str  # the statement timed for cold import
    dist: str = ""  # distribution whose version is reported
    variant: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def python(self) -> Path:
        return Path(sys.executable) if self.venv is None else VENVS / self.venv / "bin" / "python"


def _guardrail(variant: str, src: str = "") -> Impl:
    tag = (Path(src).parent.name if Path(src).name == "src" else Path(src).name) if src else ""
    what = "acheck(), W2 call only" if variant == "hook" else f"{variant}()"
    return Impl(
        f"guardrail-{variant}" + (f"@{tag}" if tag else ""),
        f"guardrail {what}" + (f" [{src}]" if src else ""),
        "impl_guardrail",
        None,
        "import guardrail",
        "guardrail-gate",
        variant,
        {"PYTHONPATH": src} if src else {},
    )


def _peer(name: str, label: str, imports: str, dist: str, variant: str = "", **env: str) -> Impl:
    venv = name.split("-")[0]
    return Impl(name, label, f"impl_{venv}", venv, imports, dist, variant, env)


IMPLS = (
    Impl("baseline", "plain Python", "impl_baseline", None, "import json, re"),
    _guardrail("acheck"),
    _guardrail("check"),
    _guardrail("hook"),
    _peer("guardrails_ai", "Guardrails AI {v}", "import guardrails", "guardrails-ai"),
    _peer("guardrails_ai-sync", "Guardrails AI {v} (RUN_SYNC)", "import guardrails",
          "guardrails-ai", "sync", GUARDRAILS_RUN_SYNC="true"),
    _peer("nemo", "NeMo Guardrails {v}", "import nemoguardrails", "nemoguardrails"),
    _peer("openai_agents", "OpenAI Agents SDK {v}", "import agents", "openai-agents"),
    _peer("openai_agents-scripted", "OpenAI Agents SDK {v} (ScriptedModel)", "import agents",
          "openai-agents", "scripted"),
    _peer("pydantic_ai", "Pydantic AI {v}", "import pydantic_ai", "pydantic-ai-slim"),
)  # fmt: skip


class Worker:
    """A running worker process and its pipe."""

    def __init__(self, impl: Impl, env: dict[str, str]) -> None:
        self.impl = impl
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in impl.name)
        self.log = Path(tempfile.gettempdir()) / f"guardrail-peers-{safe}.log"
        cmd = [str(impl.python()), str(HERE / "worker.py"), impl.module, impl.variant, impl.dist]
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log.open("w"),
            text=True,
            env={**env, **impl.env},
            cwd=HERE,
        )
        self.ready: dict[str, Any] = {}

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        return self.proc.stdin, self.proc.stdout

    def read(self) -> dict[str, Any]:
        line = self._pipes()[1].readline()
        if not line:
            raise RuntimeError(f"worker exited (code {self.proc.wait()}), see {self.log}")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise RuntimeError(reply["error"] + "\n" + reply.get("trace", ""))
        return reply

    def ask(self, **cmd: Any) -> dict[str, Any]:
        stdin = self._pipes()[0]
        stdin.write(json.dumps(cmd) + "\n")
        stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def pick(only: list[str] | None, extra: list[Impl]) -> list[Impl]:
    if not only:
        return [*IMPLS, *extra]
    names = {i.name for i in IMPLS}
    for want in only:
        if not any(n == want or n.startswith(want + "-") for n in names):
            raise SystemExit(f"--only {want}: no such implementation (one of {sorted(names)})")
    chosen = {*REFERENCE, "guardrail-hook"} | {
        i.name for i in IMPLS for w in only if i.name == w or i.name.startswith(w + "-")
    }
    return [*(i for i in IMPLS if i.name in chosen), *extra]


def import_seconds(impl: Impl, env: dict[str, str]) -> float | None:
    code = f"import time\nt0 = time.perf_counter()\n{impl.imports}\nprint(time.perf_counter() - t0)"
    done = subprocess.run(
        [str(impl.python()), "-c", code],
        capture_output=True,
        text=True,
        env={**env, **impl.env},
        cwd=HERE,
        timeout=300,
    )
    if done.returncode != 0:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def tree_state() -> str:
    """The commit of the tree guardrail is imported from, and how many files differ."""
    root = HERE.parents[1]
    try:
        sha = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"{sha}" + (f" + {len(dirty)} modified files" if dirty else "")


def cold_imports(impls: list[Impl], env: dict[str, str], n: int) -> dict[str, float | None]:
    """Median of ``n`` fresh-process imports, once per (python, import statement, PYTHONPATH),
    interleaved across implementations."""
    key = {i.name: (str(i.python()), i.imports, i.env.get("PYTHONPATH", "")) for i in impls}
    first = {k: i for i in reversed(impls) for k in [key[i.name]]}
    runs: dict[tuple[str, str, str], list[float]] = {k: [] for k in first}
    for _ in range(n):
        for k, impl in first.items():
            t = import_seconds(impl, env)
            if t is not None:
                runs[k].append(t)
    return {
        i.name: statistics.median(runs[key[i.name]]) if runs[key[i.name]] else None for i in impls
    }


def start(impls: list[Impl], env: dict[str, str]) -> tuple[list[Worker], dict[str, str]]:
    """Start every worker at once; wait for each to be ready. Returns (workers, problems)."""
    problems: dict[str, str] = {}
    pending: list[Worker] = []
    for impl in impls:
        if not impl.python().exists():
            problems[impl.name] = f"skipped: run setup.sh (no {impl.python()})"
            continue
        pending.append(Worker(impl, env))
    workers: list[Worker] = []
    for w in pending:
        try:
            w.ready = w.read()
            w.ready["rss_kb"] = w.ask(rss=True)["rss_kb"]
            workers.append(w)
        except RuntimeError as exc:
            problems[w.impl.name] = f"failed: {str(exc).strip().splitlines()[0]}"
            print(f"{w.impl.name}: {exc}", file=sys.stderr)
            w.close()
    return workers, problems


def measure(
    workers: list[Worker], rounds: int, chunk: int, problems: dict[str, str]
) -> dict[str, dict[str, list[float]]]:
    """``rounds`` rounds; in each, one chunk per (workload, worker), the order rotated.
    A worker that fails is reported in ``problems`` and dropped; the others go on."""
    samples: dict[str, dict[str, list[float]]] = {w.impl.name: {} for w in workers}
    live = list(workers)
    t0 = time.monotonic()
    for r in range(rounds):
        order = live[r % len(live) :] + live[: r % len(live)] if live else []
        for workload in WORKLOADS:
            for w in order:
                if w.impl.name in problems:
                    continue
                try:
                    got = w.ask(run=workload, n=chunk)["samples"]
                except (RuntimeError, OSError) as exc:
                    problems[w.impl.name] = f"failed while timing: {str(exc).splitlines()[0]}"
                    print(f"{w.impl.name}: {exc}", file=sys.stderr)
                    continue
                samples[w.impl.name].setdefault(workload, []).extend(got)
        live = [w for w in live if w.impl.name not in problems]
        print(
            f"  round {r + 1}/{rounds}: {time.monotonic() - t0:.0f} s, "
            f"load {os.getloadavg()[0]:.2f}",
            file=sys.stderr,
        )
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--only", action="append", metavar="NAME")
    parser.add_argument("--json", metavar="OUT", type=Path)
    parser.add_argument("--imports", type=int, default=3, help="cold-import samples (0: skip)")
    parser.add_argument(
        "--also-src",
        metavar="DIR",
        action="append",
        default=[],
        help="also time guardrail check()/acheck() from this src dir (e.g. /tmp/base/src)",
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    extra = [
        _guardrail(v, str(Path(d).resolve())) for d in args.also_src for v in ("acheck", "check")
    ]
    impls = pick(args.only, extra)
    env = {**os.environ, **QUIET_ENV}
    started = datetime.now(UTC)
    load0 = os.getloadavg()
    print(
        f"{started:%Y-%m-%d %H:%M} UTC, python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}; "
        f"{args.rounds} rounds x chunks of {args.chunk}, interleaved"
    )
    tree = tree_state()
    print(f"guardrail: {tree}" + "".join(f"; also {d}" for d in args.also_src))
    print("starting workers (build, verdict check, warmup)...", file=sys.stderr)
    workers, problems = start(impls, env)
    try:
        samples = measure(workers, args.rounds, args.chunk, problems)
    finally:
        for w in workers:
            w.close()
    imports = cold_imports([i for i in impls if i.name not in problems], env, args.imports)
    load1 = os.getloadavg()
    out = report(impls, workers, problems, samples, imports)
    print(
        f"load average at the end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}; "
        f"{(datetime.now(UTC) - started).total_seconds():.0f} s in all"
    )
    if args.json:
        meta = {
            "started": started.isoformat(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_start": load0,
            "load_end": load1,
            "rounds": args.rounds,
            "chunk": args.chunk,
            "also_src": args.also_src,
            "guardrail_tree": tree,
        }
        args.json.write_text(json.dumps({"meta": meta, **out}, indent=2) + "\n")


if __name__ == "__main__":
    main()
