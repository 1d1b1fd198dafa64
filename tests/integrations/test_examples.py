"""Each integration example runs offline from a clean interpreter and shows all four
outcomes (release, rewrite, escalate, a blocked tool call)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import require

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "integrations"
#: example script -> (the module its extra installs, the extra)
CASES = {
    "openai_agents_demo.py": ("agents", "openai-agents"),
    "pydantic_ai_demo.py": ("pydantic_ai", "pydantic-ai"),
    "langgraph_demo.py": ("langchain", "langgraph"),
    "claude_agent_sdk_demo.py": ("claude_agent_sdk", "claude-agent-sdk"),
}


@pytest.mark.parametrize("script", sorted(CASES))
def test_the_example_runs_offline_and_shows_every_outcome(script: str) -> None:
    """The example exits 0 and prints the rewrite, the escalation and the blocked call."""
    require(*CASES[script])
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "I'm looking into order A-1001 for you now." in out  # the rewrite
    assert "passing you to a colleague" in out  # the escalation's holding message
    assert "exceeds the order total" in out  # the blocked call's violation
