"""Running an evaluation: concurrent workers, results appended as they complete
(resumable), a progress line, token usage.

Each ticket: (optionally) a fresh draft from the agent → the gate's decision on the
draft → the judge's scores on the redacted ticket (one retry policy) → one JSON line in
``results.jsonl``. A rerun skips ticket ids already there; a ticket whose judge failed
is recorded with its error (it counts as not passing) and retried by the next run.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import GuardrailError, ReviewUnavailable, UserError
from ..models import Action, Decision, Draft
from ..pipeline import Guardrail
from ..redact import Redactor
from ._judge import Judge, build_prompt, check_family, judge_once
from ._sample import in_holdout
from ._scores import DIMENSIONS, Scores
from ._tickets import Agent, Ticket, redraft

__all__ = ["RESULTS", "RunSettings", "done_ids", "gate_vs_judge", "read_results", "run"]

RESULTS = "results.jsonl"
_REDACTOR = Redactor()


@dataclass(frozen=True)
class RunSettings:
    concurrency: int = 8
    min_score: int = 2
    max_attempts: int = 3
    timeout_s: float = 60.0
    progress: TextIO | None = field(default=None)


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


def gate_vs_judge(decision: dict[str, Any], scores: Scores | None, min_score: int) -> str | None:
    """Why the gate and the judge disagree on a draft, or None."""
    if scores is None:
        return None
    judged_ok = scores.lowest() >= min_score
    released = decision["action"] != Action.escalate.value
    if released and not judged_ok:
        low = [d for d in DIMENSIONS if scores.of(d).score < min_score]
        done = "rewrote" if decision["action"] == Action.rewrite.value else "released"
        return f"gate {done} it; judge scored below {min_score} on {', '.join(low)}"
    if not released and judged_ok:
        return f"gate escalated ({', '.join(decision['codes']) or 'no finding'}); judge passed"
    blocked = decision["blocked_tool_calls"]
    if blocked and scores.tool_call_correctness.score >= min_score:
        return "gate blocked a tool call; judge scored tool_call_correctness acceptable"
    return None


def _decision_summary(decision: Decision) -> dict[str, Any]:
    return {
        "action": decision.action.value,
        "codes": sorted(f.code.value for f in decision.findings),
        "findings": [
            {"layer": f.layer.value, "code": f.code.value, "message": _REDACTOR.text(f.message)}
            for f in decision.findings
        ],
        "blocked_tool_calls": sum(1 for c in decision.tool_calls if not c.allowed),
    }


async def _one(
    ticket: Ticket,
    *,
    gate: Guardrail,
    judge: Judge,
    agent: Agent | None,
    settings: RunSettings,
) -> dict[str, Any]:
    started = time.perf_counter()
    draft: Draft | None = ticket.draft
    if agent is not None:
        try:
            draft = await redraft(agent, ticket.conversation)
        except GuardrailError:
            raise
        except Exception as exc:
            raise UserError(
                f"the agent raised {type(exc).__name__} on ticket {ticket.id}; the tickets "
                "scored so far are kept, rerun to resume"
            ) from exc
    assert draft is not None  # load_tickets requires a draft without an agent
    check_family(judge.model, draft.model, ticket.id)
    decision = _decision_summary(await gate.acheck(ticket.conversation, draft))
    record: dict[str, Any] = {
        "id": ticket.id,
        "intent": ticket.intent,
        "split": "holdout" if in_holdout(ticket.id) else "dev",
        "draft_model": draft.model,
        "judge_model": judge.model,
        "gate": decision,
        "scores": None,
        "passed": False,
        "error": None,
        "usage": {"input_tokens": 0, "output_tokens": 0},
        "attempts": 0,
    }
    try:
        reply, attempts = await judge_once(
            judge,
            build_prompt(ticket.conversation, draft),
            max_attempts=settings.max_attempts,
            timeout_s=settings.timeout_s,
        )
    except (ReviewUnavailable, TimeoutError) as exc:
        record["error"] = getattr(exc, "reason", type(exc).__name__)
        record["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return record
    record["scores"] = reply.scores.model_dump()
    record["passed"] = reply.scores.lowest() >= settings.min_score
    record["usage"] = reply.usage.model_dump()
    record["attempts"] = attempts
    record["disagreement"] = gate_vs_judge(decision, reply.scores, settings.min_score)
    record["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return record


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


async def run(
    tickets: Sequence[Ticket],
    *,
    gate: Guardrail,
    judge: Judge,
    out: Path,
    agent: Agent | None = None,
    settings: RunSettings = RunSettings(),
) -> int:
    """Score every ticket not already done in ``out``; returns how many were scored now.

    A :class:`~guardrail.errors.ConfigError` (judge of the draft's family) or an
    agent error stops the run; what completed before stays in ``results.jsonl``."""
    out.mkdir(parents=True, exist_ok=True)
    skip = done_ids(out)
    todo = [t for t in tickets if t.id not in skip]
    queue: asyncio.Queue[Ticket] = asyncio.Queue()
    for ticket in todo:
        queue.put_nowait(ticket)
    progress = _Progress(settings.progress, len(todo))
    _end_torn_line(out / RESULTS)
    with open(out / RESULTS, "a", encoding="utf-8") as sink:

        async def worker() -> None:
            while True:
                try:
                    ticket = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                record = await _one(ticket, gate=gate, judge=judge, agent=agent, settings=settings)
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                sink.flush()
                progress.tick()

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(max(1, min(settings.concurrency, len(todo)))):
                    group.create_task(worker())
        except BaseExceptionGroup as eg:
            raise eg.exceptions[0] from None
        finally:
            await judge.aclose()
    return len(todo)


def default_progress() -> TextIO:
    return sys.stderr
