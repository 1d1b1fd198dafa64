"""Guardrails AI 0.11: a ``Guard`` with a custom registered ``Validator``, ``Guard.validate``.

* W1: ``Guard().use(PolicyNumbers(on_fail="noop"))``; ``guard.validate(reply)``;
  ``outcome.validation_passed`` is False and the ``FailResult`` carries the violation.
* W2: ``Guard.for_pydantic(RefundOrderArgs).use(RefundWithinOrder(on_fail="noop"))``;
  ``guard.validate(arguments_json, metadata={"order": ...})``: the arguments are parsed
  into the schema, then the validator compares them with the order.

Variant ``sync`` is the same code with ``GUARDRAILS_RUN_SYNC=true`` (set by ``run.py`` in
the worker's environment: the sequential validator service instead of the asyncio one).
Anonymous metrics are switched off (``guard.configure(allow_metrics_collection=False)``)
so nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guardrails import Guard, OnFailAction
from guardrails.validators import (
    FailResult,
    PassResult,
    ValidationResult,
    Validator,
    register_validator,
)
from pydantic import BaseModel
from workloads import (
    NOOP_TEXT,
    ORDER,
    REFUND_ARGS_JSON,
    W1_EXPECTED,
    W1_TEXT,
    W2_EXPECTED,
    check_refund,
    check_reply,
    expect,
)


@register_validator(name="bench/policy-numbers", data_type="string")
class PolicyNumbers(Validator):
    """Numbers in the reply must match the policy facts."""

    def _validate(self, value: Any, metadata: dict[str, Any]) -> ValidationResult:
        violations = check_reply(value)
        if violations:
            return FailResult(error_message="; ".join(violations))
        return PassResult()


@register_validator(name="bench/always-pass", data_type="string")
class AlwaysPass(Validator):
    """Accepts everything."""

    def _validate(self, value: Any, metadata: dict[str, Any]) -> ValidationResult:
        return PassResult()


@register_validator(name="bench/refund-within-order", data_type="object")
class RefundWithinOrder(Validator):
    """A refund must be for the customer's order and at most its total."""

    def _validate(self, value: Any, metadata: dict[str, Any]) -> ValidationResult:
        reason = check_refund(value, metadata["order"])
        if reason:
            return FailResult(error_message=reason)
        return PassResult()


class RefundOrderArgs(BaseModel):
    order_id: str
    amount_cents: int
    reason_code: str


def _error(outcome: Any) -> str | None:
    summaries = outcome.validation_summaries or []
    return "; ".join(s.failure_reason for s in summaries if s.failure_reason) or None


def build(variant: str = "") -> dict[str, Callable[[], Any]]:
    w1_guard = Guard().use(PolicyNumbers(on_fail=OnFailAction.NOOP))
    w2_guard = Guard.for_pydantic(RefundOrderArgs).use(RefundWithinOrder(on_fail=OnFailAction.NOOP))
    noop_guard = Guard().use(AlwaysPass(on_fail=OnFailAction.NOOP))
    for guard in (w1_guard, w2_guard, noop_guard):
        guard.configure(allow_metrics_collection=False)
    metadata = {"order": ORDER}

    expect("guardrails_ai W1", _error(w1_guard.validate(W1_TEXT)), "; ".join(W1_EXPECTED))
    expect(
        "guardrails_ai W2",
        _error(w2_guard.validate(REFUND_ARGS_JSON, metadata=metadata)),
        W2_EXPECTED,
    )

    def w1() -> str:
        return "pass" if w1_guard.validate(W1_TEXT).validation_passed else "fail"

    def w2() -> str:
        outcome = w2_guard.validate(REFUND_ARGS_JSON, metadata=metadata)
        return "allow" if outcome.validation_passed else "block"

    def noop() -> str:
        return "pass" if noop_guard.validate(NOOP_TEXT).validation_passed else "fail"

    return {"W1": w1, "W2": w2, "noop": noop}
