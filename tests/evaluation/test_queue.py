"""The human review queue, recorded human scores, and judge-human agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrail.cli import main
from guardrail.evaluation._sample import in_holdout
from guardrail.testing import FakeProvider, Step

from .conftest import run_eval, scores, step, ticket, write_tickets

ALL3 = ",".join(
    f"{d}=3"
    for d in (
        "factual_accuracy",
        "policy_compliance",
        "brand_voice",
        "tool_call_correctness",
        "escalation_appropriateness",
    )
)


def _setup(tmp_path: Path) -> tuple[Path, list[str]]:
    ids = [i for i in (f"q-{k}" for k in range(20)) if not in_holdout(i)][:3]
    unsure = Step.invalid(scores(confidence=0.3))
    borderline = scores(policy_compliance=2)
    borderline["policy_compliance"]["confidence"] = 0.7
    path = write_tickets(tmp_path / "t.jsonl", [ticket(i) for i in ids])
    with FakeProvider(unsure, Step.invalid(borderline), step()) as fake:
        run_eval(fake, path, tmp_path / "out", "--concurrency", "1", "--threshold", "0.1")
    return tmp_path / "out", ids


def test_queue_lists_low_confidence_and_near_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A low-confidence response and one a single point from failing are queued; a
    confident clear pass is not."""
    out, ids = _setup(tmp_path)
    capsys.readouterr()
    assert main(["eval", "review", "--out", str(out), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["queue"]
    assert [i["id"] for i in listed] == sorted(ids[:2])
    why = {i["id"]: " ".join(i["why"]) for i in listed}
    assert "low confidence" in why[ids[0]] and "near the threshold" in why[ids[1]]


def test_recorded_scores_give_agreement(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A person's scores are stored and judge-human agreement is reported per dimension
    and for pass/fail."""
    out, ids = _setup(tmp_path)
    human = ALL3.replace("policy_compliance=3", "policy_compliance=0")
    assert main(["eval", "review", "--out", str(out), "--record", ids[1], "--scores", human]) == 0
    capsys.readouterr()
    main(["eval", "review", "--out", str(out), "--json"])
    result = json.loads(capsys.readouterr().out)
    agreement = result["agreement"]
    assert agreement["n"] == 1 and agreement["pass_fail"] == 0.0
    assert agreement["dimensions"]["policy_compliance"] == {"exact": 0.0, "within_one": 0.0}
    assert agreement["dimensions"]["brand_voice"]["exact"] == 1.0
    assert [i["reviewed"] for i in result["queue"] if i["id"] == ids[1]] == [True]


@pytest.mark.parametrize(
    ("scores_flag", "needle"),
    [
        ("factual_accuracy=3", "missing dimension"),
        (ALL3 + ",tone=2", "unknown dimension"),
        (ALL3.replace("=3", "=5", 1), "must be 0, 1, 2 or 3"),
    ],
)
def test_bad_human_scores_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scores_flag: str, needle: str
) -> None:
    """Malformed --scores exit 2 with the problem named."""
    out, ids = _setup(tmp_path)
    code = main(["eval", "review", "--out", str(out), "--record", ids[0], "--scores", scores_flag])
    assert code == 2 and needle in capsys.readouterr().err
    assert not (out / "human.jsonl").exists()
