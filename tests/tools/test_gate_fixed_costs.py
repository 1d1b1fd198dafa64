"""The tools layer's per-check shortcuts answer exactly as the code they replace: the one
cue alternation as the cues one by one, findings built without validation as
``Finding.of``, same-kind comparisons as the general relation, the schema's bounds as
``jsonschema``, and the gate's and layer's bookkeeping as before."""

from __future__ import annotations

import gzip
import json
import operator
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail.knowledge import Knowledge
from guardrail.models import Code, Finding, LayerName, ToolCall, ToolCallResult
from guardrail.text import Analysis
from guardrail.tools import ToolsLayer, ToolSpec, _fastops, _fastvals, _gate
from guardrail.tools._celfuncs import parse_date
from guardrail.tools._commitments import backing_of
from guardrail.tools._commitments_rules import CUE, CUES
from guardrail.tools._finding import tool_finding
from guardrail.tools._schema import StrictValidator, compile_fast

from ._helpers import conversation, refund

SETTINGS = settings(max_examples=500, deadline=None)
PINNED = Path(__file__).resolve().parents[2] / "tests" / "pinned" / "verdicts.jsonl.gz"
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


# -- the commitment cues -------------------------------------------------------------------


def _one_by_one(norm: str) -> bool:
    return any(cue.search(norm) for cue in CUES)


def test_the_cue_alternation_agrees_on_the_pinned_drafts() -> None:
    texts = []
    with gzip.open(PINNED, "rt") as fh:
        for line in fh:
            draft = json.loads(line)["draft"]
            texts.append(draft["text"] if isinstance(draft, dict) else str(draft))
    answers = [(CUE.search(t) is not None, _one_by_one(t)) for t in texts]
    norms = [Analysis(t).promise_text for t in texts]
    answers += [(CUE.search(n) is not None, _one_by_one(n)) for n in norms]
    assert all(a == b for a, b in answers)
    assert any(a for a, _ in answers) and not all(a for a, _ in answers)


WORDS = st.sampled_from(
    ["i", "we", "i've", "we'll", "i'm", "has", "have", "been", "was", "is", "'s", "and",
     "refunded", "refund", "cancelled", "paused", "swapped", "credit", "your", "account",
     "you", "can", "have", "it", "for", "$5", "yours", "deal", "that's", "a", "legally",
     "binding", "offer", "no", "takesies", "backsies", "sell", "switched", "to", "plan",
     "issued", "store", "the", "address", "updated", "not", "\n", ";", ",", "."]
)  # fmt: skip


@SETTINGS
@given(words=st.lists(WORDS, max_size=14), seps=st.lists(st.sampled_from([" ", "", "  "])))
def test_the_cue_alternation_agrees_on_generated_text(words: list[str], seps: list[str]) -> None:
    text = "".join(w + (seps[i] if i < len(seps) else " ") for i, w in enumerate(words))
    assert (CUE.search(text) is not None) == _one_by_one(text)


# -- findings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "evidence"),
    [
        (Code.TOOL_POLICY_VIOLATION, "refund_order: too much",
         {"tool": "refund_order", "call_index": 0, "rule": "r", "argument": None}),
        (Code.TOOL_SCHEMA_VIOLATION, "x: bad", {"tool": "x", "call_index": 3, "rule": "schema:type",
                                                 "argument": "a.b"}),
        (Code.UNKNOWN_TOOL, "nope: no tool named 'nope'",
         {"tool": "nope", "call_index": 1, "rule": "unknown-tool", "argument": None}),
        (Code.UNBACKED_COMMITMENT, "the reply promises a refund; no allowed tool call backs it",
         {"kind": "refund", "amount_cents": 500, "sentence": 0, "excerpt": "i've refunded",
          "uncommitted_calls": ["a", "b"]}),
    ],
)  # fmt: skip
def test_tool_finding_is_finding_of(code: Code, message: str, evidence: dict[str, Any]) -> None:
    fast = tool_finding(code, message, **evidence)
    slow = Finding.of(LayerName.tools, code, message, **evidence)
    assert fast == slow
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.model_dump() == slow.model_dump()
    assert repr(fast) == repr(slow)
    assert fast.__getstate__() == slow.__getstate__()
    assert list(fast.evidence) == list(slow.evidence)
    try:
        expected: object = hash(slow)
    except TypeError:
        expected = TypeError
    try:
        got: object = hash(fast)
    except TypeError:
        got = TypeError
    assert got == expected
    with pytest.raises(ValueError, match="frozen"):  # frozen, like the validated one
        fast.message = "x"  # type: ignore[misc]


# -- arithmetic and comparisons --------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(min_value=-(2**65), max_value=2**65),
    st.sampled_from([0, 1, -1, INT_MAX, INT_MIN, INT_MAX + 1, INT_MIN - 1, 2**62, -(2**62)]),
    st.booleans(),
    st.floats(allow_nan=True),
    st.sampled_from(["", "a", "b"]),
    st.none(),
)


def _outcome(fn: Callable[[], object]) -> tuple[str, object]:
    try:
        value = fn()
    except _fastvals.Bail:
        return "bail", None
    return "value", (type(value), value if value == value else "nan")


@SETTINGS
@given(a=NUMBERS, b=NUMBERS, op=st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
def test_a_relation_of_two_values_is_the_general_relation(a: Any, b: Any, op: str) -> None:
    relation = _fastvals.RELATIONS[op]
    node = _fastops.binary(relation, _fastops.var("a"), _fastops.var("b"))
    assert _outcome(lambda: node({"a": a, "b": b})) == _outcome(lambda: relation(a, b))


# -- schema bounds ----------------------------------------------------------------------------


@SETTINGS
@given(
    value=st.one_of(NUMBERS, st.lists(st.integers(), max_size=1)),
    low=st.integers(min_value=-5, max_value=5),
    high=st.one_of(st.integers(min_value=-5, max_value=5), st.floats(-5, 5)),
    kind=st.sampled_from(["integer", "number", None]),
)
def test_bounds_are_jsonschemas(value: Any, low: int, high: float, kind: str | None) -> None:
    """The compiled bounds (with and without a type) against ``jsonschema`` on finite
    values (NaN never reaches the schema: the pre-scan blocks it)."""
    for keys in (("minimum", "maximum"), ("exclusiveMinimum", "exclusiveMaximum")):
        schema: dict[str, Any] = {keys[0]: low, keys[1]: high}
        if kind is not None:
            schema["type"] = kind
        check = compile_fast(schema)
        assert check is not None
        if not (isinstance(value, float) and value != value):
            assert bool(check(value)) == StrictValidator(schema).is_valid(value), schema


# -- the gate's and the layer's bookkeeping ----------------------------------------------------


def _old_policy(shared_tools: Any, calls: list[ToolCall], knowledge: Knowledge) -> dict[str, Any]:
    as_of = conversation().as_of
    called = {c.name for c in calls[: _gate.MAX_CALLS]}
    keys = frozenset().union(*(t.policy_keys for n, t in shared_tools.items() if n in called))
    policy = {}
    for key in sorted(keys):
        fact = knowledge.golden.fact(key, as_of)
        if fact is not None:
            policy[key] = fact.value
    return policy


@pytest.mark.parametrize(
    "names",
    [[], ["refund_order"], ["nope"], ["refund_order", "nope"], ["cancel_order", "refund_order"],
     ["refund_order", "refund_order"], ["refund_order"] * 60],
)  # fmt: skip
def test_the_policy_keys_are_those_of_the_called_tools(
    layer: ToolsLayer, knowledge: Knowledge, names: list[str]
) -> None:
    tools = layer.registry.compiled
    calls = [ToolCall(name=n, arguments={}) for n in names]
    shared = _gate._Shared(conversation(), knowledge, tools, calls, {})
    assert shared.policy == _old_policy(tools, calls, knowledge)
    assert list(shared.policy) == list(_old_policy(tools, calls, knowledge))
    if "refund_order" in names:
        assert shared.policy


def _drive(coro: Any) -> Any:
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("awaited")


def test_no_resolver_is_what_resolve_returns(layer: ToolsLayer) -> None:
    tool = layer.registry.compiled["refund_order"]
    assert tool.spec.context  # it binds an entity, which has no resolver here
    args = refund().arguments
    assert isinstance(args, dict)
    pulled: dict[str, Any] = {}
    assert _drive(_gate._resolve(tool.spec, args, {}, {}, pulled)) == ({}, [])
    assert pulled == {}


def test_one_pass_over_the_results_is_the_two_passes(layer: ToolsLayer) -> None:
    layer.add(ToolSpec.from_dict({"name": "lookup", "parameters": {"type": "object"}}))
    compiled = layer.registry.compiled
    names = list(compiled)
    results = []
    for i, name in enumerate([*names, "nope", *names]):
        call = ToolCall(name=name, arguments={"amount_cents": i, "order_id": "A-1"})
        if i % 4 == 1:
            results.append(ToolCallResult.block(call, [_gate._unknown(name)]))
        else:
            results.append(ToolCallResult.allow(call))
    old_uncommitted = [
        r.name
        for r in results
        if r.allowed and r.name in compiled and compiled[r.name].spec.commitment is None
    ]
    old_backings = []
    for r in results:
        tool = compiled.get(r.name)
        if not r.allowed or tool is None or tool.spec.commitment is None:
            continue
        c = tool.spec.commitment
        backing = backing_of(c.kind, c.amount, r.arguments)
        if backing is not None:
            old_backings.append(backing)
    assert layer._commitments(results) == (old_backings, old_uncommitted)
    assert old_backings and old_uncommitted


@pytest.mark.parametrize(
    "text",
    ["2026-11-02", " 2026-11-02 ", "2026-11-02T10:00:00Z", "2026-11-02T10:00:00+02:00",
     "2026-11-02T10:00:00", "2026-13-02", "x", ""],
)  # fmt: skip
def test_a_date_is_midnight_utc(text: str) -> None:
    parsed = parse_date(text)
    stripped = text.strip()
    try:
        raw = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        assert parsed is None
        return
    if raw.tzinfo is None:
        expected = raw.replace(tzinfo=UTC).astimezone(UTC) if len(stripped) == 10 else None
    else:
        expected = raw.astimezone(UTC)
    assert parsed == expected
    if parsed is not None and expected is not None:
        assert parsed.tzinfo is expected.tzinfo and parsed.isoformat() == expected.isoformat()


def test_operator_tests_are_the_plain_ones() -> None:
    """``_relation`` and ``_versus_constant`` make the comparison with ``PLAIN_TESTS``."""
    assert set(_fastvals.PLAIN_TESTS.values()) == {
        operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge
    }  # fmt: skip


def test_no_calls_is_an_empty_verdict(layer: ToolsLayer, knowledge: Knowledge) -> None:
    """``ToolsLayer.run`` skips validating a draft without calls: it gives this."""
    registry = layer.registry
    verdicts = _drive(
        _gate.validate_calls(
            registry.compiled,
            [],
            conversation=conversation(),
            knowledge=knowledge,
            resolvers=registry.resolvers,
            functions=registry.functions,
        )
    )
    assert verdicts == _gate.Verdicts()
