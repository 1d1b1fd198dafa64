"""Running: resume after a crash, concurrency, the progress line, usage and cost."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from guardrail.evaluation._run import RESULTS, read_results
from guardrail.evaluation._sample import in_holdout
from guardrail.testing import FakeProvider

from .conftest import report, run_eval, ticket, write_tickets

AGENT = """
import asyncio
from guardrail import Draft
state = {"now": 0, "max": 0, "calls": 0}
CRASH_AT = __CRASH__
async def reply(conversation):
    state["calls"] += 1
    if conversation.id == CRASH_AT:
        raise RuntimeError("agent crashed")
    state["now"] += 1
    state["max"] = max(state["max"], state["now"])
    try:
        for _ in range(50):
            await asyncio.sleep(0)  # let the other workers in
    finally:
        state["now"] -= 1
    return Draft(text="A fresh reply.", model="gpt-4o-mini")
"""


def _agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, crash_at: str) -> str:
    (tmp_path / f"{name}.py").write_text(AGENT.replace("__CRASH__", repr(crash_at)))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return f"{name}:reply"


def _dev_ids(n: int) -> list[str]:
    return [i for i in (f"r-{k:03d}" for k in range(n * 2)) if not in_holdout(i)][:n]


def test_resume_after_a_crash_skips_done_tickets(
    fake: FakeProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that dies at ticket 7 of 12 (and leaves a torn last line) resumes: the rerun
    judges only the 5 tickets not yet done, and the report covers all 12 once each."""
    ids = _dev_ids(12)
    path = write_tickets(tmp_path / "t.jsonl", [ticket(i) for i in ids])
    out = tmp_path / "out"
    crashing = _agent(tmp_path, monkeypatch, "eval_crash_agent", f"c-{ids[7]}")
    assert run_eval(fake, path, out, "--agent", crashing, "--concurrency", "1") == 1
    assert sorted(r["id"] for r in read_results(out)) == ids[:7]
    with open(out / RESULTS, "a") as fh:
        fh.write('{"id": "' + ids[7] + '", "scor')  # killed mid-write
    before = len(fake.requests)
    healthy = _agent(tmp_path, monkeypatch, "eval_ok_agent", "never")
    assert run_eval(fake, path, out, "--agent", healthy) == 0
    assert len(fake.requests) - before == 5
    assert sorted(r["id"] for r in report(out)["responses"]) == sorted(ids)


def test_concurrency_bounds_tickets_in_flight(
    fake: FakeProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--concurrency 4 runs exactly four tickets at once, never more."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket(i) for i in _dev_ids(12)])
    spec = _agent(tmp_path, monkeypatch, "eval_conc_agent", "never")
    assert run_eval(fake, path, tmp_path / "out", "--agent", spec, "--concurrency", "4") == 0
    assert sys.modules["eval_conc_agent"].state["max"] == 4


def test_progress_line_on_stderr(
    fake: FakeProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --no-progress a progress bar with done/total is written to stderr."""
    from guardrail.cli import main

    from .conftest import ACME, KEY_ENV

    path = write_tickets(tmp_path / "t.jsonl", [ticket(i) for i in _dev_ids(5)])
    argv = [
        "eval",
        "--config",
        str(ACME),
        "--tickets",
        str(path),
        "--out",
        str(tmp_path / "o"),
        "--judge-provider",
        "anthropic",
        "--judge-model",
        "claude-judge",
        "--judge-base-url",
        fake.url,
        "--judge-api-key-env",
        KEY_ENV,
    ]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "eval [" in captured.err and "5/5" in captured.err
    assert "go: 5/5" in captured.out


def test_token_usage_and_cost_estimate(fake: FakeProvider, tmp_path: Path) -> None:
    """Usage sums the judge's tokens; --price turns them into dollars; no price, no cost."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket(i) for i in _dev_ids(4)])
    run_eval(fake, path, tmp_path / "a", "--price", "claude-judge=3:15")
    priced = report(tmp_path / "a")
    assert priced["usage"] == {"input_tokens": 4800, "output_tokens": 600}
    assert priced["cost_usd"] == pytest.approx(4 * (1200 * 3 + 150 * 15) / 1e6)
    run_eval(fake, path, tmp_path / "b")
    assert report(tmp_path / "b")["cost_usd"] is None


def test_bad_price_is_an_input_error(
    fake: FakeProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed --price exits 2 naming the flag."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket("x")])
    assert run_eval(fake, path, tmp_path / "o", "--price", "claude=3") == 2
    assert "--price" in capsys.readouterr().err
