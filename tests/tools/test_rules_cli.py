"""``guardrail rules test`` (table-driven cases, a diff of expected against actual, exit
0/1, bad input exit 2 naming line and field) and ``guardrail rules explain``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guardrail.cli import main

from ._helpers import ROOT

SKYWAY = ROOT / "examples" / "skyway"
FLAGS = [
    str(SKYWAY / "tool_schemas"),
    "--policies",
    str(SKYWAY / "policies.json"),
    "--functions",
    str(SKYWAY / "functions.py"),
]
CASE: dict[str, Any] = {
    "name": "change on a gift card",
    "tool": "change_flight",
    "arguments": {"reservation_id": "R-1", "new_flight_id": "SW205", "payment": "gift_card",
                  "amount": 135},
    "context": {
        "reservation": {"id": "R-1", "flight_id": "SW101", "cabin": "economy", "passengers": 2,
                        "fare_paid_cents": 49800, "status": "confirmed"},
        "new_flight": {"id": "SW205", "fares": {"economy": 27900}},
        "customer": {"gift_card_balance_cents": 10000},
    },
    "as_of": "2026-11-20T10:00:00Z",
    "expect": {"allowed": False, "rules": ["gift-card-covers"]},
}  # fmt: skip


def _run(
    tmp_path: Path, lines: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["rules", "test", *FLAGS[:1], str(cases), *FLAGS[1:]])
    out, err = capsys.readouterr()
    return code, out, err


def test_skyway_cases_pass(capsys: pytest.CaptureFixture[str]) -> None:
    """The second tenant's own rule cases all pass (exit 0)."""
    code = main(["rules", "test", FLAGS[0], str(SKYWAY / "rules_cases.jsonl"), *FLAGS[1:]])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "21 cases, 21 passed, 0 failed" in out


def test_a_wrong_expectation_fails_with_a_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case whose expectation is wrong exits 1 and shows expected against actual."""
    wrong = {**CASE, "expect": {"allowed": True}}
    code, out, _ = _run(tmp_path, [json.dumps(CASE), json.dumps(wrong)], capsys)
    assert code == 1
    assert "ok    line 1 (change on a gift card)" in out
    assert "FAIL  line 2" in out
    assert "- expected: allowed" in out and "+ actual:   blocked by gift-card-covers" in out
    assert "2 cases, 1 passed, 1 failed" in out


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("{not json", "line 1: not JSON"),
        (json.dumps({**CASE, "as_of": "2026-11-20T10:00:00"}), "line 1: as_of:"),
        (json.dumps({**CASE, "tool": "fly_me"}), "line 1: tool: no tool spec named 'fly_me'"),
        (json.dumps({**CASE, "expect": {"rules": []}}), "line 1: expect.allowed: Field required"),
        (json.dumps({**CASE, "extra": 1}), "line 1: extra: unknown field"),
        (json.dumps({k: v for k, v in CASE.items() if k != "expect"}), "line 1: expect:"),
    ],
)
def test_bad_cases_exit_2_naming_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, words: str
) -> None:
    """Malformed input exits 2 with one line naming the line and the field."""
    code, _, err = _run(tmp_path, [line], capsys)
    assert code == 2
    assert words in err


def test_explain_shows_rule_values_and_subexpressions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """explain prints the verdict, each term and rule value, and the sub-expressions of
    the rule that is false."""
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE), encoding="utf-8")
    assert main(["rules", "explain", FLAGS[0], str(case), *FLAGS[1:]]) == 0
    out = capsys.readouterr().out
    assert out.startswith("change_flight: blocked by gift-card-covers")
    assert "  term due_cents = 13500" in out
    assert "  charged-what-is-due: true" in out
    assert "  gift-card-covers: false" in out
    assert "    args.payment != 'gift_card' = false" in out
    assert "      context.customer.gift_card_balance_cents = 10000" in out
