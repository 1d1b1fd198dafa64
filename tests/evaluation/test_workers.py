"""``--workers N``: tickets sharded over worker processes give the same report as one
process, errors in a worker stop the run as they would in-process, and a run killed
mid-way resumes to the same report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from guardrail.evaluation._run import RESULTS, read_results, workers_for
from guardrail.evaluation._sample import in_holdout
from guardrail.evaluation._score import RunSettings
from guardrail.evaluation._shard import split_concurrency
from guardrail.testing import FakeProvider

from .conftest import KEY_ENV, ROOT, SAMPLE, report, run_eval, ticket, write_tickets

#: An agent that, in a worker process, kills the eval process at one ticket (a crash
#: from outside: no clean-up runs) — and everywhere else writes a fixed reply.
KILLER = """
import multiprocessing, os, signal
from guardrail import Draft
KILL_AT = __KILL__
def reply(conversation):
    if conversation.id == KILL_AT:
        if multiprocessing.parent_process() is None:
            raise RuntimeError("not in a worker process: refusing to kill the caller")
        os.kill(os.getppid(), signal.SIGKILL)
        raise RuntimeError("killed the run")
    return Draft(text="Thanks for reaching out, happy to help.", model="gpt-4o-mini")
"""


def _agent(tmp_path: Path, name: str, kill_at: str) -> str:
    (tmp_path / f"{name}.py").write_text(KILLER.replace("__KILL__", repr(kill_at)))
    return f"{name}:reply"


def _dev_ids(n: int) -> list[str]:
    return [i for i in (f"w-{k:03d}" for k in range(n * 2)) if not in_holdout(i)][:n]


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """The report without what legitimately differs between runs (time, latency)."""
    data = dict(data)
    for key in ("generated_at", "drift"):
        data.pop(key)
    data["responses"] = [
        {k: v for k, v in r.items() if k != "latency_ms"} for r in data["responses"]
    ]
    return data


def test_split_concurrency_and_worker_count() -> None:
    """In-flight tickets are dealt over the workers without loss, and there are never
    more workers than tickets to do or tickets allowed in flight."""
    assert split_concurrency(32, 2) == [16, 16]
    assert split_concurrency(5, 2) == [3, 2]
    assert sum(split_concurrency(7, 3)) == 7
    assert workers_for(RunSettings(concurrency=8, workers=2), todo=100) == 2
    assert workers_for(RunSettings(concurrency=1, workers=2), todo=100) == 1
    assert workers_for(RunSettings(concurrency=8, workers=4), todo=3) == 3
    assert workers_for(RunSettings(concurrency=8, workers=1), todo=100) == 1


def test_two_workers_give_the_same_report_as_one(fake: FakeProvider, tmp_path: Path) -> None:
    """The sample tickets scored by --workers 2 and --workers 1 give the same report
    (decision, rates, gate decisions, disagreements, every response) and the same
    number of judge requests."""
    assert run_eval(fake, SAMPLE, tmp_path / "one", "--workers", "1") == 0
    one_requests = len(fake.requests)
    assert run_eval(fake, SAMPLE, tmp_path / "two", "--workers", "2") == 0
    assert len(fake.requests) - one_requests == one_requests
    one, two = report(tmp_path / "one"), report(tmp_path / "two")
    assert len(two["responses"]) == one["overall"]["n"] > 10
    assert {r["gate"]["action"] for r in one["responses"]} >= {"release", "escalate"}
    assert one["disagreements"]
    assert _comparable(two) == _comparable(one)
    lines = (tmp_path / "two" / RESULTS).read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(two["responses"])
    assert all(json.loads(line)["id"] for line in lines)


def test_bad_workers_is_an_input_error(
    fake: FakeProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--workers 0 exits 2 naming the flag, before any request."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket("x")])
    assert run_eval(fake, path, tmp_path / "o", "--workers", "0") == 2
    assert "--workers" in capsys.readouterr().err
    assert fake.requests == []


def test_an_error_in_a_worker_stops_the_run_with_its_exit_code(
    fake: FakeProvider,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A draft of the judge's own family met in a worker process is the same config
    error (exit 2, naming the ticket) as in one process; what was scored is kept."""
    ids = _dev_ids(6)
    rows = [ticket(i, model="claude-haiku-4-5" if i == ids[4] else "gpt-4o-mini") for i in ids]
    path = write_tickets(tmp_path / "t.jsonl", rows)
    agent = tmp_path / "eval_passthrough_agent.py"
    agent.write_text(
        "from guardrail import Draft\n"
        "def reply(conversation):\n"
        "    model = 'claude-haiku-4-5' if conversation.id == 'c-" + ids[4] + "' else 'gpt-4o'\n"
        "    return Draft(text='Happy to help.', model=model)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "eval_passthrough_agent", raising=False)
    code = run_eval(
        fake, path, tmp_path / "o", "--agent", "eval_passthrough_agent:reply",
        "--workers", "2", "--concurrency", "2",
    )  # fmt: skip
    assert code == 2
    assert ids[4] in capsys.readouterr().err
    assert ids[4] not in {r["id"] for r in read_results(tmp_path / "o")}


def test_a_run_killed_mid_way_with_workers_resumes_to_the_same_report(
    fake: FakeProvider, tmp_path: Path
) -> None:
    """An eval process SIGKILLed by its own worker half-way (no clean-up) leaves only
    whole lines; the rerun with --workers 2 judges only tickets not yet recorded, and
    its report equals an uninterrupted --workers 1 run's."""
    ids = _dev_ids(16)
    rows = [ticket(i, text=f"Ticket {i}: can I return my boots?") for i in ids]
    path = write_tickets(tmp_path / "t.jsonl", rows)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT / "src")]))
    argv = [
        sys.executable, "-c", "import sys; from guardrail.cli import main; sys.exit(main())",
        "eval", "--config", str(ROOT / "examples" / "acme" / "guardrail.toml"),
        "--tickets", str(path), "--out", str(out), "--judge-provider", "anthropic",
        "--judge-model", "claude-judge", "--judge-base-url", fake.url,
        "--judge-api-key-env", KEY_ENV, "--no-progress", "--workers", "2",
        "--concurrency", "2", "--agent", _agent(tmp_path, "eval_killer_agent", f"c-{ids[9]}"),
    ]  # fmt: skip
    with open(tmp_path / "stderr.txt", "w") as stderr:
        killed = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    assert killed.returncode == -9
    for line in (out / RESULTS).read_text(encoding="utf-8").splitlines():
        json.loads(line)  # whole lines only
    done = {r["id"] for r in read_results(out)}
    assert ids[9] not in done and len(done) < len(ids)
    before = len(fake.requests)
    healthy = _agent(tmp_path, "eval_healthy_agent", "never")
    sys.path.insert(0, str(tmp_path))
    try:
        assert run_eval(fake, path, out, "--agent", healthy, "--workers", "2") == 0
        assert run_eval(fake, path, tmp_path / "ref", "--agent", healthy, "--workers", "1") == 0
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("eval_healthy_agent", None)
    rerun = [json.dumps(r.body) for r in fake.requests[before : before + len(ids) - len(done)]]
    assert not any(f"Ticket {i}:" in body for body in rerun for i in done)
    assert _comparable(report(out)) == _comparable(report(tmp_path / "ref"))
    assert sorted(r["id"] for r in report(out)["responses"]) == sorted(ids)
