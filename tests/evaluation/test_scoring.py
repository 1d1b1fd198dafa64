"""Scoring: the real SDK judges, pydantic validation, the one retry policy, the model
family rule, and the gate's decision beside the judge's scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrail.evaluation._scores import DIMENSIONS
from guardrail.testing import FakeProvider, Step

from .conftest import ACME, KEY_ENV, report, run_eval, scores, step, ticket, write_tickets

STALE = "Yes! You have 60 days from delivery to return unworn items."


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_scores_every_dimension_with_reasoning(
    fake: FakeProvider, tmp_path: Path, provider: str
) -> None:
    """Each response carries five 0-3 scores with reasoning and confidence, asked for by
    a forced tool call through the provider's real SDK."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket("s1")])
    assert run_eval(fake, path, tmp_path / "out", provider=provider) == 0
    (row,) = report(tmp_path / "out")["responses"]
    assert set(row["scores"]) == set(DIMENSIONS)
    assert row["scores"]["brand_voice"] == {
        "score": 3,
        "reasoning": "brand_voice reasoning",
        "confidence": 0.9,
    }
    body = fake.requests[0].body
    assert "submit_scores" in json.dumps(body["tool_choice"])
    assert row["usage"] == {"input_tokens": 1200, "output_tokens": 150}


def test_invalid_scores_are_retried_once_then_fail_closed(tmp_path: Path) -> None:
    """A score of 4 fails validation; the one retry policy asks again, and a second bad
    answer records a judge error that counts as not passing (no-go)."""
    bad = Step.invalid(scores(brand_voice=4))
    path = write_tickets(tmp_path / "t.jsonl", [ticket("s1")])
    with FakeProvider(bad, bad, bad) as fake:
        code = run_eval(fake, path, tmp_path / "out", "--max-attempts", "2")
    result = report(tmp_path / "out")
    assert code == 1 and len(fake.requests) == 2
    assert result["errors"] == [{"id": "s1", "error": "malformed_output"}]
    assert result["overall"]["passed"] == 0


def test_rate_limit_is_retried_by_the_one_policy(tmp_path: Path) -> None:
    """A 429 with retry-after is retried and the next answer is recorded."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket("s1")])
    with FakeProvider(Step.rate_limited(retry_after=0.01), step()) as fake:
        assert run_eval(fake, path, tmp_path / "out") == 0
        fake.assert_done()
    assert report(tmp_path / "out")["responses"][0]["attempts"] == 2


@pytest.mark.parametrize(
    ("draft_model", "judge_model"),
    [("claude-sonnet-4-5", "claude-judge"), ("gpt-4o-mini", "gpt-4.1"), ("m-1", "m-1")],
)
def test_judge_of_the_drafts_family_is_a_config_error(
    fake: FakeProvider,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    draft_model: str,
    judge_model: str,
) -> None:
    """A judge of the draft model's family (or provider) exits 2 before any request."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket("s1", model=draft_model)])
    provider = "openai" if judge_model.startswith("gpt") or judge_model == "m-1" else "anthropic"
    assert run_eval(fake, path, tmp_path / "out", provider=provider, model=judge_model) == 2
    assert "config error" in capsys.readouterr().err and fake.requests == []


def test_gate_decision_sits_beside_the_judge_and_disagreements_are_listed(
    fake: FakeProvider, tmp_path: Path
) -> None:
    """A stale 60-day answer is escalated by the gate (POLICY_CONTRADICTION) while the
    judge passes it: the report lists that disagreement."""
    stale = ticket("s-stale", reply=STALE)
    stale["draft"]["sources"] = [{"id": "returns-policy", "version": "2"}]
    path = write_tickets(tmp_path / "t.jsonl", [stale, ticket("s-ok")])
    run_eval(fake, path, tmp_path / "out")
    result = report(tmp_path / "out")
    rows = {r["id"]: r for r in result["responses"]}
    assert rows["s-stale"]["gate"]["action"] == "escalate"
    assert "POLICY_CONTRADICTION" in rows["s-stale"]["gate"]["codes"]
    assert [d["id"] for d in result["disagreements"]] == ["s-stale"]
    assert "judge passed" in result["disagreements"][0]["why"]


def test_judge_defaults_to_the_tenants_review_section(
    fake: FakeProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --judge-* flags the judge is the tenant's [review] provider and model."""
    text = ACME.read_text().replace('provider = "none"', "")
    text = text.replace(
        "[review]",
        f'[review]\nprovider = "openai"\nmodel = "judge-from-toml"\n'
        f'base_url = "{fake.url}"\napi_key_env = "{KEY_ENV}"',
    )
    for rel in ("policies.json", "knowledge", "tool_schemas", "audit.db"):
        text = text.replace(f'"{rel}"', f'"{ACME.parent / rel}"')
        text = text.replace(f"sqlite:///{rel}", f"sqlite:///{ACME.parent / rel}")
    config = tmp_path / "guardrail.toml"
    config.write_text(text)
    path = write_tickets(tmp_path / "t.jsonl", [ticket("s1")])
    from guardrail.cli import main

    main(
        [
            "eval",
            "--config",
            str(config),
            "--tickets",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--no-progress",
        ]
    )
    judged = [r for r in fake.requests if "submit_scores" in json.dumps(r.body)]
    assert [r.body["model"] for r in judged] == ["judge-from-toml"]


def test_no_judge_configured_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tenant without a [review] provider and no --judge-provider exits 2 naming it."""
    from guardrail.cli import main

    path = write_tickets(tmp_path / "t.jsonl", [ticket("s1")])
    code = main(
        ["eval", "--config", str(ACME), "--tickets", str(path), "--out", str(tmp_path / "out")]
    )
    assert code == 2 and "--judge-provider" in capsys.readouterr().err


def test_gate_vs_judge_rules() -> None:
    """Released-but-failed, escalated-but-passed and blocked-tool-but-acceptable are
    disagreements; agreement is None."""
    from guardrail.evaluation._score import gate_vs_judge
    from guardrail.evaluation._scores import Scores

    def gate(action: str, blocked: int = 0) -> dict[str, object]:
        return {"action": action, "codes": ["X"], "blocked_tool_calls": blocked}

    good, bad = Scores.model_validate(scores()), Scores.model_validate(scores(brand_voice=1))
    assert gate_vs_judge(gate("release"), good, 2) is None
    assert gate_vs_judge(gate("escalate"), bad, 2) is None
    assert "brand_voice" in str(gate_vs_judge(gate("release"), bad, 2))
    assert "judge passed" in str(gate_vs_judge(gate("escalate"), good, 2))
    assert "tool call" in str(gate_vs_judge(gate("rewrite", blocked=1), good, 2))
