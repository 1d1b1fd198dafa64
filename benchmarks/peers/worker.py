"""One benchmark worker: builds one implementation and times it on request over a pipe.

    <venv>/bin/python benchmarks/peers/worker.py impl_openai_agents [variant] [distribution]

Started by ``run.py`` (never by hand, except to debug). Protocol: JSON lines. The worker
writes one ``{"ready": ...}`` line once the implementation is built, its verdicts checked
and warmed up, then answers each command read from stdin:

* ``{"run": "W1", "n": 200}`` -> ``{"samples": [µs, ...]}`` (one sample per call);
* ``{"rss": true}`` -> ``{"rss_kb": ...}`` (``ru_maxrss`` of this process).

Protocol lines go to a private copy of the original stdout; fd 1 is pointed at stderr so
that anything a framework prints cannot corrupt the protocol. An ``async def`` workload
is timed inside one coroutine per chunk (``await fn()`` between two clock reads), the
way an async server would call it; a plain function is timed with a plain call.
Standard library only (runs in every peer venv).
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import inspect
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
EXPECTED = {"W1": "fail", "W2": "block", "noop": "pass"}
WARMUP = 200


def _protocol_stream() -> TextIO:
    """A private stream on the original stdout; fd 1 then goes to stderr."""
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return proto


def _sync_chunk(fn: Callable[[], Any], n: int) -> list[float]:
    clock = time.perf_counter
    out: list[float] = []
    for _ in range(n):
        t0 = clock()
        fn()
        out.append((clock() - t0) * 1e6)
    return out


async def _async_chunk(fn: Callable[[], Any], n: int) -> list[float]:
    clock = time.perf_counter
    out: list[float] = []
    for _ in range(n):
        t0 = clock()
        await fn()
        out.append((clock() - t0) * 1e6)
    return out


class Runner:
    """Runs sync and async workloads; async ones on one long-lived event loop."""

    def __init__(self, workloads: dict[str, Callable[[], Any]]) -> None:
        self.workloads = workloads
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

    def once(self, name: str) -> Any:
        fn = self.workloads[name]
        if inspect.iscoroutinefunction(fn):
            return self.loop.run_until_complete(fn())
        return fn()

    def chunk(self, name: str, n: int) -> list[float]:
        fn = self.workloads[name]
        if inspect.iscoroutinefunction(fn):
            return self.loop.run_until_complete(_async_chunk(fn, n))
        return _sync_chunk(fn, n)


def _version(dist: str) -> str:
    if not dist:
        return ""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def main() -> None:
    proto = _protocol_stream()
    module_name = sys.argv[1]
    variant = sys.argv[2] if len(sys.argv) > 2 else ""
    dist = sys.argv[3] if len(sys.argv) > 3 else ""
    sys.path.insert(0, str(HERE))
    try:
        t0 = time.perf_counter()
        module = importlib.import_module(module_name)
        workloads: dict[str, Callable[[], Any]] = module.build(variant)
        build_s = time.perf_counter() - t0
        runner = Runner(workloads)
        verdicts = {name: runner.once(name) for name in workloads}
        for name, verdict in verdicts.items():
            want = EXPECTED.get(name.split()[0])
            if verdict != want:
                raise AssertionError(f"{module_name} {name}: verdict {verdict!r}, want {want!r}")
        for name in workloads:
            runner.chunk(name, WARMUP)
    except BaseException as exc:  # report any failure to the parent, then exit
        detail = "".join(traceback.format_exception(exc))
        proto.write(json.dumps({"error": f"{type(exc).__name__}: {exc}", "trace": detail}) + "\n")
        return
    ready = {
        "ready": True,
        "workloads": list(workloads),
        "verdicts": verdicts,
        "build_s": build_s,
        "python": sys.version.split()[0],
        "version": _version(dist),
    }
    proto.write(json.dumps(ready) + "\n")
    for line in sys.stdin:
        cmd = json.loads(line)
        if "run" in cmd:
            reply: dict[str, Any] = {"samples": runner.chunk(cmd["run"], int(cmd["n"]))}
        elif "rss" in cmd:
            reply = {"rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
        else:
            reply = {"error": f"unknown command {cmd!r}"}
        proto.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
