"""Go/no-go: the threshold, the exit codes, and per-intent Wilson intervals."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrail.evaluation._report import wilson
from guardrail.testing import FakeProvider

from .conftest import report, run_eval, step, ticket, write_tickets


def _ids(n: int) -> list[str]:
    from guardrail.evaluation._sample import in_holdout

    return [i for i in (f"g-{k:03d}" for k in range(n * 2)) if not in_holdout(i)][:n]


def _run(tmp_path: Path, failing: int, *extra: str) -> tuple[int, dict[str, object]]:
    """20 dev tickets of which ``failing`` get a 1 on policy compliance."""
    steps = [step(policy_compliance=1)] * failing + [step()] * (20 - failing)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = write_tickets(tmp_path / "t.jsonl", [ticket(i) for i in _ids(20)])
    with FakeProvider(*steps) as fake:
        code = run_eval(fake, path, tmp_path / "out", "--concurrency", "1", *extra)
        fake.assert_done()
    return code, report(tmp_path / "out")


def test_go_exits_zero(tmp_path: Path) -> None:
    """19 of 20 passing is 95%: go, exit 0."""
    code, result = _run(tmp_path, 1)
    assert code == 0 and result["decision"] == "go"


def test_no_go_exits_one(tmp_path: Path) -> None:
    """18 of 20 passing is 90% < 95%: no-go, exit 1."""
    code, result = _run(tmp_path, 2)
    assert code == 1 and result["decision"] == "no-go"


def test_threshold_and_min_score_are_configurable(tmp_path: Path) -> None:
    """--threshold 0.9 makes 18/20 a go; --min-score 1 makes a 1 passing."""
    assert _run(tmp_path / "a", 2, "--threshold", "0.9")[0] == 0
    assert _run(tmp_path / "b", 5, "--min-score", "1")[0] == 0


def test_empty_selection_is_no_go(fake: FakeProvider, tmp_path: Path) -> None:
    """With nothing scored there is no evidence for launch: no-go."""
    from guardrail.evaluation._sample import in_holdout

    hold = next(i for i in (f"h{k}" for k in range(1000)) if in_holdout(i))
    path = write_tickets(tmp_path / "t.jsonl", [ticket(hold)])
    assert run_eval(fake, path, tmp_path / "out") == 1


def test_per_intent_rates_carry_wilson_intervals(fake: FakeProvider, tmp_path: Path) -> None:
    """Each intent reports n, its pass rate and a 95% Wilson interval, so a small intent
    shows a wide interval rather than hiding."""
    rows = [ticket(i, intent="returns") for i in _ids(12)]
    rows[0]["conversation"]["intent"] = "legal"
    path = write_tickets(tmp_path / "t.jsonl", rows)
    run_eval(fake, path, tmp_path / "out")
    per = report(tmp_path / "out")["per_intent"]
    assert per["legal"]["n"] == 1 and per["returns"]["n"] == 11
    assert per["legal"]["low"] == pytest.approx(0.2065, abs=1e-3)
    assert (
        per["legal"]["high"] - per["legal"]["low"] > per["returns"]["high"] - per["returns"]["low"]
    )


def test_wilson_interval_known_values() -> None:
    """The Wilson interval matches published values (8/10: 0.490–0.943)."""
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-3) and high == pytest.approx(0.9433, abs=1e-3)
    assert wilson(0, 0) == (0.0, 1.0)
