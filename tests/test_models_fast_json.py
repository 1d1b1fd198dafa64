"""``Conversation.context`` and ``ToolCall.arguments`` are validated by a strict all-Rust
validator first (``models._strict_json``) and by pydantic's ``JsonValue`` schema only when
that fails. The outcome must be exactly ``JsonValue``'s: the same values and types, the
same errors (field path and message), the same JSON-mode behaviour."""

from __future__ import annotations

import json
from collections import OrderedDict
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError

from guardrail import Conversation, ToolCall
from guardrail.errors import InputError
from guardrail.pipeline import parse_inputs


class _S(StrEnum):
    a = "a"


class _I(IntEnum):
    one = 1


class _Str(str):
    pass


class _Float(float):
    pass


class _List(list[Any]):
    pass


class _Reference(BaseModel):
    """The fields as declared, without the fast path: what the result must equal."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_max_length=1_000_000)
    context: dict[str, JsonValue]
    arguments: JsonValue


LONG = "x" * 1_000_001
CASES: list[Any] = [
    {},
    {"a": True, "b": 1, "c": 1.5, "d": None, "e": "s", "f": [1, True, 2.0, None, "t"]},
    {"order": {"id": "A-1", "lines": [{"sku": "X", "qty": 2, "price": 12.5}]}},
    {"deep": [[[[{"k": [{}]}]]]]},
    {"big": 10**40, "neg": -(10**30), "nan": float("inf")},
    {"a": _S.a, _S.a: _I.one, "s": _Str("x"), "f": _Float(1.0), "l": _List([1])},
    OrderedDict(a=1, b=[2]),
    {"a": LONG},
    {LONG: 1},
    {"a": ("x",)},
    {"a": {"b": b"bytes"}},
    {"a": {"b": [1, {2, 3}]}},
    {1: 2},
    {"a": object()},
    "not an object",
    [1, 2],
    None,
    7,
]


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return ("dict", type(value), [(type(k), k, _types(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", type(value), [_types(v) for v in value])
    return (type(value), repr(value))


def _outcome(fn: Any) -> Any:
    try:
        return ("ok", _types(fn()))
    except ValidationError as exc:
        return ("error", [(e["loc"], e["type"], e["msg"]) for e in exc.errors()])


BASE = {"tenant": "t", "id": "c", "as_of": "2026-11-20T10:00:00Z"}


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_context_validates_like_json_value(value: Any) -> None:
    fast = _outcome(lambda: Conversation.model_validate({**BASE, "context": value}).context)
    ref = _outcome(lambda: _Reference.model_validate({"context": value, "arguments": 1}).context)
    assert fast == ref


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_arguments_validate_like_json_value(value: Any) -> None:
    fast = _outcome(lambda: ToolCall.model_validate({"name": "n", "arguments": value}).arguments)
    ref = _outcome(lambda: _Reference.model_validate({"context": {}, "arguments": value}).arguments)
    assert fast == ref


@pytest.mark.parametrize("value", [{"a": LONG}, {"a": [1, {"b": None}]}, {"k": "v"}])
def test_json_input_is_unchanged(value: Any) -> None:
    """JSON input takes the field's own schema (``JsonValue`` accepts any parsed JSON)."""
    raw = json.dumps({**BASE, "context": value})
    ref = json.dumps({"context": value, "arguments": value})
    assert Conversation.model_validate_json(raw).context == value
    assert _Reference.model_validate_json(ref).context == value
    call = ToolCall.model_validate_json(json.dumps({"name": "n", "arguments": value}))
    assert call.arguments == value


def test_fresh_containers() -> None:
    """Like ``JsonValue``, the validated context shares no dict or list with the input."""
    context: dict[str, Any] = {"order": {"lines": [1]}}
    conv = Conversation.model_validate({**BASE, "context": context})
    assert conv.context == context
    assert conv.context is not context
    assert conv.context["order"] is not context["order"]
    assert conv.context["order"]["lines"] is not context["order"]["lines"]


def test_bad_context_names_the_field() -> None:
    with pytest.raises(InputError) as err:
        parse_inputs({**BASE, "context": {"a": {"b": ("x",)}}}, {"text": "hi"})
    assert err.value.field == "conversation.context.a.dict.b"
    assert "not a valid JSON value" in str(err.value)


def test_schemas_are_unchanged() -> None:
    """The JSON schema still says ``JsonValue`` (the wrap validators add nothing to it)."""
    context = Conversation.model_json_schema()["properties"]["context"]
    assert (
        context["additionalProperties"]
        == _Reference.model_json_schema()["properties"]["context"]["additionalProperties"]
    )
