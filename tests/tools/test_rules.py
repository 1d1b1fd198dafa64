"""CEL policy rules: what they see (args, context, policy at as_of, now, prior,
conversation), and that a rule that cannot be evaluated blocks the call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from guardrail import ToolCall
from guardrail.knowledge import Knowledge
from guardrail.tools import ToolsLayer, ToolSpec

from ._helpers import ORDER, conversation, refund


def _layer(rule: str, **spec: Any) -> ToolsLayer:
    return ToolsLayer(
        [
            ToolSpec.from_dict(
                {
                    "name": "t",
                    "parameters": {"type": "object", "properties": {"n": {"type": "integer"}}},
                    "policy": [{"id": "r", "rule": rule, "message": "rule failed"}],
                    **spec,
                }
            )
        ]
    )


async def _one(
    layer: ToolsLayer, args: dict[str, Any], knowledge: Knowledge | None = None, **conv: Any
) -> Any:
    [result] = await layer.avalidate(
        [ToolCall(name="t", arguments=args)], conversation=conversation(**conv), knowledge=knowledge
    )
    return result


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("args.n <= context.order.missing_total", "no value for 'missing_total'"),
        ("args.n <= context.customer.limit", "no value for 'customer'"),
        ("args.n <= context.order.id", "wrong type"),
        ("args.n / 0 == 1", "could not be evaluated"),
        ("days_since(context.order.id) < 30", "could not be evaluated"),
    ],
)
async def test_rule_that_cannot_be_evaluated_blocks(rule: str, why: str) -> None:
    """Missing context, type errors and helper failures block, saying so."""
    result = await _one(_layer(rule), {"n": 1})
    assert not result.allowed
    [v] = result.violations
    assert v.rule == "r" and "could not be evaluated" in v.message and why in v.message
    assert v.argument == ("n" if "args." in rule else None)


async def test_rule_that_is_not_boolean_blocks() -> None:
    """A rule yielding a non-boolean (here an int) never counts as passing."""
    result = await _one(_layer("args.n + 1"), {"n": 1})
    assert not result.allowed and "not a boolean" in result.violations[0].message


async def test_rule_with_missing_optional_argument_blocks() -> None:
    """A rule over an argument the call omitted blocks rather than passing."""
    result = await _one(_layer("args.n < 5"), {})
    assert not result.allowed


@pytest.mark.parametrize(
    ("as_of", "delivered", "allowed"),
    [
        (datetime(2026, 11, 20, 10, tzinfo=UTC), "2026-11-02", True),  # 18 days, window 30
        (datetime(2026, 12, 2, 23, tzinfo=UTC), "2026-11-02", True),  # day 30: still inside
        (datetime(2026, 12, 3, 0, tzinfo=UTC), "2026-11-02", False),  # day 31
        (datetime(2026, 9, 25, 10, tzinfo=UTC), "2026-08-01", True),  # 55 days, window was 60
        (datetime(2026, 11, 20, 10, tzinfo=UTC), "2026-09-25", False),  # 56 days, window 30
    ],
)
async def test_return_window_uses_the_policy_in_force_at_as_of(
    layer: ToolsLayer, knowledge: Knowledge, as_of: datetime, delivered: str, allowed: bool
) -> None:
    """``policy`` is the golden set at ``as_of`` and ``now`` is ``as_of``: the same call is
    judged by the window that applied then (60 days before 2026-10-01, 30 after)."""
    conv = conversation({"order": {**ORDER, "delivered_at": delivered}}, as_of=as_of)
    [result] = await layer.avalidate([refund(100)], conversation=conv, knowledge=knowledge)
    assert result.allowed is allowed
    if not allowed:
        assert [v.rule for v in result.violations] == ["within-return-window"]


async def test_missing_policy_fact_blocks(layer: ToolsLayer) -> None:
    """Without the golden set (no ``policy.return_window_days``) a refund cannot pass."""
    [result] = await layer.avalidate([refund(100)], conversation=conversation())
    assert not result.allowed
    assert "could not be evaluated" in result.violations[0].message


async def test_conversation_variable_binds_store_credit_to_the_customer(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """``conversation.customer_id`` keeps store credit with the customer being served."""
    calls = [
        ToolCall(
            name="issue_store_credit",
            arguments={"customer_id": cid, "amount_cents": 500, "reason_code": "goodwill"},
        )
        for cid in ("u-1", "u-2")
    ]
    results = await layer.avalidate(calls, conversation=conversation(), knowledge=knowledge)
    assert [r.allowed for r in results] == [True, False]
    assert results[1].violations[0].rule == "same-customer"


async def test_timestamps_compare_with_the_standard_functions() -> None:
    """Dates may also be compared with CEL's own ``timestamp``/``duration``."""
    rule = "timestamp(context.order.delivered_at + 'T00:00:00Z') + duration('720h') >= now"
    assert (await _one(_layer(rule), {"n": 1})).allowed
    late = datetime(2026, 12, 3, tzinfo=UTC)
    assert not (await _one(_layer(rule), {"n": 1}, as_of=late)).allowed


@pytest.mark.parametrize(
    ("status", "reason", "allowed"),
    [
        ("delivered", "damaged", True),
        ("shipped", "damaged", False),
        ("shipped", "not_received", True),
        ("delivered", "not_received", False),
    ],
)
async def test_refund_status_rule(
    layer: ToolsLayer, knowledge: Knowledge, status: str, reason: str, allowed: bool
) -> None:
    """Refunds need a delivered order, except 'not_received' on a shipped/lost one."""
    conv = conversation({"order": {**ORDER, "status": status}})
    [result] = await layer.avalidate(
        [refund(100, reason=reason)], conversation=conv, knowledge=knowledge
    )
    assert result.allowed is allowed


async def test_refund_for_another_order_is_blocked(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """Without a resolver the context order stands, and a call on another id is blocked."""
    [result] = await layer.avalidate(
        [refund(100, order_id="A-9999")], conversation=conversation(), knowledge=knowledge
    )
    assert [v.rule for v in result.violations] == ["same-order"]
