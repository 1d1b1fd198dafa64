"""Named terms (evaluated at most once per call, checked at load), tenant functions
(declared in the spec, typed, failing closed) and what else rules may read (the draft's
call count, the customer's latest message)."""

from __future__ import annotations

from typing import Any

import pytest

from guardrail import Message
from guardrail.errors import ConfigError, UserError
from guardrail.tools import ToolsLayer, ToolSpec

from ._helpers import conversation

PARAMS = {
    "type": "object",
    "properties": {"n": {"type": "integer"}, "cabin": {"type": "string"}},
}


def _layer(rules: list[str], **spec: Any) -> ToolsLayer:
    data = {"name": "t", "parameters": PARAMS, **spec}
    data["policy"] = [{"id": f"r{i}", "rule": r, "message": "no"} for i, r in enumerate(rules)]
    layer = ToolsLayer()
    layer.add(ToolSpec.from_dict(data, source="t.json"), source="t.json")
    return layer


def _check(layer: ToolsLayer, args: dict[str, Any], **conv: Any) -> tuple[bool, list[str]]:
    [result] = layer.validate([{"name": "t", "arguments": args}], conversation=conversation(**conv))
    return result.allowed, [v.message for v in result.violations]


def test_terms_are_read_by_rules() -> None:
    """A rule reads a named term as terms.<name>; a term may use an earlier term."""
    layer = _layer(
        ["terms.total == 3 * args.n + 1", "terms.total > 0"],
        terms={"triple": "3 * args.n", "total": "terms.triple + 1"},
    )
    assert _check(layer, {"n": 2}) == (True, [])
    assert _check(layer, {"n": -2})[0] is False


def test_a_term_is_evaluated_once_per_call_on_both_paths() -> None:
    """However many rules read a term — on the fast path or in the engine — its
    tenant function runs once per call."""
    seen: list[int] = []
    layer = _layer(
        ["terms.fare > 0", "terms.fare < 1000", "[1].exists(x, terms.fare > x)"],
        terms={"fare": "fare_of(args.n)"},
        functions=["fare_of"],
    )

    @layer.function("fare_of")
    def fare_of(n: int) -> int:
        seen.append(n)
        return n * 100

    assert _check(layer, {"n": 3}) == (True, [])
    assert seen == [3]


def test_an_unevaluable_term_blocks_the_rules_reading_it() -> None:
    """A term that fails makes every rule reading it unevaluable, naming the term."""
    layer = _layer(["terms.first > 0", "args.n > 0"], terms={"first": "context.xs.min()"})
    allowed, messages = _check(layer, {"n": 1}, context={"xs": []})
    assert not allowed and len(messages) == 1
    assert "term 'first' could not be evaluated: min(): of an empty list" in messages[0]


@pytest.mark.parametrize(
    ("terms", "rule", "words"),
    [
        ({}, "terms.fare > 0", "'fare' is not a term of this spec"),
        ({"a": "terms.b + 1", "b": "1"}, "terms.a > 0", "term 'a': 'b' is not an earlier term"),
        ({"a": "nope(1)"}, "terms.a > 0", "term 'a': unknown function 'nope'"),
        ({"a": "args.n * 1.5"}, "terms.a > 0", "term 'a': 'args.n * 1.5' mixes"),
        ({"a": "1.5"}, "terms.a + 1 > 0", "policy rule 'r0': 'terms.a + 1' mixes"),
    ],
)
def test_terms_are_checked_at_load(terms: dict[str, str], rule: str, words: str) -> None:
    """Terms are compiled and checked like rules, and rules only name declared terms."""
    with pytest.raises(ConfigError) as err:
        _layer([rule], terms=terms)
    assert str(err.value).startswith("t.json: ") and words in str(err.value)


def test_tenant_function_is_callable_from_rules() -> None:
    """A registered tenant function is called with the rule's values."""
    layer = _layer(["args.n <= free_bags(args.cabin)"], functions=["free_bags"])

    @layer.function("free_bags")
    def free_bags(cabin: str) -> int:
        return {"economy": 1, "business": 2}.get(cabin, 0)

    assert _check(layer, {"n": 2, "cabin": "business"}) == (True, [])
    assert _check(layer, {"n": 2, "cabin": "economy"})[0] is False


def test_undeclared_function_is_a_load_error_and_cannot_be_registered() -> None:
    """A rule calling a function the spec does not declare fails at load; registering
    a function no spec declares is a UserError."""
    with pytest.raises(ConfigError, match="unknown function 'free_bags'"):
        _layer(["free_bags(args.cabin) > 0"])
    layer = _layer(["args.n > 0"])
    with pytest.raises(UserError, match="no tool spec declares"):
        layer.function("free_bags")


def test_declared_but_unregistered_function_blocks_the_call() -> None:
    """Until the host registers a declared function, its tool's calls are blocked."""
    layer = _layer(["args.n > 0", "free_bags(args.cabin) > 0"], functions=["free_bags"])
    allowed, messages = _check(layer, {"n": 1, "cabin": "x"})
    assert not allowed and "'free_bags' is not registered" in messages[0]
    assert layer.missing_functions == ["free_bags"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("raise RuntimeError('boom')", "free_bags() raised RuntimeError"),
        ("return 'two'", "its result must be int, got string"),
    ],
)
def test_a_failing_tenant_function_blocks_the_call(body: str, words: str) -> None:
    """An exception or a wrong return type inside a tenant function fails closed."""
    layer = _layer(["free_bags(args.cabin) >= 0"], functions=["free_bags"])
    namespace: dict[str, Any] = {}
    exec(f"def free_bags(cabin: str) -> int:\n    {body}\n", namespace)
    layer.function("free_bags")(namespace["free_bags"])
    allowed, messages = _check(layer, {"n": 1, "cabin": "x"})
    assert not allowed and words in messages[0]


def test_tenant_function_argument_types_are_checked() -> None:
    """A value of the wrong type for a declared parameter makes the rule unevaluable."""
    layer = _layer(["double_it(args.cabin) > 0"], functions=["double_it"])

    @layer.function("double_it")
    def double_it(n: int) -> int:
        return 2 * n

    allowed, messages = _check(layer, {"n": 1, "cabin": "x"})
    assert not allowed and "argument 1 must be int, got string" in messages[0]


def test_tenant_function_needs_annotations() -> None:
    """A function without declared types cannot be registered."""
    layer = _layer(["f(args.n) > 0"], functions=["f"])
    with pytest.raises(UserError, match="has no type annotation"):
        layer.function("f")(lambda n: n)


def test_rules_read_the_draft_call_count_and_the_latest_customer_message() -> None:
    """draft.calls counts the draft's proposed calls; conversation.last_customer_message
    is the customer's latest message."""
    layer = _layer(
        ["draft.calls == 1", "conversation.last_customer_message.lowerAscii().contains('yes')"]
    )
    said = [Message(role="customer", text="Book it?"), Message(role="agent", text="Sure?")]
    yes = [*said, Message(role="customer", text="YES please")]
    assert _check(layer, {"n": 1}, messages=yes) == (True, [])
    allowed, messages = _check(layer, {"n": 1}, messages=said)
    assert not allowed and len(messages) == 1
    two = layer.validate(
        [{"name": "t", "arguments": {"n": 1}}] * 2, conversation=conversation(messages=yes)
    )
    assert [r.allowed for r in two] == [False, False]
