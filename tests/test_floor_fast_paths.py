"""The pipeline's per-check paths: ``Finding.of`` is the validated finding, ``trusted``
in any key order is the validated model, the layer loop is the fail-closed boundary then
the merge, ``layer_key``, ``_is_async`` and the draft's shared analysis."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from guardrail.knowledge import Knowledge
from guardrail.layers import CheckContext, LayerResult, boundary, layer_key, run_layers
from guardrail.models import (
    DEFAULT_SEVERITY,
    Code,
    Conversation,
    Draft,
    Finding,
    Latency,
    LayerName,
    Severity,
    ToolCall,
    ToolCallResult,
)

AS_OF = datetime(2026, 11, 20, 10, tzinfo=UTC)


def same(fast: BaseModel, slow: BaseModel) -> None:
    """Equal, same class, same field order and values, same fields-set and extras, same
    JSON (python and json modes)."""
    assert type(fast) is type(slow)
    assert fast == slow
    assert list(fast.__dict__) == list(slow.__dict__)
    assert fast.__dict__ == slow.__dict__
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.__pydantic_extra__ == slow.__pydantic_extra__
    assert fast.__pydantic_private__ == slow.__pydantic_private__
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.model_dump(mode="json") == slow.model_dump(mode="json")
    assert repr(fast) == repr(slow)


_ms = st.floats(allow_nan=False, min_value=0.0, max_value=1e6)


def _finding(i: int) -> Finding:
    return Finding.of(LayerName.grounding, Code.UNSUPPORTED_CLAIM, f"m{i}", claim=f"c{i}")


class _Special(Finding):
    pass


class _Str(str):
    pass


# -- Finding.of -----------------------------------------------------------------------------

_evidence = st.dictionaries(
    st.text(min_size=1, max_size=8).filter(
        lambda k: k not in {"layer", "code", "message", "severity", "cls"}
    ),
    st.none() | st.integers() | st.text(max_size=5) | st.lists(st.integers(), max_size=2),
    max_size=4,
)


@given(
    st.sampled_from(LayerName),
    st.sampled_from(Code),
    st.text(max_size=30),
    st.none() | st.sampled_from(Severity),
    _evidence,
)
def test_finding_of_equals_the_validated_finding(
    layer: LayerName, code: Code, message: str, severity: Severity | None, ev: dict[str, Any]
) -> None:
    fast = Finding.of(layer, code, message, severity=severity, **ev)
    slow = Finding(
        layer=layer, code=code, severity=severity or DEFAULT_SEVERITY[code], message=message, **ev
    )
    same(fast, slow)
    assert fast.evidence == ev


def test_finding_of_with_loose_types_is_validated() -> None:
    """Plain strings for the enums, a str subclass message, a subclass: validated."""
    loose = Finding.of("tools", "LAYER_ERROR", _Str("m"), error="X")  # type: ignore[arg-type]
    slow = Finding(layer="tools", code="LAYER_ERROR", severity="critical", message="m", error="X")
    same(loose, slow)
    assert type(loose.message) is str and type(loose.layer) is LayerName
    special = _Special.of(LayerName.tools, Code.LAYER_ERROR, "m")
    assert type(special) is _Special
    with pytest.raises(ValidationError):
        Finding.of("nowhere", Code.LAYER_ERROR, "m")  # type: ignore[arg-type]


# -- the layer loop ---------------------------------------------------------------------------


class _Layer:
    def __init__(self, name: Any, result: Any = None, exc: Exception | None = None) -> None:
        self._name, self._result, self._exc = name, result, exc

    @property
    def name(self) -> Any:
        if isinstance(self._name, Exception):
            raise self._name
        return self._name

    async def run(self, ctx: CheckContext) -> Any:
        if self._exc is not None:
            raise self._exc
        return self._result


def _ctx() -> CheckContext:
    conv = Conversation(tenant="acme", id="c-1", as_of=AS_OF)
    return CheckContext(conv, Draft(text="hello"), Knowledge(), "a1")


def _layers() -> list[Any]:
    call = ToolCallResult.allow(ToolCall(name="t"))
    return [
        _Layer(LayerName.tools, LayerResult(tool_calls=(call,), pulled={"order": 1})),
        _Layer(LayerName.grounding, LayerResult(findings=(_finding(1),))),
        _Layer(LayerName.routing, exc=ValueError("boom")),
        _Layer(RuntimeError("no name"), LayerResult()),
        _Layer("custom", "not a result"),
        _Layer("", exc=KeyError("k")),
        _Layer("x" * 80, LayerResult(findings=(_finding(2),))),
        _Layer(LayerName.grounding, LayerResult(findings=(_finding(3),))),
    ]


async def _old_loop(layers: list[Any], ctx: CheckContext, lat: dict[str, float]) -> None:
    """The loop ``run_layers`` replaces: ``boundary`` then the merge, per layer."""
    for layer in layers:
        result = await boundary(layer, ctx)
        key = layer_key(layer)
        lat[key] = lat.get(key, 0.0) + 1.0
        ctx.findings.extend(result.findings)
        ctx.pulled.update(result.pulled)
        if result.tool_calls is not None:
            ctx.tool_results = list(result.tool_calls)


def test_run_layers_is_boundary_then_merge() -> None:
    """Same findings (LAYER_ERROR ones included), pulled data, tool results, latency keys."""
    old, new = _ctx(), _ctx()
    old_lat: dict[str, float] = {}
    new_lat: dict[str, float] = {}
    asyncio.run(_old_loop(_layers(), old, old_lat))
    asyncio.run(run_layers(_layers(), new, new_lat))
    assert [f.model_dump() for f in new.findings] == [f.model_dump() for f in old.findings]
    assert [f.code for f in new.findings].count(Code.LAYER_ERROR) == 4
    assert new.pulled == old.pulled and new.tool_results == old.tool_results
    assert list(new_lat) == list(old_lat)
    assert all(isinstance(v, float) and v >= 0.0 for v in new_lat.values())


def test_layer_key_of_a_built_in_name_is_its_value() -> None:
    for name in LayerName:
        assert layer_key(_Layer(name)) == name.value
        assert type(layer_key(_Layer(name))) is str


# -- the shared analysis ----------------------------------------------------------------------


def test_the_analysis_is_reused_until_the_draft_or_the_time_changes() -> None:
    ctx = _ctx()
    first = ctx.analysis
    assert ctx.analysis is first
    ctx.conversation = ctx.conversation.model_copy(update={"as_of": AS_OF})  # equal, new
    assert ctx.analysis is first
    ctx.conversation = ctx.conversation.model_copy(update={"as_of": AS_OF + timedelta(days=1)})
    second = ctx.analysis
    assert second is not first and second.as_of == AS_OF + timedelta(days=1)
    ctx.draft = ctx.draft.model_copy(update={"text": "other"})
    assert ctx.analysis is not second and ctx.analysis.text == "other"


# -- trusted ----------------------------------------------------------------------------------


@given(st.permutations(list(Latency.__pydantic_fields__)), st.lists(_ms, min_size=5, max_size=5))
def test_trusted_in_any_key_order_equals_the_validated_model(
    order: list[str], values: list[float]
) -> None:
    """Keys in declared order are adopted as they are; any other order is re-ordered."""
    from guardrail.models import trusted

    given_values = dict(zip(order, values, strict=True))
    made = trusted(Latency, **given_values)
    same(made, Latency(**given_values))
    assert made.__dict__ is not given_values


# -- is a handler async? ------------------------------------------------------------------


def _slow_is_async(fn: Any) -> bool:
    """``_is_async`` before its fast path for plain functions."""
    import inspect

    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004
    )


def _callables() -> list[Any]:
    import functools

    def sync(x: int) -> int:
        return x

    async def coro(x: int) -> int:
        return x

    def gen(x: int) -> Any:
        yield x

    async def agen(x: int) -> Any:
        yield x

    class Sync:
        def __call__(self, x: int) -> int:
            return x

        def method(self, x: int) -> int:
            return x

    class Async:
        async def __call__(self, x: int) -> int:
            return x

        async def method(self, x: int) -> int:
            return x

    marked = functools.wraps(coro)(lambda x: coro(x))  # a sync wrapper of a coroutine
    tagged = lambda x: x  # noqa: E731
    tagged._is_coroutine_marker = object()  # type: ignore[attr-defined]
    return [
        sync, coro, gen, agen, lambda x: x, marked, tagged, Sync(), Async(), Sync().method,
        Async().method, functools.partial(coro, 1), functools.partial(sync, 1), print, len,
        str, Sync, Async, None,
    ]  # fmt: skip


def test_is_async_agrees_with_inspect_on_every_kind_of_callable() -> None:
    from guardrail._execution import _is_async

    for fn in _callables():
        assert _is_async(fn) is _slow_is_async(fn), fn
