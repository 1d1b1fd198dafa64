"""Skyway's booking-desk policy, pinned with guardrail's pytest plugin and its demo.

The tenant function ``free_bags`` comes from ``functions.py`` beside this file, which
``[tools] functions`` in its ``guardrail.toml`` registers when the guard is built.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from guardrail import Conversation, Guardrail, Message
from guardrail._demo import run_demo

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-20T10:00:00Z"
FLIGHT = {"id": "SW102", "fares": {"economy": 24900, "business": 89900}, "seats_left": 4}


@pytest.fixture(scope="module")
def skyway() -> Guardrail:
    return Guardrail.from_config(str(HERE / "guardrail.toml"), audit=None)


def booking(paid: object, bags: int, membership: str = "silver") -> dict[str, Any]:
    return {
        "call": {
            "name": "book_flight",
            "arguments": {
                "flight_id": "SW102",
                "cabin": "economy",
                "passengers": [{"name": "Ada", "checked_bags": bags, "insurance": True}],
                "amount_paid": paid,
            },
        },
        "context": {"flight": FLIGHT, "customer": {"id": "u-1", "membership": membership}},
    }


@pytest.mark.parametrize("paid", [329, 329.0])
def test_exact_payment_is_allowed_however_it_is_spelled(skyway: Guardrail, paid: object) -> None:
    """$249 fare + one extra bag ($50, silver has one free) + $30 insurance = $329, after
    the customer said yes (the plugin's fixtures send no messages, so this uses
    ``guard.tools.validate`` directly)."""
    case = booking(paid, bags=2)
    conversation = Conversation(
        tenant="skyway",
        id="t-1",
        customer_id="u-1",
        as_of=datetime(2026, 11, 20, 10, tzinfo=UTC),
        messages=[Message(role="customer", text="Yes, book it.")],
        context=case["context"],
    )
    [result] = skyway.tools.validate(
        [case["call"]], conversation=conversation, knowledge=skyway.knowledge
    )
    assert result.allowed, result.violations


def test_underpayment_is_blocked(
    skyway: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """Leaving the extra bag out of the payment is blocked by paid-exactly."""
    case = booking(279, bags=2)
    assert_tool_blocked(
        skyway, case["call"], context=case["context"], as_of=AS_OF, rule="paid-exactly"
    )


def test_demo_scenarios_come_out_as_expected() -> None:
    """Every skyway scenario gets its expected action (`guardrail demo --config …`)."""
    out = io.StringIO()
    assert run_demo(HERE / "guardrail.toml", out) == 0, out.getvalue()
    assert "14 scenarios, 14 as expected." in out.getvalue()
