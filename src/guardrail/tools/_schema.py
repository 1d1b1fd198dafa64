"""Argument validation: the bad-input pre-scan, JSON Schema (Draft 2020-12, formats
checked, integers strict), and a compiled fast path for the common schema subset.

``jsonschema`` is the authority: the fast path only answers "valid" for schemas built
from keywords it implements exactly (tests pin that it agrees with ``jsonschema``), and
every error message comes from ``jsonschema`` itself.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from jsonschema import (  # type: ignore[import-untyped, unused-ignore]
    Draft202012Validator,
    validators,
)
from jsonschema.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    SchemaError,
    ValidationError,
)

from ..errors import ConfigError
from ..models import Violation

__all__ = ["ArgumentValidator", "prescan"]

MAX_DEPTH = 16
MAX_NODES = 2000
MAX_INT = 2**53 - 1  # the integers every JSON consumer (and CEL's double) represents exactly
MAX_SCHEMA_ERRORS = 10


def _strict_integer(checker: Any, instance: object) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


# Draft 2020-12 counts 3.0 as an integer; a tool gate must not (no floats for cents).
StrictValidator: Any = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


def prescan(arguments: object) -> list[Violation]:
    """What no schema should have to catch: a non-object, absurd nesting or size,
    NaN/Infinity, integers beyond 2**53. Iterative, so deep input cannot recurse."""
    if not isinstance(arguments, Mapping):
        return [_not_an_object(arguments)]
    if len(arguments) < MAX_NODES and all(map(_plain, arguments.values())):
        return []  # flat and plain: nothing below can fire
    stack: list[tuple[object, str, int]] = [(arguments, "", 0)]
    nodes = 0
    while stack:
        value, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return [_bad("arguments-size", f"arguments have more than {MAX_NODES} values")]
        if depth > MAX_DEPTH:
            return [_bad("arguments-depth", f"arguments nest deeper than {MAX_DEPTH} levels")]
        if isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        if isinstance(value, int):
            if abs(value) > MAX_INT:
                return [_bad("arguments-integer-range", "integer out of range", path)]
        elif isinstance(value, float):
            if not math.isfinite(value):
                return [_bad("arguments-non-finite", "NaN/Infinity is not a JSON number", path)]
        elif isinstance(value, Mapping):
            for key, item in value.items():
                stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                stack.append((item, f"{path}[{i}]", depth + 1))
        else:
            return [_bad("arguments-type", f"{type(value).__name__} is not a JSON value", path)]
    return []


def _plain(value: object) -> bool:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    return kind is int and -MAX_INT <= value <= MAX_INT  # type: ignore[operator]


def _not_an_object(arguments: object) -> Violation:
    if isinstance(arguments, str):
        try:
            json.loads(arguments)
            what = "a JSON-encoded string (decode it before proposing the call)"
        except (ValueError, RecursionError):
            what = "a string that is not even valid JSON"
        return _bad("arguments-object", f"arguments must be a JSON object, got {what}")
    kind = "null" if arguments is None else type(arguments).__name__
    return _bad("arguments-object", f"arguments must be a JSON object, got {kind}")


def _bad(rule: str, message: str, argument: str | None = None) -> Violation:
    return Violation(rule=rule, message=message, argument=argument or None)


class ArgumentValidator:
    """Validate one tool's arguments against its ``parameters`` schema."""

    def __init__(self, schema: Mapping[str, Any], *, source: str) -> None:
        try:
            StrictValidator.check_schema(schema)
        except SchemaError as exc:
            raise ConfigError(
                f"{source}: parameters: not a valid JSON Schema ({exc.message})"
            ) from None
        self._validator = StrictValidator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        self._fast = compile_fast(schema)

    @property
    def fast(self) -> bool:
        """Whether the compiled fast path covers this schema."""
        return self._fast is not None

    def violations(self, arguments: Mapping[str, Any]) -> list[Violation]:
        if self._fast is not None and self._fast(arguments):
            return []
        errors = sorted(self._validator.iter_errors(arguments), key=lambda e: list(e.path))
        return [_violation(e) for e in errors[:MAX_SCHEMA_ERRORS]]


def _violation(error: ValidationError) -> Violation:
    path = ".".join(str(p) for p in error.absolute_path)
    keyword = str(error.validator)
    message = error.message
    if keyword == "additionalProperties":
        extras = re.findall(r"'([^']*)' (?:was|were) unexpected", message) or re.findall(
            r"'([^']*)'", message
        )
        path = ".".join(p for p in (path, *extras[:1]) if p)
        message = "unexpected argument" + (f" {extras[0]!r}" if extras else "")
    elif keyword == "required":
        missing = re.findall(r"'([^']*)' is a required property", message)
        path = ".".join(p for p in (path, *missing[:1]) if p)
    if len(message) > 200:
        message = message[:197] + "..."
    return Violation(rule=f"schema:{keyword}", message=message, argument=path or None)


# -- the fast path ------------------------------------------------------------------------

Check = Callable[[object], bool]
_ANNOTATIONS = frozenset(
    {"title", "description", "examples", "default", "$comment", "deprecated", "$schema"}
)
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_NUMBER = _TYPES["number"]


class _Unsupported(Exception):
    pass


def compile_fast(schema: object) -> Check | None:
    """A plain-Python check for schemas made of the common keywords, else None."""
    try:
        return _compile(schema)
    except _Unsupported:
        return None


def _compile(schema: object) -> Check:
    if schema is True:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, Mapping):
        raise _Unsupported
    checks: list[Check] = []
    for key, arg in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key == "type":
            checks.append(_type(arg))
        elif key in ("enum", "const"):
            checks.append(_enum(arg if key == "enum" else [arg]))
        elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            checks.append(_bound(key, arg))
        elif key in ("minLength", "maxLength", "minItems", "maxItems"):
            checks.append(_length(key, arg))
        elif key == "pattern":
            checks.append(_pattern(arg))
        elif key in ("properties", "required", "additionalProperties"):
            continue  # handled together below
        elif key == "items":
            checks.append(_items(_compile(arg)))
        else:
            raise _Unsupported
    if any(k in schema for k in ("properties", "required", "additionalProperties")):
        checks.append(_object(schema))
    return _all(checks)


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    first, *rest = checks
    if len(rest) == 1:
        second = rest[0]
        return lambda v: first(v) and second(v)
    return lambda v: all(c(v) for c in checks)


def _type(arg: object) -> Check:
    names = [arg] if isinstance(arg, str) else arg
    if not isinstance(names, list) or any(n not in _TYPES for n in names):
        raise _Unsupported
    tests = [_TYPES[n] for n in names]
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(f(v) for f in tests)


def _enum(options: object) -> Check:
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise _Unsupported  # jsonschema's equality across types is subtler than ``in``
    allowed = frozenset(options)
    return lambda v: isinstance(v, str) and v in allowed


def _pattern(arg: object) -> Check:
    if not isinstance(arg, str):
        raise _Unsupported
    rx = re.compile(arg)
    return lambda v: not isinstance(v, str) or rx.search(v) is not None


def _items(item: Check) -> Check:
    return lambda v: not isinstance(v, list) or all(item(x) for x in v)


def _bound(key: str, limit: object) -> Check:
    if not _NUMBER(limit):
        raise _Unsupported
    lim: Any = limit
    ops: dict[str, Callable[[Any], bool]] = {
        "minimum": lambda v: v >= lim,
        "maximum": lambda v: v <= lim,
        "exclusiveMinimum": lambda v: v > lim,
        "exclusiveMaximum": lambda v: v < lim,
    }
    op = ops[key]
    return lambda v: not _NUMBER(v) or op(v)


def _length(key: str, limit: object) -> Check:
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise _Unsupported
    kind: type[str] | type[list[Any]] = str if key.endswith("Length") else list
    if key.startswith("min"):
        return lambda v: not isinstance(v, kind) or len(v) >= limit
    return lambda v: not isinstance(v, kind) or len(v) <= limit


def _object(schema: Mapping[str, Any]) -> Check:
    props = schema.get("properties", {})
    required = schema.get("required", [])
    extra = schema.get("additionalProperties", True)
    if not isinstance(props, Mapping) or not isinstance(required, list):
        raise _Unsupported
    compiled = {name: _compile(sub) for name, sub in props.items()}
    extra_check = _compile(extra)
    needed = tuple(required)

    def check(value: object) -> bool:
        if not isinstance(value, dict):
            return True
        for name in needed:
            if name not in value:
                return False
        for name, item in value.items():
            sub = compiled.get(name)
            if sub is None:
                if not extra_check(item):
                    return False
            elif not sub(item):
                return False
        return True

    return check
