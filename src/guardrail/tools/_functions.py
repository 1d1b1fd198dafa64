"""Tenant functions: pure Python functions rules call by name, with their argument and
return types declared by annotations and checked on every call (CEL hands over ints,
doubles, strings, bools, lists and maps; a function must return one of those)."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

from ..errors import UserError
from ._celfuncs import Fail, safe

__all__ = ["typed_function"]

_TYPES: dict[object, type] = {int: int, float: float, str: str, bool: bool, list: list, dict: dict}
_NAMES = {int: "int", float: "double", str: "string", bool: "bool", list: "list", dict: "map"}


def _declared(annotation: object, where: str) -> type:
    origin = typing.get_origin(annotation) or annotation
    if origin not in _TYPES:
        raise UserError(f"{where}: declare it as int, float, str, bool, list or dict")
    return _TYPES[origin]


def _conform(value: object, kind: type, what: str) -> object:
    if kind is float and type(value) is int:
        return float(value)  # an int where a double is declared: the number rule
    if type(value) is not kind:
        got = _NAMES.get(type(value), type(value).__name__)
        raise Fail(f"{what} must be {_NAMES[kind]}, got {got}")
    return value


def typed_function(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` checked against its annotations, never raising into the engine (a failure
    makes the calling rule unevaluable)."""
    try:
        hints = typing.get_type_hints(fn)
        params = list(inspect.signature(fn).parameters.values())
    except (NameError, TypeError, ValueError) as exc:
        raise UserError(f"function {name!r}: cannot read its annotations ({exc})") from None
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params):
        raise UserError(f"function {name!r}: only plain positional parameters are supported")
    for p in params:
        if p.name not in hints:
            raise UserError(f"function {name!r}: parameter {p.name!r} has no type annotation")
    if "return" not in hints:
        raise UserError(f"function {name!r}: declare its return type")
    kinds = [_declared(hints[p.name], f"function {name!r} parameter {p.name!r}") for p in params]
    returns = _declared(hints["return"], f"function {name!r} return type")

    def call(*args: Any) -> Any:
        if len(args) != len(kinds):
            raise Fail(f"takes {len(kinds)} arguments, got {len(args)}")
        pairs = enumerate(zip(args, kinds, strict=True))
        checked = [_conform(a, k, f"argument {i + 1}") for i, (a, k) in pairs]
        return _conform(fn(*checked), returns, "its result")

    return safe(name, call)
