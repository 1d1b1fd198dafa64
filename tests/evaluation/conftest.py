"""Fixtures for the ``guardrail eval`` tests: tickets files, score payloads, and the CLI
driven against the loopback fake provider through the real SDK clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guardrail.cli import main
from guardrail.evaluation._scores import DIMENSIONS
from guardrail.testing import FakeProvider, Step

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "examples" / "acme" / "guardrail.toml"
SAMPLE = ROOT / "examples" / "eval" / "tickets.jsonl"
KEY_ENV = "GUARDRAIL_EVAL_TEST_KEY"


def scores(default: int = 3, confidence: float = 0.9, **by_dim: int) -> dict[str, Any]:
    """A judge answer: every dimension ``default`` unless named."""
    return {
        d: {
            "score": by_dim.get(d, default),
            "reasoning": f"{d} reasoning",
            "confidence": confidence,
        }
        for d in DIMENSIONS
    }


def step(default: int = 3, latency: float = 0.0, **by_dim: Any) -> Step:
    return Step.invalid(scores(default, **by_dim), latency=latency)


def ticket(
    tid: str,
    *,
    intent: str = "returns",
    text: str = "Can I return my boots?",
    reply: str = "Thanks for reaching out, happy to help.",
    model: str | None = "gpt-4o-mini",
) -> dict[str, Any]:
    """One ticket line (an acme conversation and the reply the agent gave)."""
    draft: dict[str, Any] = {"text": reply, "confidence": 0.95}
    if model is not None:
        draft["model"] = model
    return {
        "id": tid,
        "conversation": {
            "tenant": "acme",
            "id": f"c-{tid}",
            "as_of": "2026-11-20T10:00:00Z",
            "intent": intent,
            "messages": [{"role": "customer", "text": text}],
        },
        "draft": draft,
    }


def write_tickets(path: Path, tickets: list[dict[str, Any]] | list[str]) -> Path:
    lines = [t if isinstance(t, str) else json.dumps(t) for t in tickets]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "test-key")


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    """A fake provider answering every request with top scores."""
    with FakeProvider(default=step()) as server:
        yield server


def run_eval(
    fake: FakeProvider,
    tickets: Path,
    out: Path,
    *extra: str,
    provider: str = "anthropic",
    model: str | None = None,
) -> int:
    """``guardrail eval`` against the fake provider; returns the exit code."""
    judge_model = model or ("claude-judge" if provider == "anthropic" else "judge-oss-1")
    return main(
        [
            "eval",
            "--config",
            str(ACME),
            "--tickets",
            str(tickets),
            "--out",
            str(out),
            "--judge-provider",
            provider,
            "--judge-model",
            judge_model,
            "--judge-base-url",
            fake.url,
            "--judge-api-key-env",
            KEY_ENV,
            "--no-progress",
            *extra,
        ]
    )


def report(out: Path, name: str = "dev") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / f"{name}-report.json").read_text())
    return data
