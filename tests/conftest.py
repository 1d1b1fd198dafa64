"""Shared fixtures. The autouse ``_no_network`` fixture turns on the pytest plugin's
``guardrail_no_network`` guard for every test, so any attempt to reach a host other than
this machine fails the test loudly: no test may call a real model API.

Property tests (hypothesis) never fail on the clock: no per-example deadline and no
"too slow" health check, since CI runs once on a loaded machine. Under ``CI`` they are
also derandomized (the same examples every run, no example database), so a CI run is
reproducible; locally each run draws new examples and keeps failures in ``.hypothesis/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("guardrail", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "guardrail-ci", settings.get_profile("guardrail"), derandomize=True, database=None
)
settings.load_profile("guardrail-ci" if os.environ.get("CI") else "guardrail")

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "examples" / "acme"


@pytest.fixture(autouse=True)
def _no_network(guardrail_no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """No network but loopback, and no provider keys or base URLs from the environment."""
    for var in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def acme_config() -> Path:
    """The example tenant's guardrail.toml."""
    return ACME / "guardrail.toml"
