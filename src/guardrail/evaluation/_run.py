"""Running an evaluation: results appended as they complete (resumable), a progress
line, worker processes.

A rerun skips ticket ids already in ``results.jsonl``; a ticket whose judge failed is
recorded with its error (it counts as not passing) and retried by the next run. What one
ticket goes through is in :mod:`._score`; sharding over processes in :mod:`._shard`.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..pipeline import Guardrail
from ._judge import Judge
from ._score import RunSettings, score_all
from ._shard import run_sharded
from ._tickets import Agent, Ticket

__all__ = [
    "RESULTS",
    "done_ids",
    "read_results",
    "run",
    "workers_for",
]

RESULTS = "results.jsonl"


def read_results(out: Path) -> list[dict[str, Any]]:
    """Every result line in ``out``, the last one per ticket id winning; a torn last
    line (a crash mid-write) is ignored."""
    path = out / RESULTS
    latest: dict[str, dict[str, Any]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                latest[record["id"]] = record
    return list(latest.values())


def done_ids(out: Path) -> set[str]:
    """Ticket ids already scored without error."""
    return {r["id"] for r in read_results(out) if r.get("error") is None}


def _end_torn_line(path: Path) -> None:
    """A crash mid-write leaves a last line without its newline: end it, so the next
    record starts a line of its own (the torn one is ignored when read)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as fh:
        fh.seek(-1, 2)
        if fh.read(1) != b"\n":
            fh.write(b"\n")


class _Progress:
    def __init__(self, stream: TextIO | None, total: int) -> None:
        self.stream, self.total, self.done = stream, total, 0
        self.started = self.last = time.monotonic()

    def tick(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self.stream is None or (now - self.last < 0.5 and self.done < self.total):
            return
        self.last = now
        rate = self.done / max(now - self.started, 1e-9)
        eta = (self.total - self.done) / rate if rate else 0.0
        width = 30
        bar = "#" * int(width * self.done / max(self.total, 1))
        self.stream.write(
            f"\reval [{bar:<{width}}] {self.done}/{self.total} {rate:.1f}/s eta {eta:.0f}s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def workers_for(settings: RunSettings, todo: int) -> int:
    """How many worker processes to use: never more than the tickets to do or the
    tickets allowed in flight; 1 without ``fork`` (the workers inherit the gate, the
    judge and the agent)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(settings.workers, settings.concurrency, todo))


async def run(
    tickets: Sequence[Ticket],
    *,
    gate: Guardrail,
    judge: Judge,
    out: Path,
    agent: Agent | None = None,
    settings: RunSettings | None = None,
) -> int:
    """Score every ticket not already done in ``out``; returns how many were scored now.

    With ``settings.workers`` above 1 the tickets are sharded over that many worker
    processes (see :mod:`._shard`); this process alone writes ``results.jsonl``.
    A :class:`~guardrail.errors.ConfigError` (judge of the draft's family) or an
    agent error stops the run; what completed before stays in ``results.jsonl``."""
    settings = settings or RunSettings()
    out.mkdir(parents=True, exist_ok=True)
    skip = done_ids(out)
    todo = [t for t in tickets if t.id not in skip]
    progress = _Progress(settings.progress, len(todo))
    _end_torn_line(out / RESULTS)
    workers = workers_for(settings, len(todo))
    with open(out / RESULTS, "a", encoding="utf-8") as sink:
        if workers > 1:
            await judge.aclose()  # nothing of this loop's may reach the workers
            run_sharded(
                todo, gate=gate, judge=judge, agent=agent, settings=settings, workers=workers,
                sink=sink, tick=progress.tick,
            )  # fmt: skip
            return len(todo)

        def emit(line: str) -> None:
            sink.write(line)
            sink.flush()
            progress.tick()

        await score_all(
            todo, gate=gate, judge=judge, agent=agent, settings=settings,
            concurrency=settings.concurrency, emit=emit,
        )  # fmt: skip
    return len(todo)


def default_progress() -> TextIO:
    return sys.stderr
