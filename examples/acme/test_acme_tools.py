"""Acme's tool policy, pinned with guardrail's pytest plugin.

The ``assert_tool_blocked`` / ``assert_tool_allowed`` fixtures come from the plugin that
``pip install guardrail`` registers; each runs one proposed call through the real gate
(JSON Schema + CEL rules, acme's golden set as of ``as_of``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from guardrail import Guardrail

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-20T10:00:00Z"
BOOTS = {"id": "A-1001", "total_cents": 12900, "status": "delivered", "delivered_at": "2026-11-02"}


@pytest.fixture(scope="module")
def guard() -> Guardrail:
    return Guardrail.from_config(str(HERE / "guardrail.toml"), audit=None)


def refund(amount_cents: int, reason_code: str = "damaged") -> dict[str, Any]:
    return {
        "name": "refund_order",
        "arguments": {
            "order_id": "A-1001",
            "amount_cents": amount_cents,
            "reason_code": reason_code,
        },
    }


def test_full_refund_of_delivered_boots_is_allowed(
    guard: Guardrail, assert_tool_allowed: Callable[..., Any]
) -> None:
    """A refund of the whole order inside the 30-day window goes through."""
    assert_tool_allowed(guard, refund(12900), context={"order": BOOTS}, as_of=AS_OF)


def test_refund_over_the_order_total_is_blocked(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """$500 back on a $129 order: blocked by the order-total rule."""
    assert_tool_blocked(
        guard, refund(50000), context={"order": BOOTS}, as_of=AS_OF, rule="within-order-total"
    )


def test_second_partial_refund_over_the_total_is_blocked(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """Two $80 refunds on a $129 order: the second is blocked."""
    assert_tool_blocked(
        guard,
        refund(8000),
        prior=[refund(8000)],
        context={"order": BOOTS},
        as_of=AS_OF,
        rule="within-order-total",
    )


def test_refund_after_the_window_closed_is_blocked(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """Delivered 40 days before the conversation: outside acme's 30-day window."""
    old = {**BOOTS, "delivered_at": "2026-10-11"}
    assert_tool_blocked(
        guard, refund(12900), context={"order": old}, as_of=AS_OF, rule="within-return-window"
    )


def test_sixty_days_applied_before_the_policy_change(
    guard: Guardrail, assert_tool_allowed: Callable[..., Any]
) -> None:
    """On 2026-09-20 the 60-day window was in force: a 40-day-old order was refundable."""
    old = {**BOOTS, "delivered_at": "2026-08-11"}
    assert_tool_allowed(guard, refund(12900), context={"order": old}, as_of="2026-09-20T10:00:00Z")


def test_shipped_order_cannot_be_cancelled(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """Cancellation is only possible before shipment."""
    shipped = {"id": "A-2002", "total_cents": 4500, "status": "shipped"}
    call = {
        "name": "cancel_order",
        "arguments": {"order_id": "A-2002", "reason_code": "customer_request"},
    }
    assert_tool_blocked(
        guard, call, context={"order": shipped}, as_of=AS_OF, rule="before-shipment"
    )


def test_store_credit_above_the_cap_is_blocked(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """Goodwill credit is capped at $200 (policy.store_credit_cap_cents)."""
    call = {
        "name": "issue_store_credit",
        "arguments": {
            "customer_id": "customer-1",
            "amount_cents": 25000,
            "reason_code": "goodwill",
        },
    }
    assert_tool_blocked(guard, call, as_of=AS_OF, rule="within-credit-cap")


def test_float_amount_is_blocked_by_the_schema(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """129.0 is not an integer number of cents."""
    call = refund(12900)
    call["arguments"]["amount_cents"] = 129.0
    assert_tool_blocked(guard, call, context={"order": BOOTS}, as_of=AS_OF, rule="schema:type")
