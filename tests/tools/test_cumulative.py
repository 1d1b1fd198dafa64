"""Several calls in one draft: each is judged after the earlier *allowed* ones."""

from __future__ import annotations

from guardrail import ToolCall
from guardrail.knowledge import Knowledge
from guardrail.tools import ToolsLayer

from ._helpers import ORDER, conversation, refund


async def test_two_partial_refunds_over_the_total_block_the_second(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """8000 + 8000 on a 12900 order: the first is allowed, the second blocked."""
    results = await layer.avalidate(
        [refund(8000), refund(8000)], conversation=conversation(), knowledge=knowledge
    )
    assert [r.allowed for r in results] == [True, False]
    assert results[1].violations[0].rule == "within-order-total"


async def test_partial_refunds_within_the_total_are_all_allowed(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Refunds summing exactly to the order total all pass."""
    results = await layer.avalidate(
        [refund(4300), refund(4300), refund(4300)], conversation=conversation(), knowledge=knowledge
    )
    assert all(r.allowed for r in results)


async def test_a_blocked_call_does_not_count_towards_the_total(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Only allowed calls accumulate: a blocked 20000 refund leaves room for 12900."""
    results = await layer.avalidate(
        [refund(20000), refund(12900)], conversation=conversation(), knowledge=knowledge
    )
    assert [r.allowed for r in results] == [False, True]


async def test_totals_are_per_order(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """Refunds on another order do not use up this order's total."""
    other = {
        "id": "A-2002",
        "total_cents": 12900,
        "status": "delivered",
        "delivered_at": "2026-11-10",
    }
    orders = {"A-1001": ORDER, "A-2002": other}

    @layer.resolver("order")
    def load(order_id: str) -> dict[str, object] | None:
        return orders.get(order_id)

    results = await layer.avalidate(
        [refund(12900), refund(12900, order_id="A-2002"), refund(1)],
        conversation=conversation(),
        knowledge=knowledge,
    )
    assert [r.allowed for r in results] == [True, True, False]


async def test_earlier_refunds_recorded_on_the_order_count(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """``context.order.refunded_cents`` (refunds before this draft) reduces what is left."""
    conv = conversation({"order": {**ORDER, "refunded_cents": 10000}})
    results = await layer.avalidate(
        [refund(2900), refund(1)], conversation=conv, knowledge=knowledge
    )
    assert [r.allowed for r in results] == [True, False]


async def test_store_credit_cap_spans_calls(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """Goodwill credits in one reply share the policy cap (acme: 20000 cents)."""

    def credit(amount: int) -> ToolCall:
        return ToolCall(
            name="issue_store_credit",
            arguments={"customer_id": "u-1", "amount_cents": amount, "reason_code": "goodwill"},
        )

    results = await layer.avalidate(
        [credit(15000), credit(5000), credit(1)], conversation=conversation(), knowledge=knowledge
    )
    assert [r.allowed for r in results] == [True, True, False]
    assert results[2].violations[0].rule == "within-credit-cap"
