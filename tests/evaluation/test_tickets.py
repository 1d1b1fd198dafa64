"""Input: tickets JSONL, bad lines, ``--skip-bad``, and ``--agent`` (sync or async)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from guardrail.evaluation._tickets import load_tickets
from guardrail.testing import FakeProvider

from .conftest import report, run_eval, ticket, write_tickets


def test_bad_line_names_line_and_field(
    fake: FakeProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed ticket exits 2 with one line naming its line number and field."""
    bad = ticket("t2")
    bad["draft"]["confidence"] = 7
    path = write_tickets(tmp_path / "t.jsonl", [ticket("t1"), bad])
    assert run_eval(fake, path, tmp_path / "out") == 2
    err = capsys.readouterr().err.strip()
    assert "line 2" in err and "draft.confidence" in err
    assert len(err.splitlines()) == 1
    assert fake.requests == []


def test_missing_draft_and_bad_json_are_named(tmp_path: Path) -> None:
    """A ticket without a draft names ``draft``; broken JSON names the line."""
    path = write_tickets(tmp_path / "t.jsonl", [json.dumps({"conversation": {}})])
    with pytest.raises(Exception, match="line 1: draft"):
        load_tickets(path, need_draft=True)
    path = write_tickets(tmp_path / "u.jsonl", [json.dumps(ticket("a")), "{not json"])
    with pytest.raises(Exception, match="line 2: malformed JSON"):
        load_tickets(path, need_draft=True)


def test_skip_bad_counts_and_goes_on(fake: FakeProvider, tmp_path: Path) -> None:
    """With --skip-bad, bad lines (and a duplicate id) are counted, the rest scored."""
    lines = [json.dumps(ticket("a1")), "[]", json.dumps(ticket("a1")), json.dumps(ticket("a2"))]
    path = write_tickets(tmp_path / "t.jsonl", lines)
    out = tmp_path / "out"
    code = run_eval(fake, path, out, "--skip-bad", "--threshold", "0.5")
    result = report(out)
    assert result["skipped_bad_lines"] == 2
    scored = {r["id"] for r in result["responses"]}
    assert scored <= {"a1", "a2"} and code == 0


def _agent_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asynchronous: bool) -> str:
    name = f"eval_agent_{'async' if asynchronous else 'sync'}"
    prefix = "async " if asynchronous else ""
    (tmp_path / f"{name}.py").write_text(
        "from guardrail import Draft\n"
        f"{prefix}def reply(conversation):\n"
        "    return Draft(text='Fresh reply for ' + conversation.id, model='gpt-4o-mini')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return f"{name}:reply"


@pytest.mark.parametrize("asynchronous", [False, True])
def test_agent_writes_fresh_drafts(
    fake: FakeProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asynchronous: bool
) -> None:
    """With --agent, the judge scores the agent's fresh draft, not the recorded one."""
    spec = _agent_module(tmp_path, monkeypatch, asynchronous)
    rows = [ticket(f"g{i}", reply="OLD RECORDED REPLY") for i in range(6)]
    del rows[0]["draft"]  # a draft is optional with an agent
    path = write_tickets(tmp_path / "t.jsonl", rows)
    assert run_eval(fake, path, tmp_path / "out", "--agent", spec) == 0
    texts = [r.prompt_text for r in fake.requests]
    assert texts and all("Fresh reply for c-g" in t for t in texts)
    assert not any("OLD RECORDED REPLY" in t for t in texts)


def test_agent_spec_is_validated(
    fake: FakeProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed --agent exits 2 naming the flag."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket("a")])
    assert run_eval(fake, path, tmp_path / "out", "--agent", "no_colon") == 2
    assert "--agent" in capsys.readouterr().err


def test_example_agent_and_sample_tickets_run(
    fake: FakeProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped example agent redrafts every development ticket of the sample file."""
    from .conftest import ROOT, SAMPLE

    monkeypatch.syspath_prepend(str(ROOT / "examples" / "eval"))
    monkeypatch.delitem(sys.modules, "agent", raising=False)
    assert run_eval(fake, SAMPLE, tmp_path / "out", "--agent", "agent:reply") == 0
    rows = report(tmp_path / "out")["responses"]
    assert rows and {r["draft_model"] for r in rows} == {"example-agent-1"}
    assert len(fake.requests) == len(rows)


def test_missing_flags_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    """``guardrail eval`` without --config exits 2 naming the flag."""
    from guardrail.cli import main

    assert main(["eval", "--tickets", "x.jsonl"]) == 2
    assert "--config" in capsys.readouterr().err
