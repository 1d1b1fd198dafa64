"""Builders shared by the tools-layer tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from guardrail import Conversation, Draft, ToolCall
from guardrail.knowledge import Knowledge
from guardrail.layers import CheckContext

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime(2026, 11, 20, 10, tzinfo=UTC)
ORDER: dict[str, Any] = {
    "id": "A-1001",
    "total_cents": 12900,
    "status": "delivered",
    "delivered_at": "2026-11-02",
}


def conversation(context: dict[str, Any] | None = None, **extra: Any) -> Conversation:
    data: dict[str, Any] = {
        "tenant": "acme",
        "id": "t-1",
        "customer_id": "u-1",
        "as_of": AS_OF,
        "context": {"order": dict(ORDER)} if context is None else context,
    }
    data.update(extra)
    return Conversation.model_validate(data)


def refund(
    amount: object = 12900, order_id: object = "A-1001", reason: str = "damaged"
) -> ToolCall:
    return ToolCall(
        name="refund_order",
        arguments={"order_id": order_id, "amount_cents": amount, "reason_code": reason},
    )


def ctx_for(
    knowledge: Knowledge, text: str, calls: list[ToolCall], conv: Conversation | None = None
) -> CheckContext:
    draft = Draft(text=text, tool_calls=calls)
    return CheckContext(conv or conversation(), draft, knowledge, audit_id="a-test")
