"""The README stays true: its quickstart runs as written and its decision table matches
the router's."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from guardrail.routing import RULES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_come_first() -> None:
    """The demo command and the test command are the first two code blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert "guardrail demo" in blocks[0]
    assert blocks[1].strip() == "scripts/test"
    assert (
        (ROOT / ".ci" / "run")
        .read_text(encoding="utf-8")
        .rstrip()
        .endswith("exec bash scripts/test")
    )


def test_quickstart_runs_and_escalates_the_stale_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The first Python block runs against the example tenant and prints the findings it
    promises."""
    code = re.findall(r"```python\n(.*?)```", README, re.S)[0]
    config = tmp_path / "guardrail.toml"
    original = (ROOT / "examples" / "acme" / "guardrail.toml").read_text(encoding="utf-8")
    acme = (ROOT / "examples" / "acme").as_posix()
    text = re.sub(r'= "(policies.json|knowledge|tool_schemas)"', rf'= "{acme}/\1"', original)
    config.write_text(text.replace("sqlite:///audit.db", "none"), encoding="utf-8")
    code = code.replace('"examples/acme/guardrail.toml"', repr(str(config)))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue()
    assert printed.splitlines()[0] == "escalate"
    assert "POLICY_CONTRADICTION" in printed
    assert "STALE_SOURCE" in printed


def test_readme_decision_table_matches_the_router() -> None:
    """Every rule of the router appears in the README's table, in order, with its action."""
    rows = re.findall(r"^\| (\d) \| `([a-z-]+)` \|.*\| \*\*(\w+)\*\*", README, re.M)
    assert [(rid, action) for _n, rid, action in rows] == [
        (rule.id, rule.action.value) for rule in RULES
    ]
