"""The tool registry (specs, handlers, resolvers, tenant functions, exporters) apart from
the tools layer that validates calls against it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guardrail import Action, Code, Draft, Guardrail
from guardrail.errors import ConfigError, UserError
from guardrail.knowledge import Knowledge
from guardrail.tools import ToolRegistry, ToolsLayer, ToolSpec

from ._helpers import ORDER, ROOT, conversation, ctx_for, refund

SCHEMAS = ROOT / "tool_schemas"


def _guard(registry: ToolRegistry, knowledge: Knowledge) -> Guardrail:
    return Guardrail(tenant="acme", knowledge=knowledge, tools=ToolsLayer(registry=registry))


def test_a_registry_holds_specs_and_decides_nothing() -> None:
    """A registry loaded from a folder names every spec and has no way to run a check."""
    registry = ToolRegistry.from_path(SCHEMAS)
    assert {"refund_order", "cancel_order"} <= set(registry.specs)
    assert set(registry.compiled) == set(registry.specs)
    assert not hasattr(registry, "run") and not hasattr(registry, "validate")


def test_a_second_spec_of_one_name_is_a_config_error() -> None:
    """Adding a spec whose name is already registered names the tool."""
    registry = ToolRegistry.from_path(SCHEMAS / "refund_order.json")
    spec = registry.specs["refund_order"]
    with pytest.raises(ConfigError, match="'refund_order' is already registered"):
        registry.add(spec)


async def test_the_layer_validates_against_the_registry_it_was_given(
    knowledge: Knowledge,
) -> None:
    """A spec added to the registry after the layer was built is gated by that layer."""
    registry = ToolRegistry()
    layer = ToolsLayer(registry=registry)
    before = await layer.run(ctx_for(knowledge, "", [refund(100)]))
    assert Code.UNKNOWN_TOOL in {f.code for f in before.findings}
    registry.add(ToolRegistry.from_path(SCHEMAS / "refund_order.json").specs["refund_order"])
    blocked = await layer.run(ctx_for(knowledge, "", [refund(99_999)]))
    assert blocked.tool_calls is not None and not blocked.tool_calls[0].allowed
    allowed = await layer.run(ctx_for(knowledge, "", [refund(100)]))
    assert allowed.tool_calls is not None and allowed.tool_calls[0].allowed


def test_guard_registration_lands_in_the_registry(knowledge: Knowledge) -> None:
    """``guard.tool`` and ``guard.resolver`` (the public API) register in
    ``guard.tools.registry``, the same object the layer's own methods use."""
    registry = ToolRegistry.from_path(SCHEMAS)
    guard = _guard(registry, knowledge)

    @guard.tool("refund_order")
    def do_refund(order_id: str, amount_cents: int, reason_code: str) -> dict[str, Any]:
        return {"ok": True}

    @guard.resolver("order")
    def load_order(order_id: str) -> dict[str, Any]:
        return dict(ORDER)

    assert guard.tools.registry is registry
    assert registry.handlers["refund_order"].fn is do_refund
    assert registry.resolvers["order"] is load_order
    assert guard.tools.has_handlers and registry.has_handlers


def test_a_handler_taking_the_conversation_is_marked(knowledge: Knowledge) -> None:
    """A handler that declares ``conversation`` is recorded as wanting it; one that
    does not is not."""
    registry = ToolRegistry.from_path(SCHEMAS)
    registry.tool("refund_order")(lambda **kw: None)

    def cancel(order_id: str, conversation: Any) -> None: ...

    registry.tool("cancel_order")(cancel)
    assert not registry.handlers["refund_order"].wants_conversation
    assert registry.handlers["cancel_order"].wants_conversation


def test_registering_for_an_unknown_tool_entity_or_function_is_a_user_error() -> None:
    """A handler for no spec, a resolver for an entity no spec binds, and a function no
    spec declares are refused with the name."""
    registry = ToolRegistry.from_path(SCHEMAS)
    with pytest.raises(UserError, match="no tool spec named 'wire_money'"):
        registry.tool("wire_money")
    with pytest.raises(UserError, match="'invoice'"):
        registry.resolver("invoice")
    with pytest.raises(UserError, match="'free_bags'"):
        registry.function("free_bags")


def test_only_allowed_calls_reach_the_registered_handler(knowledge: Knowledge) -> None:
    """Through the gate, the registry's handler runs for an allowed call and never for a
    blocked one."""
    registry = ToolRegistry.from_path(SCHEMAS)
    ran: list[int] = []
    registry.tool("refund_order")(lambda **kw: ran.append(kw["amount_cents"]) or {"ok": 1})
    guard = _guard(registry, knowledge)
    ok = guard.check(conversation(), Draft(text="", tool_calls=[refund(100)]))
    assert ok.action is Action.release and ok.tool_calls[0].executed
    blocked = guard.check(conversation(), Draft(text="", tool_calls=[refund(99_999)]))
    assert blocked.action is Action.escalate
    assert ran == [100]


def test_exporters_list_every_spec_for_both_sdks() -> None:
    """The Anthropic and OpenAI tool lists carry each spec's name and JSON Schema, and
    the layer's exporters are the registry's."""
    registry = ToolRegistry.from_path(SCHEMAS)
    layer = ToolsLayer(registry=registry)
    anthropic = {t["name"]: t["input_schema"] for t in registry.anthropic_tools()}
    openai = {t["function"]["name"]: t["function"]["parameters"] for t in registry.openai_tools()}
    expected = {name: spec.parameters for name, spec in registry.specs.items()}
    assert anthropic == expected and openai == expected
    assert layer.anthropic_tools() == registry.anthropic_tools()
    assert layer.openai_tools() == registry.openai_tools()


def test_specs_given_to_the_layer_go_into_its_registry() -> None:
    """``ToolsLayer([spec])`` (the documented way to build a layer in code) fills a fresh
    registry."""
    spec = ToolSpec.model_validate(
        {"name": "ping", "description": "d", "parameters": {"type": "object"}}
    )
    layer = ToolsLayer([spec])
    assert list(layer.registry.specs) == ["ping"] and list(layer.specs) == ["ping"]


def test_a_functions_file_registers_into_the_registry(tmp_path: Path) -> None:
    """``load_functions`` runs the file's ``register(tools)`` with the registry; a file
    without ``register`` or a missing file is a ConfigError naming it."""
    registry = ToolRegistry.from_path(ROOT / "examples" / "skyway" / "tool_schemas")
    assert registry.missing_functions == ["free_bags"]
    registry.load_functions(ROOT / "examples" / "skyway" / "functions.py")
    assert registry.missing_functions == []
    assert "free_bags" in registry.functions
    bare = tmp_path / "bare.py"
    bare.write_text("X = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="defines no register"):
        registry.load_functions(bare)
    with pytest.raises(ConfigError, match="not found"):
        registry.load_functions(tmp_path / "absent.py")
