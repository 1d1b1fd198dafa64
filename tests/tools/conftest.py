"""Fixtures for the tools-layer tests: the reference tools and the acme golden set."""

from __future__ import annotations

import pytest

from guardrail.knowledge import GoldenSet, Knowledge
from guardrail.tools import ToolsLayer

from ._helpers import ROOT


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The acme golden set (return window 60 days until 2026-10-01, then 30)."""
    return Knowledge(golden=GoldenSet.load(ROOT / "examples" / "acme" / "policies.json"))


@pytest.fixture
def layer(knowledge: Knowledge) -> ToolsLayer:
    """A fresh layer with the library's reference tools."""
    built = ToolsLayer.from_path(ROOT / "tool_schemas")
    built.check_policy_keys(knowledge)
    return built
