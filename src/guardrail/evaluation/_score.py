"""Scoring one ticket, and a shard of tickets on one event loop.

Each ticket: (optionally) a fresh draft from the agent → the gate's decision on the
draft → the judge's scores on the redacted ticket (one retry policy) → one record, a
JSON line for ``results.jsonl``. A ticket whose judge failed is recorded with its error
(it counts as not passing).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..errors import GuardrailError, ReviewUnavailable, UserError
from ..models import Action, Decision, Draft
from ..pipeline import Guardrail
from ..redact import Redactor
from ._judge import Judge, build_prompt, check_family, judge_once
from ._sample import in_holdout
from ._scores import DIMENSIONS, Scores
from ._tickets import Agent, Ticket, redraft

__all__ = ["RunSettings", "gate_vs_judge", "score_all"]

_REDACTOR = Redactor()


@dataclass(frozen=True)
class RunSettings:
    concurrency: int = 8
    min_score: int = 2
    max_attempts: int = 3
    timeout_s: float = 60.0
    progress: TextIO | None = field(default=None)
    #: Worker processes (1: everything on this process's event loop).
    workers: int = 1


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


async def score_all(
    tickets: Sequence[Ticket],
    *,
    gate: Guardrail,
    judge: Judge,
    agent: Agent | None,
    settings: RunSettings,
    concurrency: int,
    emit: Callable[[str], None],
) -> None:
    """Score ``tickets`` on the running loop, ``concurrency`` at a time, handing each
    finished record to ``emit`` as one JSON line (with its newline). The first error
    (a config or agent error) cancels the rest and is re-raised."""
    queue: asyncio.Queue[Ticket] = asyncio.Queue()
    for ticket in tickets:
        queue.put_nowait(ticket)

    async def worker() -> None:
        while True:
            try:
                ticket = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            record = await _one(ticket, gate=gate, judge=judge, agent=agent, settings=settings)
            emit(json.dumps(record, ensure_ascii=False) + "\n")

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, min(concurrency, len(tickets)))):
                group.create_task(worker())
    except BaseExceptionGroup as eg:
        raise eg.exceptions[0] from None
    finally:
        await judge.aclose()
