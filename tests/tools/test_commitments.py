"""The commitment scan: promises in the text need an allowed call that backs them."""

from __future__ import annotations

import pytest

from guardrail import Code, ToolCall
from guardrail.knowledge import Knowledge
from guardrail.tools import ToolsLayer, find_promises
from guardrail.tools._commitments import scan

from ._helpers import conversation, ctx_for, refund


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("I've refunded you $500.", [("refund", 50000)]),
        ("I have refunded $129.00 to your card.", [("refund", 12900)]),
        ("We'll refund the full $1,250.50 today.", [("refund", 125050)]),
        ("I've gone ahead and issued a refund of 40 dollars.", [("refund", 4000)]),
        ("$129.00 has been refunded to your card.", [("refund", 12900)]),
        ("Your refund has been processed.", [("refund", None)]),
        ("I'll sell it to you for $1.", [("sale", 100)]),
        ("That's a deal!", [("sale", None)]),
        ("You can have the Summit 4 tent for just $1!", [("sale", 100)]),
        ("That's a legally binding offer.", [("legal", None)]),
        ("No takesies backsies.", [("legal", None)]),
        ("I've cancelled your order.", [("cancel_order", None)]),
        ("Your order has been cancelled.", [("cancel_order", None)]),
        ("I've cancelled your Trail Box subscription.", [("cancel_subscription", None)]),
        ("I've paused your subscription for 2 months.", [("pause_subscription", None)]),
        ("I've updated your shipping address.", [("address_change", None)]),
        ("I've added $25 of store credit to your account.", [("store_credit", 2500)]),
        ("I’ve arranged an exchange for a size 43.", [("exchange", None)]),
        ("If you send them back, I'll refund you.", [("refund", None)]),
        ("I\u2019VE REFUNDED $５０.", [("refund", 5000)]),
    ],
)
def test_promises_are_found(text: str, kinds: list[tuple[str, int | None]]) -> None:
    """Each phrasing is recognised as the right kind of promise, with its amount."""
    assert [(p.kind, p.amount_cents) for p in find_promises(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "Unworn items can be returned within 30 days of delivery.",
        "You can request a refund within 30 days of delivery.",
        "I can't refund an order after the return window.",
        "I will not cancel the order without your confirmation.",
        "I'm unable to issue store credit for that.",
        "Your order A-1001 was delivered on November 2.",
        "Orders of $50 or more ship free.",
        "Refunds reach your card within 5 business days.",
        "Would you like me to cancel the order?",
        "I understand your frustration.",
        "I've checked the order status for you.",
    ],
)
def test_non_promises_are_not_flagged(text: str) -> None:
    """Policy statements, questions, negations and modal offers are not promises."""
    assert find_promises(text) == []


async def _findings(
    layer: ToolsLayer, knowledge: Knowledge, text: str, calls: list[ToolCall]
) -> list[tuple[str, str]]:
    result = await layer.run(ctx_for(knowledge, text, calls))
    return [
        (f.code.value, str(f.evidence.get("kind") or f.evidence.get("rule")))
        for f in result.findings
    ]


async def test_accurate_description_of_an_allowed_call_passes(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """'I've refunded $129.00' with an allowed 12900 refund has no findings."""
    assert await _findings(layer, knowledge, "I've refunded $129.00.", [refund(12900)]) == []


async def test_refund_of_a_different_amount_is_unbacked(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """'I've refunded you $500' with an allowed refund of $129 is UNBACKED_COMMITMENT."""
    found = await _findings(layer, knowledge, "I've refunded you $500.", [refund(12900)])
    assert found == [("UNBACKED_COMMITMENT", "refund")]


async def test_sum_of_partial_refunds_backs_the_total(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Two allowed partial refunds back a sentence naming their sum, or either amount."""
    calls = [refund(5000), refund(7900)]
    assert await _findings(layer, knowledge, "I've refunded $129 in total.", calls) == []
    assert await _findings(layer, knowledge, "I've refunded $79.", calls) == []


async def test_promise_backed_only_by_a_blocked_call_is_unbacked(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """A blocked call backs nothing: the scan reports the promise as well as the call."""
    found = await _findings(layer, knowledge, "I've refunded $500.", [refund(50000)])
    assert sorted(found) == [
        ("TOOL_POLICY_VIOLATION", "within-order-total"),
        ("UNBACKED_COMMITMENT", "refund"),
    ]


async def test_a_refund_call_does_not_back_a_cancellation(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Backing is by kind: an allowed refund does not make 'I've cancelled' true."""
    text = "I've refunded $129.00 and cancelled your order."
    assert await _findings(layer, knowledge, text, [refund(12900)]) == [
        ("UNBACKED_COMMITMENT", "cancel_order")
    ]


async def test_legal_language_is_never_backed(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """Even with an allowed call, 'legally binding' is a critical finding."""
    result = await layer.run(
        ctx_for(knowledge, "I've refunded $129.00; this is legally binding.", [refund(12900)])
    )
    [finding] = result.findings
    assert finding.code is Code.UNBACKED_COMMITMENT and finding.severity.value == "critical"
    assert finding.evidence["kind"] == "legal"


async def test_cancel_backed_by_an_allowed_cancel_call(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """An allowed cancel_order backs 'I've cancelled your order'."""
    conv = conversation({"order": {"id": "A-3003", "total_cents": 500, "status": "processing"}})
    call = ToolCall(
        name="cancel_order", arguments={"order_id": "A-3003", "reason_code": "customer_request"}
    )
    result = await layer.run(ctx_for(knowledge, "I've cancelled your order.", [call], conv))
    assert result.findings == ()


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("I've refunded $50 and cancelled your order.", [("refund", 5000), ("cancel_order", None)]),
        ("I've cancelled your order and refunded $45.", [("cancel_order", None), ("refund", 4500)]),
        ("I checked your order and refunded $50.", [("refund", 5000)]),
        (
            "I've refunded $50 and added $20 of store credit.",
            [("refund", 5000), ("store_credit", 2000)],
        ),
        ("I can't refund it and cancel it for you.", []),
    ],
)
def test_chained_promises_are_found(text: str, kinds: list[tuple[str, int | None]]) -> None:
    """A second verb joined by 'and' to a first-person clause is a promise too."""
    assert sorted((p.kind, p.amount_cents) for p in find_promises(text)) == sorted(kinds)


@pytest.mark.parametrize(
    "text",
    [
        "Your refund is processed within 10 business days once we receive the item.",
        "Refunds are issued to the original payment method within 5 business days.",
        "Your refund will be issued within 5 business days once we receive the return.",
        "We refund the difference as store credit.",
        "We issue refunds within 5 business days of receiving the item.",
        "We cancel orders automatically if payment fails.",
    ],
)
def test_explaining_a_process_is_not_a_promise(text: str) -> None:
    """A present or future passive with a timeframe or condition, and a habitual 'we
    refund …', explain how a process works; they promise no transaction."""
    assert find_promises(text) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("I'll refund you $40.", [("refund", 4000)]),
        ("I refunded your order this morning.", [("refund", None)]),
        ("Your order is cancelled.", [("cancel_order", None)]),
        ("A refund of $40 will be issued to your card today.", [("refund", 4000)]),
        ("Your order's been cancelled.", [("cancel_order", None)]),
        ("I have refunded you €40.", [("refund", 4000)]),
        ("I've refunded 12.50 pounds to your card.", [("refund", 1250)]),
        ("I refunded ¥1000 today.", [("refund", 1000)]),
    ],
)
def test_done_and_promised_transactions_are_promises(
    text: str, kinds: list[tuple[str, int | None]]
) -> None:
    """First-person actions done or to come and completed passives stay promises, with
    amounts in other currencies read in minor units (yen have none)."""
    assert [(p.kind, p.amount_cents) for p in find_promises(text)] == kinds


def test_message_names_an_allowed_call_without_a_commitment() -> None:
    """When an allowed call's spec declares no commitment, the finding names that call
    and says how to declare one (issue 13)."""
    [finding] = scan("I've refunded your order.", [], ["lookup_order", "refund_order"])
    assert "'refund_order'" in finding.message and '"commitment"' in finding.message
    assert finding.evidence["uncommitted_calls"] == ["lookup_order", "refund_order"]
    [plain] = scan("I've refunded your order.", [])
    assert "no allowed tool call backs it" in plain.message
