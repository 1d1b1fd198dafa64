"""Issue 11's two workloads as data plus the plain-Python checks every peer wraps.

Standard library only: this module is imported by every worker, each in its own venv.

* **W1**: the 157-word support reply of ``benchmarks/bench_gate.py`` checked against three
  policy facts (30-day returns, 15% restocking fee, free shipping over $50). The reply says
  60 days, so the check fails with one violation (the return window).
* **W2**: ``refund_order(order_id="A-1", amount_cents=20000, reason_code="damaged")`` against
  an order whose total is 12900 cents: blocked (the refund exceeds the order total).

The peers do not get a weaker or stronger check than the baseline: each framework calls
:func:`check_reply` / :func:`check_refund` from its own idiomatic hook, so the difference
between a peer and ``baseline`` is the framework's own cost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

W1_TEXT = (
    "Thanks for reaching out, and I'm sorry the Ridgeline boots did not work out for you. "
    "Here is how our returns work. You have 60 days from delivery to return unworn items, "
    "so there is plenty of time to decide. Please pack the boots in their original box with "
    "the tags attached, print the prepaid label from your account page and drop the parcel "
    "at any carrier location. Once the item reaches our warehouse we inspect it within two "
    "days. A 15% restocking fee applies to opened footwear, and it is deducted from the "
    "refund automatically. If you would rather exchange the boots for another size, just "
    "choose exchange instead of refund when you print the label and we will ship the new "
    "pair as soon as the return is scanned. As a reminder, orders over $50 ship free, so the "
    "replacement pair will not cost you anything extra to send. Let me know if there is "
    "anything else I can help with today."
)
W1_QUESTION = "How do returns work for my boots?"
W2_QUESTION = "The boots arrived damaged, refund me."
W2_REPLY = "I've refunded $200.00 to your card."
NOOP_TEXT = "Happy to help with anything else."

ORDER: dict[str, Any] = {
    "id": "A-1",
    "total_cents": 12900,
    "status": "delivered",
    "delivered_at": "2026-11-02",
}
REFUND_TOOL = "refund_order"
REFUND_ARGS: dict[str, Any] = {"order_id": "A-1", "amount_cents": 20000, "reason_code": "damaged"}
REFUND_ARGS_JSON = json.dumps(REFUND_ARGS)
REASON_CODES = frozenset({"damaged", "not_as_described", "late", "other"})


@dataclass(frozen=True)
class Fact:
    """One policy number: a sentence naming ``keyword`` must state ``value`` in ``unit``."""

    name: str
    keyword: str
    pattern: re.Pattern[str]
    value: float


FACTS: tuple[Fact, ...] = (
    Fact("return window (days)", "return", re.compile(r"\b(\d+(?:\.\d+)?)[- ]days?\b"), 30),
    Fact("restocking fee (%)", "restocking", re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:%|percent)"), 15),
    Fact("free shipping over ($)", "ship", re.compile(r"\$(\d+(?:\.\d+)?)"), 50),
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

W1_EXPECTED = ["return window (days): reply says 60, policy says 30"]
W2_EXPECTED = "refund 20000 exceeds order total 12900"


def check_reply(text: str, facts: tuple[Fact, ...] = FACTS) -> list[str]:
    """The policy-number violations in ``text`` (empty list: the reply passes)."""
    violations: list[str] = []
    for sentence in _SENTENCE.split(text):
        lowered = sentence.lower()
        for fact in facts:
            if fact.keyword not in lowered:
                continue
            for match in fact.pattern.finditer(lowered):
                stated = float(match.group(1))
                if stated != fact.value:
                    violations.append(
                        f"{fact.name}: reply says {stated:g}, policy says {fact.value:g}"
                    )
    return violations


def check_refund(args: Mapping[str, Any], order: Mapping[str, Any] = ORDER) -> str | None:
    """Why the ``refund_order`` call must be blocked, or None when it is within bounds."""
    if args.get("order_id") != order["id"]:
        return f"order {args.get('order_id')!r} is not the customer's order"
    amount = args.get("amount_cents")
    if not isinstance(amount, int) or amount <= 0:
        return "amount_cents must be a positive integer"
    if amount > order["total_cents"]:
        return f"refund {amount} exceeds order total {order['total_cents']}"
    if args.get("reason_code") not in REASON_CODES:
        return f"unknown reason_code {args.get('reason_code')!r}"
    return None


def expect(name: str, got: object, want: object) -> None:
    """Raise (the benchmark refuses to time it) when a verdict is not the expected one."""
    if got != want:
        raise AssertionError(f"{name}: wrong verdict {got!r}, expected {want!r}")
