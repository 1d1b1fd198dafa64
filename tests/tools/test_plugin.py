"""The pytest plugin's helpers: readable assertions whose failures show the violations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guardrail import Guardrail
from guardrail.testing._tools import check_tool_call

from ._helpers import AS_OF, ORDER, ROOT

CALL = {
    "name": "refund_order",
    "arguments": {"order_id": "A-1001", "amount_cents": 50000, "reason_code": "damaged"},
}


@pytest.fixture(scope="module")
def guard() -> Guardrail:
    return Guardrail.from_config(str(ROOT / "examples" / "acme" / "guardrail.toml"), audit=None)


def test_fixtures_block_and_allow(
    guard: Guardrail,
    assert_tool_blocked: Callable[..., Any],
    assert_tool_allowed: Callable[..., Any],
) -> None:
    """The plugin's fixtures pass for a blocked and an allowed call."""
    result = assert_tool_blocked(
        guard, CALL, context={"order": ORDER}, as_of=AS_OF, rule="within-order-total"
    )
    assert not result.allowed
    ok = {**CALL, "arguments": {**CALL["arguments"], "amount_cents": 100}}  # type: ignore[dict-item]
    assert assert_tool_allowed(guard, ok, context={"order": ORDER}, as_of=AS_OF).allowed


def test_blocked_helper_failure_shows_the_call(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """When the call is allowed, the failure says so and shows the arguments."""
    ok = {**CALL, "arguments": {**CALL["arguments"], "amount_cents": 100}}  # type: ignore[dict-item]
    with pytest.raises(
        AssertionError,
        match=r"to be blocked by rule 'within-order-total', but it "
        r"was allowed\n  call: refund_order .*\"amount_cents\": 100",
    ):
        assert_tool_blocked(
            guard, ok, context={"order": ORDER}, as_of=AS_OF, rule="within-order-total"
        )


def test_blocked_helper_failure_lists_the_other_violations(
    guard: Guardrail, assert_tool_blocked: Callable[..., Any]
) -> None:
    """Blocked by another rule than expected: the message lists what did block it."""
    with pytest.raises(
        AssertionError,
        match=r"other rules blocked it:\n.*\n  - "
        r"within-order-total \(argument amount_cents\): the refund",
    ):
        assert_tool_blocked(guard, CALL, context={"order": ORDER}, as_of=AS_OF, rule="same-order")


def test_allowed_helper_failure_lists_violations(
    guard: Guardrail, assert_tool_allowed: Callable[..., Any]
) -> None:
    """A blocked call fails ``assert_tool_allowed`` with every violation listed."""
    with pytest.raises(AssertionError, match=r"to be allowed, but:\n.*\n  - within-order-total"):
        assert_tool_allowed(guard, CALL, context={"order": ORDER}, as_of=AS_OF)


def test_prior_calls_count(guard: Guardrail, assert_tool_blocked: Callable[..., Any]) -> None:
    """``prior=`` puts earlier calls of the same draft before the one asserted on."""
    half = {**CALL, "arguments": {**CALL["arguments"], "amount_cents": 8000}}  # type: ignore[dict-item]
    assert_tool_blocked(
        guard, half, prior=[half], context={"order": ORDER}, as_of=AS_OF, rule="within-order-total"
    )


def test_check_tool_call_accepts_a_bare_layer(guard: Guardrail) -> None:
    """The helpers take a ToolsLayer too (no golden set: policy rules cannot pass)."""
    result, prior = check_tool_call(guard.tools, CALL, context={"order": ORDER}, as_of=AS_OF)
    assert prior == [] and not result.allowed
    assert "within-return-window" in {v.rule for v in result.violations}
