"""The closures the rule fast path (:mod:`._fastcel`) builds: each handles only values it
evaluates exactly as the engine does and raises :class:`Bail` otherwise."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

from ._celfuncs import Unevaluable
from ._fastvals import (
    INT_MAX,
    INT_MIN,
    MUL_OPS,
    PLAIN_TESTS,
    RELATIONS,
    Bail,
    add,
    int64,
    neg,
    not_,
    sub,
)

__all__ = [
    "MUL_OPS",
    "RELATIONS",
    "Bail",
    "add",
    "binary",
    "call",
    "const",
    "days_since",
    "has_field",
    "index",
    "list_of",
    "logic",
    "macro",
    "neg",
    "not_",
    "path",
    "quantifier",
    "size_of",
    "sub",
    "ternary",
    "text_test",
    "unary",
    "var",
]

_Node = Callable[[Mapping[str, Any]], Any]


#: constant nodes → their value (so :func:`binary` can specialise ``x == 'lit'``)
_CONSTANT: weakref.WeakKeyDictionary[_Node, object] = weakref.WeakKeyDictionary()


def const(value: object) -> _Node:
    node: _Node = lambda env: value  # noqa: E731
    _CONSTANT[node] = value
    return node


def var(name: str) -> _Node:
    return lambda env: env[name]


def path(node: _Node, root: str | None, names: list[str]) -> _Node:
    """``node.a.b…``: each step needs an exact dict holding the key (else the engine
    decides: a missing key is its error)."""
    if not names:
        return node
    steps = tuple(names)
    if root is not None and len(steps) <= 2:  # ``args.x``, ``context.a.b``: unrolled
        return _short_path(root, steps)

    def path(env: Mapping[str, Any]) -> Any:
        value = env[root] if root is not None else node(env)
        for name in steps:
            if type(value) is not dict or name not in value:
                raise Bail
            value = value[name]
        return value

    return path


def _short_path(root: str, steps: tuple[str, ...]) -> _Node:
    """:func:`path` from a variable through one or two keys, without the loop."""
    first = steps[0]
    if len(steps) == 1:

        def path1(env: Mapping[str, Any]) -> Any:
            value = env[root]
            if type(value) is not dict or first not in value:
                raise Bail
            return value[first]

        return path1
    second = steps[1]

    def path2(env: Mapping[str, Any]) -> Any:
        value = env[root]
        if type(value) is not dict or first not in value:
            raise Bail
        value = value[first]
        if type(value) is not dict or second not in value:
            raise Bail
        return value[second]

    return path2


def has_field(node: _Node, name: str) -> _Node:
    def has(env: Mapping[str, Any]) -> bool:
        value = node(env)
        if type(value) is not dict:
            raise Bail
        return name in value

    return has


def list_of(items: list[_Node]) -> _Node:
    return lambda env: [item(env) for item in items]


def days_since(arg: _Node) -> _Node:
    def days_since(env: Mapping[str, Any]) -> int:
        value = arg(env)
        if type(value) is not str:
            raise Bail
        days = env["days_since"](value)
        if not int64(days):
            raise Bail
        return days  # type: ignore[no-any-return]

    return days_since


def call(name: str, args: list[_Node]) -> _Node:
    """An extension or tenant function (``env["fn"]``), the very function the engine
    calls; a failure (:class:`Unevaluable`) or an unknown name leaves it to the engine."""

    def call(env: Mapping[str, Any]) -> Any:
        fn = env["fn"].get(name)
        if fn is None:
            raise Bail
        values = [a(env) for a in args]
        if not all(map(_plain, values)):
            raise Bail  # what the engine would convert differently (or refuse)
        value = fn(*values)
        if isinstance(value, Unevaluable):
            raise Bail
        return value

    return call


def _plain(value: object) -> bool:
    """A value the engine receives exactly as the fast path holds it."""
    if isinstance(value, bool | str | float) or value is None:
        return type(value) in (bool, str, float) or value is None
    if type(value) is int:
        return int64(value)
    if type(value) is list:
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def macro(receiver: _Node, var: str, body: _Node, *, keep: bool) -> _Node:
    """``list.map(v, body)`` / ``list.filter(v, body)`` over an exact list."""

    def macro(env: Mapping[str, Any]) -> list[Any]:
        items = receiver(env)
        if type(items) is not list:
            raise Bail
        out = []
        scope = {**env}  # one copy, rebound per item (see quantifier)
        for item in items:
            scope[var] = item
            value = body(scope)
            if not keep:
                out.append(value)
            elif type(value) is not bool:
                raise Bail
            elif value:
                out.append(item)
        return out

    return macro


def index(node: _Node, key: _Node) -> _Node:
    """``m[key]`` on an exact dict with a string key present, or ``l[i]`` on an exact list
    with an int index in range; anything else (a missing key is the engine's error) bails."""

    def at(env: Mapping[str, Any]) -> Any:
        container, k = node(env), key(env)
        if type(container) is dict and type(k) is str and k in container:
            return container[k]
        if type(container) is list and type(k) is int and 0 <= k < len(container):
            return container[k]
        raise Bail

    return at


def size_of(node: _Node) -> _Node:
    """``size(x)`` of an exact list or map, or of an ASCII string (the engine counts a
    string's UTF-8 bytes)."""

    def size(env: Mapping[str, Any]) -> int:
        value = node(env)
        if type(value) in (list, dict) or (type(value) is str and value.isascii()):
            return len(value)
        raise Bail

    return size


_TEXT_TESTS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda s, t: t in s,
    "startsWith": str.startswith,
    "endsWith": str.endswith,
}


def text_test(name: str, receiver: _Node, arg: _Node) -> _Node:
    """``s.contains(t)`` / ``s.startsWith(t)`` / ``s.endsWith(t)`` on two strings."""
    test = _TEXT_TESTS[name]

    def text(env: Mapping[str, Any]) -> bool:
        s, t = receiver(env), arg(env)
        if type(s) is not str or type(t) is not str:
            raise Bail
        return test(s, t)

    return text


def quantifier(receiver: _Node, var: str, body: _Node, *, decisive: bool) -> _Node:
    """``list.exists(v, p)`` (``decisive`` True) or ``list.all(v, p)`` over an exact list,
    with the engine's error absorption: a decisive element wins over elements that fail;
    without one, any failure leaves the verdict to the engine."""

    def quantify(env: Mapping[str, Any]) -> bool:
        items = receiver(env)
        if type(items) is not list:
            raise Bail
        unsure = False
        # one copy of the variables, ``var`` rebound per item: a body only reads its
        # env while it runs (nodes keep no reference to it), and a nested macro copies
        # this scope in turn, so each item sees exactly ``{**env, var: item}``
        scope = {**env}
        for item in items:
            scope[var] = item
            try:
                value = body(scope)
            except Bail:
                unsure = True
                continue
            if value is decisive:
                return bool(decisive)
            if type(value) is not bool:
                unsure = True
        if unsure:
            raise Bail
        return not decisive

    return quantify


def ternary(cond: _Node, yes: _Node, no: _Node) -> _Node:
    def ternary(env: Mapping[str, Any]) -> Any:
        test = cond(env)
        if type(test) is not bool:
            raise Bail
        return yes(env) if test else no(env)

    return ternary


def logic(left: _Node, right: _Node, decisive: bool) -> _Node:
    """``||`` (``decisive`` True) or ``&&`` (False). The engine absorbs an unknown or
    failing side only when the other side is decisive; otherwise it decides itself."""

    def logic(env: Mapping[str, Any]) -> bool:
        try:
            a = left(env)
        except Bail:
            a = None
        if a is decisive:
            return a is True
        b = right(env)
        if type(b) is not bool or (a is not (not decisive) and b is not decisive):
            raise Bail
        return bool(b)

    return logic


def unary(op: Callable[[Any], Any], node: _Node) -> _Node:
    return lambda env: op(node(env))


def binary(op: Callable[[Any, Any], Any], left: _Node, right: _Node) -> _Node:
    test = PLAIN_TESTS.get(op)
    if test is not None and right in _CONSTANT:
        return _versus_constant(op, test, left, _CONSTANT[right])
    if test is not None:
        return _relation(op, test, left, right)
    return lambda env: op(left(env), right(env))


def _relation(
    op: Callable[[Any, Any], Any], test: Callable[[Any, Any], bool], left: _Node, right: _Node
) -> _Node:
    """``x <op> y``: two strings, or two ints within int64, are values ``_fastvals._same``
    accepts, and then ``op`` is ``test`` (Python's own comparison): made directly; any
    other pair takes ``op``'s general path."""

    def relation(env: Mapping[str, Any]) -> Any:
        a, b = left(env), right(env)
        kind = type(a)
        if kind is type(b) and (
            kind is str or (kind is int and INT_MIN <= a <= INT_MAX and INT_MIN <= b <= INT_MAX)
        ):
            return test(a, b)
        return op(a, b)

    return relation


def _versus_constant(
    op: Callable[[Any, Any], Any], test: Callable[[Any, Any], bool], left: _Node, c: object
) -> _Node:
    """``x <op> 'lit'`` or ``x <op> 42``: when ``x`` has the constant's type (an int
    within int64 against an int64 constant) ``_fastvals._same`` holds and the comparison is
    Python's own, so it is made directly; any other value takes ``op``'s general path."""
    kind = type(c)
    if kind is str:

        def versus_str(env: Mapping[str, Any]) -> Any:
            a = left(env)
            return test(a, c) if type(a) is str else op(a, c)

        return versus_str
    if kind is int and int64(c):

        def versus_int(env: Mapping[str, Any]) -> Any:
            a = left(env)
            return test(a, c) if type(a) is int and INT_MIN <= a <= INT_MAX else op(a, c)

        return versus_int
    return lambda env: op(left(env), c)
