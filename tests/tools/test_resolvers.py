"""Context resolvers: the host loads what a rule needs, once per entity per check."""

from __future__ import annotations

import asyncio
from typing import Any

from guardrail.knowledge import Knowledge
from guardrail.tools import ToolsLayer

from ._helpers import ORDER, conversation, ctx_for, refund


async def test_resolver_is_called_once_per_entity_per_check(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Three calls on one order and one on another: two loads, and the loaded data (not
    the conversation's context) is what rules see."""
    loads: list[str] = []
    other = {**ORDER, "id": "A-2002", "total_cents": 500}

    @layer.resolver("order")
    def load(order_id: str) -> dict[str, Any] | None:
        loads.append(order_id)
        return {"A-1001": ORDER, "A-2002": other}.get(order_id)

    calls = [refund(100), refund(100, order_id="A-2002"), refund(100), refund(600, "A-2002")]
    results = await layer.avalidate(calls, conversation=conversation({}), knowledge=knowledge)
    assert sorted(loads) == ["A-1001", "A-2002"]
    assert [r.allowed for r in results] == [True, True, True, False]


async def test_async_resolver_and_pulled_entities(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """An async resolver works, and what it loaded is handed to the pipeline as ``pulled``."""

    @layer.resolver("order")
    async def load(order_id: str) -> dict[str, Any]:
        await asyncio.sleep(0)
        return dict(ORDER)

    result = await layer.run(ctx_for(knowledge, "Done.", [refund(100)], conversation({})))
    assert result.tool_calls is not None and result.tool_calls[0].allowed
    assert result.pulled == {"order:A-1001": ORDER}


async def test_unknown_entity_blocks(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """A resolver that finds nothing blocks the call instead of falling back to context."""

    @layer.resolver("order")
    def load(order_id: str) -> None:
        return None

    [result] = await layer.avalidate(
        [refund(100)], conversation=conversation(), knowledge=knowledge
    )
    assert not result.allowed
    assert result.violations[0].rule == "resolve:order"
    assert result.violations[0].message == "order not found"


async def test_failing_resolver_blocks_without_raising(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """A resolver that raises blocks the call, naming the error type, and nothing escapes."""

    @layer.resolver("order")
    def load(order_id: str) -> dict[str, Any]:
        raise TimeoutError("db down")

    [result] = await layer.avalidate(
        [refund(100)], conversation=conversation(), knowledge=knowledge
    )
    assert not result.allowed
    assert "could not be loaded (TimeoutError)" in result.violations[0].message


async def test_resolver_not_called_for_calls_failing_the_schema(
    layer: ToolsLayer, knowledge: Knowledge
) -> None:
    """Bad arguments never reach the host's loader."""
    loads: list[str] = []

    @layer.resolver("order")
    def load(order_id: str) -> dict[str, Any]:
        loads.append(order_id)
        return ORDER

    [result] = await layer.avalidate([refund(-1)], conversation=conversation(), knowledge=knowledge)
    assert not result.allowed and loads == []
