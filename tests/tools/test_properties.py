"""Property tests: the gate agrees with an independent oracle, and the schema fast path
agrees with jsonschema."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, cast

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from guardrail import ToolCall
from guardrail.knowledge import Knowledge
from guardrail.tools import ToolsLayer
from guardrail.tools._schema import StrictValidator, compile_fast

from ._helpers import AS_OF, ROOT, conversation
from .strategies import ORDERS, refund_arguments

REASONS = {"damaged", "not_received", "wrong_item", "changed_mind"}
ORDER_ID = re.compile(r"^[A-Z]{1,3}-[0-9]{1,12}$")
WINDOW = 30  # acme's return window at AS_OF
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _schema_ok(args: object) -> bool:
    if not isinstance(args, dict) or set(args) != {"order_id", "amount_cents", "reason_code"}:
        return False
    oid, amount = args["order_id"], args["amount_cents"]
    return (
        isinstance(oid, str)
        and ORDER_ID.search(oid) is not None
        and _int(amount)
        and 1 <= amount <= 10_000_000
        and args["reason_code"] in REASONS
    )


def _days(value: object) -> int | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return (AS_OF - datetime(day.year, day.month, day.day, tzinfo=UTC)).days


def _rules_hold(args: dict[str, Any], order: dict[str, Any], prior: int) -> bool:
    """The refund rules, written independently of CEL: a missing or mistyped value makes
    a rule fail; ``a || b`` holds when either side holds."""
    same = isinstance(order.get("id"), str) and order["id"] == args["order_id"]
    earlier: Any = order.get("refunded_cents", 0)
    total: Any = order.get("total_cents")
    within = _int(total) and _int(earlier) and args["amount_cents"] + prior + earlier <= total
    status = order.get("status")
    if args["reason_code"] == "not_received":
        status_ok = status in ("shipped", "lost")
        window = True
    else:
        status_ok = status == "delivered"
        days = _days(order.get("delivered_at"))
        window = days is not None and days <= WINDOW
    return bool(same and within and status_ok and window)


@SETTINGS
@given(calls=st.lists(refund_arguments(), min_size=1, max_size=4), order=ORDERS)
def test_refund_allowed_iff_every_rule_holds(
    layer: ToolsLayer, knowledge: Knowledge, calls: list[object], order: dict[str, Any]
) -> None:
    """For random arguments and orders, a refund is allowed exactly when the oracle says
    the schema and every rule hold, counting earlier allowed refunds of the same order;
    no allowed refund ever exceeds what is left of the order total."""
    proposed = [
        ToolCall.model_construct(name="refund_order", arguments=cast(Any, a), id=None)
        for a in calls
    ]
    results = layer.validate(
        proposed, conversation=conversation({"order": order}), knowledge=knowledge
    )
    prior: dict[str, int] = {}
    for args, result in zip(calls, results, strict=True):
        expected = _schema_ok(args)
        if expected:
            assert isinstance(args, dict)
            expected = _rules_hold(args, order, prior.get(args["order_id"], 0))
        assert result.allowed is expected, (args, order, result.violations)
        event("allowed" if result.allowed else "blocked")
        assert result.allowed or result.violations
        if result.allowed:
            assert isinstance(args, dict)
            prior[args["order_id"]] = prior.get(args["order_id"], 0) + args["amount_cents"]
            assert prior[args["order_id"]] + order.get("refunded_cents", 0) <= order["total_cents"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-20, 20) | st.floats(-20, 20) | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    instance=st.one_of(JSON, refund_arguments()),
    schema_file=st.sampled_from(sorted(p.name for p in (ROOT / "tool_schemas").glob("*.json"))),
)
def test_fast_path_agrees_with_jsonschema(instance: object, schema_file: str) -> None:
    """Wherever the compiled fast path covers a reference schema, it says "valid" exactly
    when jsonschema (strict integers) does."""
    import json

    spec = json.loads((ROOT / "tool_schemas" / schema_file).read_text(encoding="utf-8"))
    fast = compile_fast(spec["parameters"])
    assert fast is not None, "the reference schemas stay on the fast path"
    reference = StrictValidator(spec["parameters"], format_checker=StrictValidator.FORMAT_CHECKER)
    assert fast(instance) is reference.is_valid(instance)
