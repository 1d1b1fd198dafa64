"""The CLI over the store, and the store inside the real pipeline."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from guardrail import Guardrail
from guardrail.audit import SQLiteStore
from guardrail.cli import main
from guardrail.models import Action, ClaimVerdict, Code
from guardrail.sampler import FunctionJudge, SampleCase

from .factory import case

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def _judge(c: SampleCase) -> list[ClaimVerdict]:
    return [ClaimVerdict(text=c.response[:20], verdict="INCONSISTENT", reason="test judge")]


#: for ``guardrail sample --judge tests.audit.test_cli:JUDGE``
JUDGE = FunctionJudge(_judge, model="test-judge")


def _config(tmp_path: Path, tenant: str = "acme", store: str = "sqlite:///audit.db") -> Path:
    path = tmp_path / "guardrail.toml"
    path.write_text(
        f"""
[tenant]
id = "{tenant}"
[grounding]
golden_set = "{ACME / "policies.json"}"
knowledge_base = "{ACME / "knowledge"}"
[tools]
schemas = "{ACME / "tool_schemas"}"
[audit]
store = "{store}"
sample_rate = 1.0
""",
        encoding="utf-8",
    )
    return path


def _scenario(name: str) -> dict[str, Any]:
    found = next((ACME / "scenarios").glob(f"{name}*.json"))
    data: dict[str, Any] = json.loads(found.read_text(encoding="utf-8"))
    return data


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_checked_decision_is_on_record_before_it_is_returned(tmp_path: Path) -> None:
    """check() through the real pipeline leaves one record per decision, with the
    decision's audit id and action; an escalation is in the handoff queue."""
    guard = Guardrail.from_config(str(_config(tmp_path)))
    store = guard.audit
    assert isinstance(store, SQLiteStore)
    decisions = [
        guard.check(s["conversation"], s["draft"])
        for s in (_scenario("02"), _scenario("01"), _scenario("07"))
    ]
    for decision in decisions:
        record = store.get(decision.audit_id)
        assert record is not None and record["action"] == decision.action.value
    escalated = {d.audit_id for d in decisions if d.action is Action.escalate}
    assert escalated and {h.audit_id for h in store.handoffs()} == escalated


def test_a_store_that_cannot_write_makes_the_decision_escalate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When another process holds the write lock past the wait, the write fails and the
    pipeline escalates instead of releasing unrecorded (invariant 5)."""
    monkeypatch.setattr("guardrail.audit._sqlite.LOCK_WAIT_S", 0.05)
    guard = Guardrail.from_config(str(_config(tmp_path)))
    blocker = sqlite3.connect(tmp_path / "audit.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        decision = guard.check(_scenario("02")["conversation"], _scenario("02")["draft"])
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert decision.action is Action.escalate
    assert Code.LAYER_ERROR in decision.codes()


def test_export_writes_one_record_per_line_or_a_json_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """jsonl is one parseable record per line; json is one array; a window filters."""
    config = str(_config(tmp_path))
    store = SQLiteStore(tmp_path / "audit.db", "acme")
    ids = set()
    for _ in range(3):
        conv, draft, d = case()
        store.write(conv, draft, d)
        ids.add(d.audit_id)
    code, out, _ = _run(capsys, "audit", "export", "--config", config)
    assert code == 0 and {json.loads(line)["audit_id"] for line in out.splitlines()} == ids
    code, out, _ = _run(capsys, "audit", "export", "--config", config, "--format", "json")
    assert code == 0 and {r["audit_id"] for r in json.loads(out)} == ids
    code, out, _ = _run(capsys, "audit", "export", "--config", config, "--until", "2001-01-01")
    assert code == 0 and out == ""
    target = tmp_path / "out.jsonl"
    assert main(["audit", "export", "--config", config, "--output", str(target)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["audit", "export", "--since", "yesterday"], "--since"),
        (["audit", "export", "--since", "2026-02-01", "--until", "2026-01-01"], "--since"),
        (["metrics", "--since", "2026-13-01"], "--since"),
        (["sample", "--judge", "no_colon"], "--judge"),
        (["sample", "--judge", "tests.audit.nope:JUDGE"], "--judge"),
        (["sample", "--judge", "tests.audit.test_cli:_config"], "--judge"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    """A malformed flag exits 2 with one line on stderr naming it."""
    head = 2 if argv[0] == "audit" else 1
    code, _, err = _run(capsys, *argv[:head], "--config", str(_config(tmp_path)), *argv[head:])
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


def test_no_store_configured_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With [audit] store = "none" the audit commands exit 2 and say so."""
    config = str(_config(tmp_path, store="none"))
    code, _, err = _run(capsys, "metrics", "--config", config)
    assert code == 2 and "[audit] store" in err


def test_purge_reports_and_validates_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """purge prints what it deleted; zero days is refused by argument parsing."""
    config = str(_config(tmp_path))
    SQLiteStore(tmp_path / "audit.db", "acme").write(*case())
    code, out, _ = _run(capsys, "audit", "purge", "--config", config)
    assert code == 0 and json.loads(out) == {"purged": 0, "older_than_days": 395}
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "purge", "--config", config, "--older-than", "0"])
    assert exit_info.value.code == 2


def test_metrics_prints_table_json_and_prometheus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """metrics renders the store's window three ways; --fail-on-alert exits 1 on alerts."""
    config = str(_config(tmp_path))
    guard = Guardrail.from_config(config)
    for name in ("01", "02", "07", "13"):
        s = _scenario(name)
        guard.check(s["conversation"], s["draft"])
    code, out, _ = _run(capsys, "metrics", "--config", config)
    assert code == 0 and "Escalation rate" in out
    code, out, _ = _run(capsys, "metrics", "--config", config, "--json")
    data = json.loads(out)
    assert code == 0 and data["decisions"] == 4 and data["policy_accuracy"]["denominator"] >= 1
    code, out, _ = _run(capsys, "metrics", "--config", config, "--prometheus")
    assert code == 0 and 'guardrail_decisions{tenant="acme",action="escalate"}' in out
    code, _, _ = _run(capsys, "metrics", "--config", config, "--fail-on-alert")
    assert code == (1 if data["alerts"] else 0)


def test_sample_command_judges_and_stores_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """sample --judge MODULE:NAME judges released records and feeds the metrics."""
    config = str(_config(tmp_path))
    guard = Guardrail.from_config(config)
    s = _scenario("02")
    decision = guard.check(s["conversation"], s["draft"])
    assert decision.action is Action.release
    code, out, _ = _run(capsys, "sample", "--config", config, "--judge",
                        "tests.audit.test_cli:JUDGE")  # fmt: skip
    report = json.loads(out)
    assert code == 0 and report["judged"] == 1 and report["judge_model"] == "test-judge"
    _, out, _ = _run(capsys, "metrics", "--config", config, "--json")
    assert json.loads(out)["hallucination"]["value"] == 1.0


def test_sample_without_any_judge_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no [review] provider and no --judge, sample exits 2 and says how to fix it."""
    code, _, err = _run(capsys, "sample", "--config", str(_config(tmp_path)))
    assert code == 2 and "--judge" in err


def test_handoff_queue_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """handoffs lists waiting escalations; claim takes the next; resolve closes it."""
    config = str(_config(tmp_path))
    store = SQLiteStore(tmp_path / "audit.db", "acme")
    conv, draft, d = case(action=Action.escalate)
    store.write(conv, draft, d)
    code, out, _ = _run(capsys, "audit", "handoffs", "--config", config, "--json")
    assert code == 0 and json.loads(out)["audit_id"] == d.audit_id
    code, out, _ = _run(capsys, "audit", "claim", "--config", config, "--agent", "ana")
    assert code == 0 and json.loads(out)["claimed_by"] == "ana"
    code, _, err = _run(capsys, "audit", "claim", "--config", config, d.audit_id, "--agent", "bo")
    assert code == 1 and "not a waiting handoff" in err
    code, _, _ = _run(capsys, "audit", "resolve", "--config", config, d.audit_id, "--note", "ok")
    assert code == 0 and store.handoffs("resolved")[0].resolution == "ok"
    code, out, _ = _run(capsys, "audit", "handoffs", "--config", config)
    assert code == 0 and out.strip() == "no waiting handoffs"
    code, out, _ = _run(capsys, "audit", "show", "--config", config, d.audit_id)
    assert code == 0 and json.loads(out)["handoff_status"]["status"] == "resolved"


def test_cli_paths_cannot_reach_another_tenant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second tenant's config on the same database sees none of acme's records."""
    acme_store = SQLiteStore(tmp_path / "audit.db", "acme")
    conv, draft, d = case(action=Action.escalate)
    acme_store.write(conv, draft, d)
    other = tmp_path / "globex"
    other.mkdir()
    config = str(_config(other, tenant="globex", store=f"sqlite:///{tmp_path / 'audit.db'}"))
    assert _run(capsys, "audit", "export", "--config", config)[1] == ""
    assert _run(capsys, "audit", "show", "--config", config, d.audit_id)[0] == 1
    assert _run(capsys, "audit", "claim", "--config", config, "--agent", "x")[0] == 1
    assert json.loads(_run(capsys, "metrics", "--config", config, "--json")[1])["decisions"] == 0


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("redact_patterns = { lower = 'x' }", "UPPER_CASE"),
        ("redact_patterns = { BAD = '(' }", "not a regular expression"),
        ("redact_patterns = { EMPTY = 'a*' }", "empty string"),
        ('redact = ["ssn"]', "[audit] redact"),
        ("escalation_alert = 2.0", "[audit] escalation_alert"),
        ("retention_days = 0", "[audit] retention_days"),
    ],
)
def test_bad_audit_settings_name_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, needle: str
) -> None:
    """A wrong [audit] value is a config error (exit 2) that says what is wrong."""
    config = _config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    code, _, err = _run(capsys, "metrics", "--config", str(config))
    assert code == 2 and needle in err
