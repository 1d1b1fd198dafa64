"""A process killed with SIGKILL in the middle of a tool handler leaves a write-ahead
record that ``guardrail audit pending`` lists for a human to reconcile."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from guardrail.cli import main

from .conftest import ACME, ROOT

CHILD = """
import sys
from guardrail import Guardrail
from guardrail.audit import SQLiteStore
from guardrail.config import ToolsConfig
from guardrail.knowledge import GoldenSet, Knowledge
from guardrail.tools import load_tools_layer
from tests.reliability.conftest import scenario

acme, db = sys.argv[1], sys.argv[2]
from pathlib import Path
knowledge = Knowledge(golden=GoldenSet.load(Path(acme) / "policies.json"))
tools = load_tools_layer(ToolsConfig(schemas="tool_schemas"), Path(acme), knowledge)
guard = Guardrail(tenant="acme", knowledge=knowledge, tools=tools, audit=SQLiteStore(db, "acme"))

@guard.tool("refund_order")
def refund(order_id, amount_cents, reason_code, idempotency_key):
    print(idempotency_key, flush=True)  # the parent kills us once it reads this
    sys.stdin.read()  # block until killed (the parent never closes stdin first)

guard.check(*scenario("08"))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_handler_shows_up_in_audit_pending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The call whose handler was running when the process died is listed by
    ``guardrail audit pending`` with its idempotency key, state ``running``."""
    db = tmp_path / "audit.db"
    config = tmp_path / "guardrail.toml"
    config.write_text('[tenant]\nid = "acme"\n[audit]\nstore = "sqlite:///audit.db"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ACME), str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        key = child.stdout.readline().strip()  # blocks until the handler is running
        assert key.endswith(":0"), key
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
        if child.stdin is not None:
            child.stdin.close()
        if child.stdout is not None:
            child.stdout.close()
    assert main(["audit", "pending", "--config", str(config), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["idempotency_key"], r["state"], r["tool"]) for r in rows] == [
        (key, "running", "refund_order")
    ]
    assert main(["audit", "handoffs", "--config", str(config)]) == 0
    assert "1 tool execution(s) with no recorded outcome" in capsys.readouterr().out
