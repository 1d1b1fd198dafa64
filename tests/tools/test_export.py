"""One definition for agent and gate: the specs exported as provider tool lists."""

from __future__ import annotations

import json

from guardrail.tools import ToolsLayer

from ._helpers import ROOT


def test_anthropic_tools_list(layer: ToolsLayer) -> None:
    """Each spec becomes ``{name, description, input_schema}`` with the file's schema."""
    tools = {t["name"]: t for t in layer.anthropic_tools()}
    raw = json.loads((ROOT / "tool_schemas" / "refund_order.json").read_text(encoding="utf-8"))
    assert set(tools["refund_order"]) == {"name", "description", "input_schema"}
    assert tools["refund_order"]["input_schema"] == raw["parameters"]
    assert tools["refund_order"]["description"] == raw["description"]
    assert len(tools) == 7


def test_openai_tools_list(layer: ToolsLayer) -> None:
    """Each spec becomes a ``{"type": "function", "function": {...}}`` entry."""
    tools = layer.openai_tools()
    assert all(t["type"] == "function" for t in tools)
    fn = next(t["function"] for t in tools if t["function"]["name"] == "cancel_order")
    assert set(fn) == {"name", "description", "parameters"}
    assert fn["parameters"]["additionalProperties"] is False
    json.dumps(tools)  # serialisable as sent over the wire
    assert "within-order-total" not in json.dumps(tools)  # the shape, not the rules


def test_public_names_are_pinned() -> None:
    """``guardrail.tools`` exports exactly its documented public API."""
    import guardrail.tools

    assert sorted(guardrail.tools.__all__) == [
        "Accumulator", "Commitment", "CommitmentKind", "Rule", "ToolRegistry", "ToolSpec",
        "ToolsLayer", "find_promises", "load_specs", "load_tools_layer",
    ]  # fmt: skip
    assert all(hasattr(guardrail.tools, name) for name in guardrail.tools.__all__)
