"""The fast path's shortcuts answer exactly as its general path: a comparison against a
literal (specialised at compile time) as the same comparison against a variable holding
that literal, an unrolled ``root.a.b`` as the generic walk, and a macro's variable
rebound in one scope as a fresh scope per item."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail.tools import _fastops as ops
from guardrail.tools._fastcel import compile_fast_expr

SETTINGS = settings(max_examples=400, deadline=None)

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, 1, -1, 2**53, 2**53 + 1, 2**63 - 1, -(2**63), 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "a", "b", "confirmed", "é"]),
    st.lists(st.integers(min_value=-3, max_value=3), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)
LITERALS = [
    "'a'",
    "'confirmed'",
    "''",
    "0",
    "1",
    "42",
    "9223372036854775807",
    "1.5",
    "true",
    "null",
]
OPS = ["==", "!=", "<", "<=", ">", ">="]


def outcome(source: str, env: dict[str, Any]) -> tuple[str, object]:
    node = compile_fast_expr(source)
    assert node is not None, source
    try:
        return "value", node(env)
    except ops.Bail:
        return "bail", None
    except Exception as exc:  # the same failure on both sides
        return "error", type(exc).__name__


def env_of(**args: Any) -> dict[str, Any]:
    return {"args": args, "context": {}, "policy": {}, "prior": {}, "conversation": {}}


@SETTINGS
@given(x=VALUES, literal=st.sampled_from(LITERALS), op=st.sampled_from(OPS))
def test_comparison_with_a_literal_is_the_general_comparison(x: Any, literal: str, op: str) -> None:
    held = compile_fast_expr(literal)
    assert held is not None
    env = env_of(x=x, c=held({}))
    assert outcome(f"args.x {op} {literal}", env) == outcome(f"args.x {op} args.c", env)


@SETTINGS
@given(
    doc=st.recursive(
        VALUES, lambda inner: st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)
    ),
    depth=st.integers(min_value=1, max_value=3),
)
def test_unrolled_paths_walk_like_the_loop(doc: Any, depth: int) -> None:
    names = ["a", "b", "a"][:depth]
    env = env_of(d=doc)
    env["context"] = doc
    general = ops.path(lambda e: e["context"], None, names)
    unrolled = ops.path(ops.var("context"), "context", names)

    def run(node: Any) -> tuple[str, object]:
        try:
            return "value", node(env)
        except ops.Bail:
            return "bail", None

    assert run(unrolled) == run(general)


def test_macro_variables_are_scoped_per_item_and_per_macro() -> None:
    env = env_of(n=2)
    env["context"] = {"l": [1, 2, 3], "m": [[1, 2], [3]]}
    cases = {
        "context.l.exists(x, context.l.all(y, y >= x))": True,
        "context.l.all(x, context.l.exists(y, y > x))": False,
        "context.l.map(x, x * args.n)[2] == 6": True,
        "size(context.l.filter(x, x > 1).map(y, y + 1)) == 2": True,
        "context.m.map(x, x.map(y, y * 10))[0][1] == 20": True,
        "context.l.exists(x, x == 3) && context.l.all(y, y > 0)": True,
        "context.m.exists(x, x.exists(y, y == 3))": True,
    }
    for source, expected in cases.items():
        assert outcome(source, env) == ("value", expected), source
    assert "x" not in env and "y" not in env  # the caller's variables are untouched
