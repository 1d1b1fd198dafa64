"""The example tenant's scenarios through the real pipeline: the grounding codes each
one must produce, and every grounding code is shown by some scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrail import Guardrail

SCENARIOS = Path(__file__).resolve().parents[2] / "examples" / "acme" / "scenarios"

#: scenario prefix → the grounding codes it must produce; the other 0x, 1x and 3x
#: scenarios produce none (scenarios other areas add are checked only when they release)
EXPECTED: dict[str, set[str]] = {
    "01": {"POLICY_CONTRADICTION", "STALE_SOURCE"},
    "04": {"POLICY_CONTRADICTION"},
    "05": {"MISSING_CITATION"},  # "$1" with nothing behind it
    "09": {"MISSING_CITATION"},  # "$500.00": the refund call is blocked, no source
    "12": {"POLICY_CONTRADICTION", "MISSING_CITATION"},  # standard delivery is 5, not 2
    "16": {"UNKNOWN_SOURCE"},
    "30": {"UNSUPPORTED_CLAIM"},
    "32": {"STALE_SOURCE", "UNSUPPORTED_CLAIM"},
    "33": {"MISSING_CITATION"},
}
FILES = sorted(SCENARIOS.glob("*.json"))
PINNED = [p for p in FILES if p.stem[0] in "013"]
RELEASED = [
    p
    for p in FILES
    if p not in PINNED and json.loads(p.read_text())["expect"]["action"] == "release"
]


@pytest.fixture(scope="module")
def guard() -> Guardrail:
    return Guardrail.from_config(str(SCENARIOS.parent / "guardrail.toml"), audit=None)


async def grounding_codes(guard: Guardrail, path: Path) -> set[str]:
    case = json.loads(path.read_text())
    decision = await guard.acheck(case["conversation"], case["draft"])
    return {f.code.value for f in decision.findings if f.layer.value == "grounding"}


@pytest.mark.parametrize("path", PINNED, ids=lambda p: p.stem)
async def test_scenario_grounding_codes(guard: Guardrail, path: Path) -> None:
    """Each grounding-relevant scenario produces exactly its expected grounding codes
    through the pipeline."""
    assert await grounding_codes(guard, path) == EXPECTED.get(path.stem[:2], set())


@pytest.mark.parametrize("path", RELEASED, ids=lambda p: p.stem)
async def test_released_scenarios_have_no_grounding_finding(guard: Guardrail, path: Path) -> None:
    """A scenario other areas expect to be released gets no grounding finding."""
    assert await grounding_codes(guard, path) == set()


def test_from_config_fixture_builds_the_same_guard(acme_config: Path) -> None:
    """The shared acme_config fixture builds a guard whose grounding layer is ours."""
    from guardrail.grounding import GroundingLayer

    guard = Guardrail.from_config(str(acme_config), audit=None)
    assert any(isinstance(layer, GroundingLayer) for layer in guard._deterministic)


def test_every_grounding_code_has_a_scenario() -> None:
    """Together the scenarios' expected codes show every grounding finding code."""
    shown: set[str] = set()
    for path in FILES:
        shown |= set(json.loads(path.read_text())["expect"].get("codes", []))
    grounding = {
        "POLICY_CONTRADICTION",
        "UNSUPPORTED_CLAIM",
        "STALE_SOURCE",
        "UNKNOWN_SOURCE",
        "MISSING_CITATION",
    }
    assert grounding <= shown
