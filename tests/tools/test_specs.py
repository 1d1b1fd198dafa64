"""Loading tool specs: the file format, the pydantic path, and config errors that name
the file and the rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from guardrail import ConfigError, UserError
from guardrail.config import ToolsConfig
from guardrail.knowledge import Knowledge
from guardrail.tools import Rule, ToolsLayer, ToolSpec, load_tools_layer

from ._helpers import ROOT, conversation, refund

BASE: dict[str, Any] = {
    "name": "refund_order",
    "description": "Refund an order.",
    "parameters": {
        "type": "object",
        "required": ["order_id", "amount_cents"],
        "properties": {
            "order_id": {"type": "string"},
            "amount_cents": {"type": "integer", "minimum": 1},
        },
    },
    "policy": [
        {
            "id": "within-order-total",
            "rule": "args.amount_cents <= context.order.total_cents",
            "message": "refund exceeds the order total",
        },
    ],
}


def _write(folder: Path, data: object, name: str = "refund_order.json") -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _with(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def _rule(rule: str, rule_id: str = "r1") -> list[dict[str, str]]:
    return [{"id": rule_id, "rule": rule, "message": "m"}]


def test_reference_and_acme_tools_load(knowledge: Knowledge) -> None:
    """All seven reference tools load, and acme's folder loads against its golden set."""
    names = {
        "refund_order",
        "cancel_order",
        "exchange_item",
        "update_shipping_address",
        "issue_store_credit",
        "pause_subscription",
        "cancel_subscription",
    }
    assert set(ToolsLayer.from_path(ROOT / "tool_schemas").specs) == names
    acme = load_tools_layer(ToolsConfig(schemas="tool_schemas"), ROOT / "examples/acme", knowledge)
    assert set(acme.specs) <= names and "refund_order" in acme.specs


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ("{not json", "not valid JSON"),
        (_with(policy=_rule("args.amount_cents <=")), "policy rule 'r1' does not compile"),
        (_with(policy=_rule("arg.amount_cents > 0")), "policy rule 'r1': unknown variable 'arg'"),
        (_with(policy=_rule("nope(args.amount_cents)")), "unknown function 'nope'"),
        (_with(policy=_rule("prior.x == 0")), "reads 'prior' but the spec has no 'accumulate'"),
        (_with(policy=_rule("true") + _rule("true")), "rule id 'r1' is used twice"),
        (_with(policy=_rule("policy[string(1)] > 0")), "name policy keys literally"),
        (_with(context={"order": "order_number"}), "'order_number' is not one of the parameters"),
        (_with(parameters={"type": "string"}), "the top level must be type 'object'"),
        (_with(parameters={"type": "object", "minProperties": "x"}), "not a valid JSON Schema"),
        (_with(commitment={"kind": "teleport"}), "commitment.kind"),
        (_with(extra_key=1), "extra_key: unknown key"),
    ],
)
def test_bad_spec_is_a_config_error_naming_the_file(
    tmp_path: Path, data: object, needle: str
) -> None:
    """Malformed files and rules that don't compile fail at load, naming file and rule."""
    path = _write(tmp_path, data)
    with pytest.raises(ConfigError) as info:
        ToolsLayer.from_path(tmp_path)
    assert str(path) in str(info.value)
    assert needle in str(info.value)


def test_rule_naming_an_unknown_policy_fact_is_a_config_error(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    """A rule reading ``policy.<key>`` the golden set never defines fails at load."""
    _write(tmp_path, _with(policy=_rule("args.amount_cents <= policy.no_such_cap", "cap")))
    with pytest.raises(ConfigError, match=r"rule 'cap': the golden set has no fact 'no_such_cap'"):
        load_tools_layer(ToolsConfig(schemas=str(tmp_path)), tmp_path, knowledge)


def test_two_specs_with_one_name_are_a_config_error(tmp_path: Path) -> None:
    """Two files declaring the same tool name cannot both load."""
    _write(tmp_path, BASE, "a.json")
    _write(tmp_path, BASE, "b.json")
    with pytest.raises(ConfigError, match="already registered"):
        ToolsLayer.from_path(tmp_path)


def test_missing_schema_folder_is_a_config_error(tmp_path: Path) -> None:
    """A ``[tools] schemas`` path that does not exist is reported, not ignored."""
    with pytest.raises(ConfigError, match="tool schemas not found"):
        load_tools_layer(ToolsConfig(schemas="missing"), tmp_path, Knowledge())


async def test_no_schemas_means_every_call_is_unknown() -> None:
    """With ``[tools] schemas`` unset every proposed call is UNKNOWN_TOOL and blocked."""
    layer = load_tools_layer(ToolsConfig(), Path("."), Knowledge())
    [result] = await layer.avalidate([refund()], conversation=conversation())
    assert not result.allowed and result.violations[0].rule == "unknown-tool"


def test_parameters_are_closed_unless_the_file_says_otherwise() -> None:
    """A spec without ``additionalProperties`` gets ``false``, so extra arguments block."""
    spec = ToolSpec.from_dict(BASE)
    assert spec.parameters["additionalProperties"] is False
    open_spec = ToolSpec.from_dict(
        _with(parameters={**BASE["parameters"], "additionalProperties": True})
    )
    assert open_spec.parameters["additionalProperties"] is True


class RefundArgs(BaseModel):
    """Refund an order."""

    model_config = ConfigDict(extra="forbid")
    order_id: str
    amount_cents: int = Field(ge=1)


def test_pydantic_model_and_file_give_the_same_spec() -> None:
    """``ToolSpec.from_model`` produces the spec the equivalent JSON file produces."""
    from_model = ToolSpec.from_model(
        "refund_order",
        RefundArgs,
        policy=[
            Rule(
                id="within-order-total",
                rule="args.amount_cents <= context.order.total_cents",
                message="refund exceeds the order total",
            )
        ],
    )
    from_file = ToolSpec.from_dict(BASE)
    assert from_model.policy == from_file.policy
    assert from_model.description == from_file.description
    props = {
        k: {kk: vv for kk, vv in v.items() if kk != "title"}
        for k, v in from_model.parameters["properties"].items()
    }
    assert props == from_file.parameters["properties"]
    assert sorted(from_model.parameters["required"]) == sorted(from_file.parameters["required"])
    assert from_model.parameters["additionalProperties"] is False


async def test_pydantic_declared_tool_is_enforced() -> None:
    """A tool declared from a pydantic model blocks by schema and by rule like a file one."""

    class Credit(BaseModel):
        model_config = ConfigDict(extra="forbid")
        amount_cents: int = Field(ge=1, le=5000)
        kind: Literal["goodwill", "delay"]

    spec = ToolSpec.from_model(
        "credit",
        Credit,
        policy=[{"id": "small", "rule": "args.amount_cents <= 1000", "message": "too big"}],
    )
    layer = ToolsLayer([spec])
    calls = [
        {"name": "credit", "arguments": {"amount_cents": 500, "kind": "delay"}},
        {"name": "credit", "arguments": {"amount_cents": 2000, "kind": "delay"}},
        {"name": "credit", "arguments": {"amount_cents": 500, "kind": "bribe"}},
    ]
    results = await layer.avalidate(calls, conversation=conversation())
    assert [r.allowed for r in results] == [True, False, False]
    assert results[1].violations[0].rule == "small"
    assert results[2].violations[0].rule == "schema:enum"


def test_registering_hooks_for_unknown_names_is_a_user_error(layer: ToolsLayer) -> None:
    """Handlers and resolvers must name a loaded tool / a bound entity."""
    with pytest.raises(UserError, match="no tool spec named 'teleport'"):
        layer.tool("teleport")
    with pytest.raises(UserError, match="binds the entity 'planet'"):
        layer.resolver("planet")
