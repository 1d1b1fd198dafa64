"""Stratified sample, the sealed holdout, ``--holdout``, and drift across runs."""

from __future__ import annotations

import json
from pathlib import Path

from guardrail.evaluation._sample import in_holdout, split, stratify
from guardrail.evaluation._tickets import load_tickets
from guardrail.testing import FakeProvider

from .conftest import report, run_eval, step, ticket, write_tickets

#: Pinned: the holdout depends only on the id, on every machine and in every run.
PINNED_HOLDOUT = ["t-0014", "t-0027", "t-0033"]


def _ids(n: int) -> list[str]:
    return [f"t-{i:04d}" for i in range(n)]


def test_holdout_is_stable_and_about_ten_percent() -> None:
    """The holdout is a fixed function of the id (pinned values) and takes ~10%."""
    assert [i for i in _ids(40) if in_holdout(i)] == PINNED_HOLDOUT
    share = sum(in_holdout(i) for i in _ids(20_000)) / 20_000
    assert 0.09 < share < 0.11


def _tickets(tmp_path: Path, counts: dict[str, int]) -> Path:
    rows = [
        ticket(f"{intent}-{i}", intent=intent) for intent, n in counts.items() for i in range(n)
    ]
    return write_tickets(tmp_path / "t.jsonl", rows)


def test_stratified_sample_is_reproducible_and_keeps_rare_intents(tmp_path: Path) -> None:
    """--per-intent caps each intent, keeps a rare intent whole, and the same seed
    draws the same sample (another seed a different one)."""
    path = _tickets(tmp_path, {"returns": 60, "refunds": 40, "legal": 3})
    tickets = load_tickets(path, need_draft=True).tickets
    first = [t.id for t in stratify(tickets, 10, seed=7)]
    again = [t.id for t in stratify(tickets, 10, seed=7)]
    other = [t.id for t in stratify(tickets, 10, seed=8)]
    assert first == again and first != other
    by_intent = {i: sum(1 for t in first if t.startswith(i)) for i in ("returns", "refunds")}
    assert by_intent == {"returns": 10, "refunds": 10}
    assert {"legal-0", "legal-1", "legal-2"} <= set(first)


def test_dev_report_never_contains_holdout_and_holdout_flag_scores_only_it(
    fake: FakeProvider, tmp_path: Path
) -> None:
    """The dev run judges no holdout ticket; --holdout judges exactly the holdout."""
    rows = [ticket(i) for i in _ids(40)]
    path = write_tickets(tmp_path / "t.jsonl", rows)
    out = tmp_path / "out"
    assert run_eval(fake, path, out) == 0
    dev_ids = {r["id"] for r in report(out)["responses"]}
    assert len(fake.requests) == 40 - len(PINNED_HOLDOUT)
    assert dev_ids.isdisjoint(PINNED_HOLDOUT) and len(dev_ids) == 37
    before = len(fake.requests)
    assert run_eval(fake, path, out, "--holdout") == 0
    hold = report(out, "holdout")
    assert sorted(r["id"] for r in hold["responses"]) == PINNED_HOLDOUT
    assert len(fake.requests) - before == len(PINNED_HOLDOUT)
    tickets = load_tickets(path, need_draft=True).tickets
    assert [t.id for t in split(tickets, holdout=True)] == PINNED_HOLDOUT


def test_drift_compares_holdout_and_dev_across_runs(tmp_path: Path) -> None:
    """The history of runs sets the latest dev beside the latest holdout and reports the
    gap per dimension (here the holdout scores one point lower on brand voice)."""
    path = write_tickets(tmp_path / "t.jsonl", [ticket(i) for i in _ids(40)])
    out, history = tmp_path / "out", tmp_path / "history.jsonl"
    with FakeProvider(default=step()) as fake:
        run_eval(fake, path, out, "--history", str(history))
    with FakeProvider(default=step(brand_voice=2)) as fake:
        run_eval(fake, path, out, "--holdout", "--history", str(history))
    drift = report(out, "holdout")["drift"]
    assert [r["split"] for r in drift["runs"]] == ["dev", "holdout"]
    assert drift["dev_minus_holdout"]["brand_voice"] == 1.0
    assert drift["dev_minus_holdout"]["factual_accuracy"] == 0.0
    assert len(history.read_text().splitlines()) == 2
    assert json.loads(history.read_text().splitlines()[1])["n"] == len(PINNED_HOLDOUT)
