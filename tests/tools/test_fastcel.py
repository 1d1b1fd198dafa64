"""The plain-Python fast path for CEL rules agrees with the engine: whenever it answers
(True/False), the engine gives the same boolean; everything else is left to the engine."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import cel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardrail.tools._celfuncs import EXTENSIONS
from guardrail.tools._fastcel import compile_fast_expr, compile_fast_rule
from guardrail.tools._rules import days_since_fn, parse_date

from ._helpers import ROOT

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

REFERENCE = sorted(
    {
        rule["rule"]
        for folder in (ROOT / "tool_schemas", ROOT / "examples" / "acme" / "tool_schemas")
        for path in folder.glob("*.json")
        for rule in json.loads(path.read_text())["policy"]
    }
)
EXTRA = [
    "args.reason_code != 'other'",
    "args.n * 2 - 1 > args.m",
    "-args.n < 0 && !(args.flag)",
    "args.s + 'x' == \"ax\"",
    "args['n'] >= prior.n || args.flag",
    "args.flag ? args.n : args.m",
    "args.flag == null || args.s in context.order",
    "args.s in context.order.items || 1 == 2",
    "days_since(context.order.delivered_at) <= 30 && has(context.order.total_cents)",
    "args.n + 9223372036854775807 > 0",
    "args.s < context.order.status",
    "[args.s, 'a'] == [args.s, 'a']",
    "args.flag && args.n == 3",
    "(args.n == 3) == args.flag",
    "args.n / 2 > 1",
    "args.n % 3 == 1 || args.n / -2 < args.m",
    "args.n > 1.5",
    "args.d * 100.0 == 1250.0",
    "args.d + 0.5 > args.n",
    "context.order.items.sum() > 2",
    "[args.n, 2].max() == 2 || [args.d, 2.5].min() < 1.0",
    "math.greatest(args.n, 1.5, args.d) >= math.least([args.m, 0])",
    "context.order.items.map(i, i * 2).sum() <= 10",
    "context.order.items.filter(i, i > 1) == [2]",
    "args.s.lowerAscii() == 'a' || args.s.trim().indexOf('a') == 0",
    "cents(args.d) == 1250 && math.abs(args.n) < 3",
    "context.order.items.indexOf(args.n) < context.order.items.lastIndexOf(1)",
    "args.s.split(',').join('-') == args.s.replace(',', '-')",
    "args.s.substring(1) == 'x' || args.s.charAt(0) == 'a' || args.s.upperAscii() == 'AX'",
    "math.round(args.d) == math.ceil(args.d) && math.floor(args.d) < 1.0",
    "context.order.items.isSorted()",
    "context.order.items.exists(i, i == args.n || i > 2)",
    "context.order.items.all(i, i != args.s && i >= 0)",
    "[context.order, {'a': 1}].exists(o, o.status == 'delivered')",
    "context.order.items.all(i, context.order.items.exists(j, j == i))",
    "context.order[args.s] == 'delivered' || context.order.items[args.n] == 1",
    "[args.n, args.m][1] > context.order['total_cents']",
    "size(args.s) > 1 || context.order.items.size() == 2 || size(context.order) < 3",
    "args.s.contains('a') && args.s.startsWith(context.order.status) || args.s.endsWith('x')",
    "['a', 'b'].exists(w, args.s.lowerAscii().contains(w))",
]
UNSUPPORTED = [
    "args.x.matches('a')",
    "args.n > 1u",
    "now > timestamp('2026-01-01T00:00:00Z')",
    "r'a' == args.s",
    "'''a''' == args.s",
    "args.n == 0x10",
    "context.order.items.exists_one(i, i == 'a')",
    "{'a': 1}.a == 1",
    "args.s == 'a\\'b'",
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, 1, 2, 3, -1, 2**63 - 1, -(2**63), 9007199254740991]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["a", "ax", "b", "delivered", "shipped", "A-1", "", "2026-11-02", "x"]),
    st.text(max_size=4),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "items", "status", "n"]), inner, max_size=3),
    ),
    max_leaves=6,
)


def _record(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), VALUES, max_size=len(keys))


ORDER = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["A-1", "A-2", 7]),
        "status": st.sampled_from(["delivered", "shipped", "lost", "placed", 3, None]),
        "total_cents": st.one_of(st.integers(-5, 20_000), st.floats(0, 10), st.just("9")),
        "refunded_cents": st.one_of(st.integers(0, 20_000), st.just(None)),
        "delivered_at": st.sampled_from(["2026-11-02", "2026-09-01", "bad", "", 5]),
        "items": st.one_of(
            st.lists(st.sampled_from(["a", "b", 1]), max_size=3),
            st.lists(st.sampled_from([1, 2, 3, 2.5, -1]), max_size=4),
            VALUES,
        ),
    },
)
INTS = st.one_of(st.integers(-3, 20_000), VALUES)
STRS = st.one_of(st.sampled_from(["a", "b", "A-1", "not_received", "damaged"]), VALUES)
BOOLS = st.one_of(st.booleans(), VALUES)
DOUBLES = st.one_of(
    st.sampled_from([12.5, 0.5, 1.0, 2.0, -1.5, 0.0, 100.0]), st.floats(-1e6, 1e6), VALUES
)
ENV = st.fixed_dictionaries(
    {
        "args": st.fixed_dictionaries(
            {"n": INTS, "m": INTS, "s": STRS, "flag": BOOLS, "d": DOUBLES},
            optional={"order_id": STRS, "amount_cents": INTS, "reason_code": STRS, "x": VALUES},
        ),
        "context": st.one_of(
            st.fixed_dictionaries({"order": ORDER}),
            st.fixed_dictionaries({"order": ORDER, "subscription": _record(["id", "status"])}),
            _record(["order"]),
        ),
        "policy": st.fixed_dictionaries(
            {"return_window_days": INTS, "refund_after_return_window": BOOLS},
            optional={"x": VALUES},
        ),
        "prior": st.fixed_dictionaries({"n": INTS, "refunded_cents": INTS}),
        "conversation": _record(["customer_id", "id"]),
    }
)


def _engine(source: str, env: dict[str, Any]) -> object:
    functions = {"days_since": days_since_fn(NOW), "date": parse_date, **EXTENSIONS}
    ctx = cel.Context({"now": NOW, **env}, functions=functions)
    try:
        return cel.compile(source).execute(ctx)
    except Exception as exc:  # any error: the fast path must have deferred
        return exc


def _agree(source: str, env: dict[str, Any]) -> None:
    fast = compile_fast_rule(source)
    assert fast is not None, source
    verdict = fast({**env, "days_since": days_since_fn(NOW), "fn": EXTENSIONS})
    if verdict is None:
        return
    expected = _engine(source, env)
    assert expected is verdict, (source, env, expected, verdict)


def test_reference_rules_are_all_in_the_subset() -> None:
    """Every reference rule (``exists`` included) runs on the fast path."""
    outside = [r for r in REFERENCE if compile_fast_rule(r) is None]
    assert outside == []


def test_unsupported_constructs_are_left_to_the_engine() -> None:
    """Valid CEL outside the subset compiles to no fast rule at all."""
    for source in UNSUPPORTED:
        cel.compile(source)  # valid CEL
        assert compile_fast_rule(source) is None, source


@SETTINGS
@given(env=ENV, source=st.sampled_from(REFERENCE + EXTRA))
def test_fast_path_agrees_with_the_engine(env: dict[str, Any], source: str) -> None:
    """On the reference rules and hand-written ones, every fast answer is the engine's."""
    if compile_fast_rule(source) is not None:
        _agree(source, env)


ATOMS = st.sampled_from(
    [
        "args.n", "args.m", "args.s", "args.flag", "prior.n", "context.order.status",
        "context.order.total_cents", "1", "0", "'a'", "true", "false", "null",
        "has(context.order.items)", "days_since(context.order.delivered_at)",
        "policy.return_window_days", "['a', 'b']", "context.order.items",
        "args.d", "1.5", "2.0", "context.order.items.sum()", "[args.n, 2].max()",
        "math.greatest(args.n, args.d)", "context.order.items.map(i, i + 1)",
        "cents(args.d)", "args.s.lowerAscii()", "context.order.items.indexOf(2)",
        "context.order.items.exists(i, i > args.n)", "context.order.items.all(i, i == 'a')",
        "size(args.s)", "context.order.items.size()",
    ]
)  # fmt: skip
OPS = st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "+", "-", "*", "/", "%", "&&", "||"])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 3 or draw(st.booleans()):
        atom = draw(ATOMS)
        return draw(st.sampled_from([atom, f"!{atom}", f"-{atom}", f"({atom})"]))
    left = draw(expressions(depth + 1))
    right = draw(expressions(depth + 1))
    if draw(st.integers(0, 5)) == 0:
        third = draw(expressions(depth + 1))
        return f"{left} ? {right} : {third}"
    return f"{left} {draw(OPS)} {right}"


@SETTINGS
@given(env=ENV, source=expressions())
def test_generated_rules_agree_with_the_engine(env: dict[str, Any], source: str) -> None:
    """On random expressions (list, math and string functions included), every fast
    answer is the engine's."""
    if compile_fast_rule(source) is not None:
        _agree(source, env)


TERMS = [
    "args.n * 2 + prior.n",
    "args.d * 100.0",
    "context.order.items.map(i, i * 2)",
    "context.order.items.sum()",
    "math.greatest(args.n, args.d, 0)",
    "[args.n, args.m].max() - 1",
    "args.s.lowerAscii() + 'x'",
    "cents(args.d) + args.n",
    "args.flag ? args.d : 0.5",
    "context.order.items.filter(i, i > 1)",
]


@SETTINGS
@given(env=ENV, source=st.sampled_from(TERMS))
def test_fast_term_values_equal_the_engine(env: dict[str, Any], source: str) -> None:
    """Whenever the fast path gives a term's value, the engine gives the same value of
    the same type."""
    fast = compile_fast_expr(source)
    assert fast is not None, source
    try:
        value = fast({**env, "days_since": days_since_fn(NOW), "fn": EXTENSIONS})
    except Exception:
        return  # left to the engine
    expected = _engine(source, env)
    assert expected == value and type(expected) is type(value), (source, env, expected, value)
