"""The number rule: a ``number`` argument is a double in rules however the JSON spells it,
ints and doubles compare numerically, and arithmetic mixing them is refused at load with
a message that says what to write."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from guardrail.errors import ConfigError
from guardrail.tools import ToolsLayer, ToolSpec

from ._helpers import conversation
from .strategies import priced_arguments, respell

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "required": ["amount", "passengers", "fees", "extra"],
    "properties": {
        "amount": {"type": "number"},
        "passengers": {"type": "integer"},
        "fees": {"type": "array", "items": {"type": "number"}},
        "extra": {"type": "object", "properties": {"tip": {"type": "number"}}},
    },
}
RULES = [
    "args.amount == 100",
    "args.amount * 100.0 <= 25000.0",
    "cents(args.amount) >= 100 * args.passengers",
    "args.fees.sum() <= args.amount",
    "args.fees.size() == 0 || math.greatest(args.fees) < 50",
    "args.extra.tip >= 0.0 && args.extra.tip != 3",
    "[args.amount, 1.5].max() > 2.0",
    "args.fees.map(f, f * 2.0).sum() < 400.0",
    "args.amount in [100, 200.5]",
]


def _layer() -> ToolsLayer:
    spec = {
        "name": "pay",
        "parameters": PARAMETERS,
        "policy": [{"id": f"r{i}", "rule": r, "message": "m"} for i, r in enumerate(RULES)],
    }
    return ToolsLayer([ToolSpec.from_dict(spec)])


LAYER = _layer()


def _verdict(arguments: object) -> tuple[bool, list[str]]:
    [result] = LAYER.validate(
        [{"name": "pay", "arguments": arguments}], conversation=conversation()
    )
    return result.allowed, sorted(v.rule for v in result.violations)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arguments=priced_arguments())
def test_respelling_integral_numbers_never_changes_a_verdict(arguments: dict[str, Any]) -> None:
    """Writing 100 as 100.0 (or 100.0 as 100) anywhere a ``number`` is expected gives the
    same verdict and the same broken rules."""
    assert _verdict(arguments) == _verdict(respell(arguments))


@pytest.mark.parametrize("amount", [100, 100.0])
def test_natural_dollar_rule_allows_both_spellings(amount: object) -> None:
    """The issue's example: a dollar amount compared with cents allows 100 and 100.0."""
    args = {"amount": amount, "passengers": 1, "fees": [], "extra": {"tip": 0}}
    assert _verdict(args) == (True, [])


@pytest.mark.parametrize(
    ("rule", "advice"),
    [
        ("args.amount * 100 == 10000", "write 100.0, or turn a dollar amount into integer cents"),
        ("args.passengers * args.amount > 1.0", "write double(args.passengers)"),
        ("[args.amount, 50].sum() > 1.0", "write 50.0"),
        ("args.fees.sum() + 1 > 0", "write 1.0"),
    ],
)
def test_mixed_arithmetic_fails_at_load_saying_what_to_write(rule: str, advice: str) -> None:
    """Arithmetic between an int and a double known at load is a ConfigError that names
    the rule and says what to write instead."""
    spec = {
        "name": "pay",
        "parameters": PARAMETERS,
        "policy": [{"id": "x", "rule": rule, "message": "m"}],
    }
    with pytest.raises(ConfigError, match="policy rule 'x'") as err:
        ToolSpec.from_dict(spec) and ToolsLayer([ToolSpec.from_dict(spec)])
    assert advice in str(err.value)


def test_cents_refuses_fractions_of_a_cent() -> None:
    """cents() of an amount with fractions of a cent makes the rule unevaluable (blocked)."""
    args = {"amount": 100.005, "passengers": 1, "fees": [], "extra": {"tip": 0}}
    allowed, rules = _verdict(args)
    assert not allowed and "r2" in rules
