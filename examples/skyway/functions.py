"""Skyway's tenant functions, callable from its tool rules (each spec declares the ones
it calls in "functions"). ``guardrail demo`` and ``guardrail rules`` call register()."""

from __future__ import annotations

from typing import Any

#: free checked bags per passenger, by membership tier and cabin
FREE_BAGS = {
    ("basic", "economy"): 0,
    ("basic", "business"): 2,
    ("silver", "economy"): 1,
    ("silver", "business"): 2,
    ("gold", "economy"): 2,
    ("gold", "business"): 3,
}


def free_bags(membership: str, cabin: str) -> int:
    """Free checked bags per passenger; an unknown tier or cabin raises, which makes the
    rule unevaluable and blocks the call (the gate never guesses)."""
    return FREE_BAGS[(membership, cabin)]


def register(tools: Any) -> None:
    """Register the functions with a ToolsLayer (``guard.tools``)."""
    tools.function("free_bags")(free_bags)
