"""Assertions for tool calls: ``assert_tool_blocked`` / ``assert_tool_allowed``.

They run the call through the real gate (schema, resolvers, CEL rules) and fail with a
message that lists the violations, so a test reads like the policy it pins::

    assert_tool_blocked(guard, {"name": "refund_order", "arguments": {...}},
                        context={"order": {...}}, rule="within-order-total")
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ..knowledge import Knowledge
from ..models import Conversation, ToolCall, ToolCallResult
from ..tools import ToolsLayer

__all__ = ["assert_tool_allowed", "assert_tool_blocked", "check_tool_call"]

CallLike = ToolCall | Mapping[str, Any]


def check_tool_call(
    guard: Any,
    call: CallLike,
    *,
    context: Mapping[str, Any] | None = None,
    as_of: datetime | str | None = None,
    customer_id: str | None = "customer-1",
    prior: Sequence[CallLike] = (),
    knowledge: Knowledge | None = None,
) -> tuple[ToolCallResult, list[ToolCallResult]]:
    """The gate's verdict on ``call`` after the ``prior`` calls of the same draft.

    ``guard`` is a :class:`~guardrail.Guardrail` or a :class:`~guardrail.tools.ToolsLayer`;
    ``as_of`` defaults to now (UTC). Returns (the call's verdict, the prior verdicts)."""
    layer: ToolsLayer = guard if isinstance(guard, ToolsLayer) else guard.tools
    if knowledge is None and not isinstance(guard, ToolsLayer):
        knowledge = guard.knowledge
    when = as_of if as_of is not None else datetime.now(UTC)
    conversation = Conversation.model_validate(
        {
            "tenant": getattr(guard, "tenant", None) or "test",
            "id": "pytest",
            "customer_id": customer_id,
            "as_of": when,
            "context": dict(context or {}),
        }
    )
    results = layer.validate([*prior, call], conversation=conversation, knowledge=knowledge)
    return results[-1], results[:-1]


def assert_tool_blocked(
    guard: Any, call: CallLike, *, rule: str | None = None, **kwargs: Any
) -> ToolCallResult:
    """Fail unless the gate blocks ``call`` (by the rule ``rule``, when given).
    Keyword arguments are those of :func:`check_tool_call`."""
    __tracebackhide__ = True
    result, _ = check_tool_call(guard, call, **kwargs)
    wanted = f" by rule {rule!r}" if rule else ""
    if result.allowed:
        raise AssertionError(
            f"expected {_name(call)} to be blocked{wanted}, but it was allowed\n{_show(result)}"
        )
    if rule and not any(v.rule == rule for v in result.violations):
        raise AssertionError(
            f"expected {_name(call)} to be blocked{wanted}, but other rules blocked it:\n"
            f"{_show(result)}"
        )
    return result


def assert_tool_allowed(guard: Any, call: CallLike, **kwargs: Any) -> ToolCallResult:
    """Fail unless the gate allows ``call``; the message lists every violation."""
    __tracebackhide__ = True
    result, _ = check_tool_call(guard, call, **kwargs)
    if not result.allowed:
        raise AssertionError(f"expected {_name(call)} to be allowed, but:\n{_show(result)}")
    return result


def _name(call: CallLike) -> str:
    return str(call.name if isinstance(call, ToolCall) else call.get("name", "?"))


def _show(result: ToolCallResult) -> str:
    lines = [f"  call: {result.name} {json.dumps(result.arguments, sort_keys=True)[:300]}"]
    if result.allowed:
        lines.append("  violations: none")
    for v in result.violations:
        where = f" (argument {v.argument})" if v.argument else ""
        lines.append(f"  - {v.rule}{where}: {v.message}")
    return "\n".join(lines)
