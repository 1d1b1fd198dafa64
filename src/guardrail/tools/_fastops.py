"""The closures the rule fast path (:mod:`._fastcel`) builds: each handles only values it
evaluates exactly as the engine does and raises :class:`Bail` otherwise."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._celfuncs import Unevaluable

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

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_EXACT = 2**53  # ints beyond this compare with doubles differently in the engine
_Node = Callable[[Mapping[str, Any]], Any]


class Bail(Exception):
    """A value outside what the fast path handles exactly: the engine decides."""


def _int(value: object) -> bool:
    return type(value) is int and _INT_MIN <= value <= _INT_MAX


def const(value: object) -> _Node:
    return lambda env: value


def var(name: str) -> _Node:
    return lambda env: env[name]


def path(node: _Node, root: str | None, names: list[str]) -> _Node:
    """``node.a.b…``: each step needs an exact dict holding the key (else the engine
    decides: a missing key is its error)."""
    if not names:
        return node
    steps = tuple(names)

    def path(env: Mapping[str, Any]) -> Any:
        value = env[root] if root is not None else node(env)
        for name in steps:
            if type(value) is not dict or name not in value:
                raise Bail
            value = value[name]
        return value

    return path


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
        if not _int(days):
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
        return _int(value)
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
        for item in items:
            value = body({**env, var: item})
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
        for item in items:
            try:
                value = body({**env, var: item})
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
    return lambda env: op(left(env), right(env))


def not_(a: Any) -> bool:
    if type(a) is not bool:
        raise Bail
    return not a


def neg(a: Any) -> Any:
    if type(a) is float:
        return -a
    if not _int(a) or a == _INT_MIN:
        raise Bail
    return -a


def _floats(a: Any, b: Any) -> bool:
    return type(a) is float and type(b) is float


def add(a: Any, b: Any) -> Any:
    kind = type(a)
    if kind is type(b) and (kind is str or kind is float):
        return a + b
    return _arith(a, b, a + b if _int(a) and _int(b) else None)


def _arith(a: Any, b: Any, result: int | None) -> int:
    """An int result the engine gives too: int64 operands and no overflow."""
    if result is None or not (_int(a) and _int(b) and _INT_MIN <= result <= _INT_MAX):
        raise Bail  # a type the fast path leaves alone, or the engine's overflow error
    return result


def sub(a: Any, b: Any) -> Any:
    if _floats(a, b):
        return a - b
    return _arith(a, b, a - b if _int(a) and _int(b) else None)


def _mul(a: Any, b: Any) -> Any:
    if _floats(a, b):
        return a * b
    return _arith(a, b, a * b if _int(a) and _int(b) else None)


def _div(a: Any, b: Any) -> Any:
    """Ints truncate toward zero; a zero divisor is the engine's error."""
    if _floats(a, b) and b != 0.0:
        return a / b
    if not (_int(a) and _int(b)) or b == 0:
        raise Bail
    quotient = abs(a) // abs(b)
    return _arith(a, b, quotient if (a < 0) == (b < 0) else -quotient)


def _mod(a: Any, b: Any) -> int:
    """The remainder takes the dividend's sign (the engine's, not Python's)."""
    if not (_int(a) and _int(b)) or b == 0:
        raise Bail
    remainder = abs(a) % abs(b)
    return _arith(a, b, remainder if a >= 0 else -remainder)


MUL_OPS: dict[str, Callable[[Any, Any], Any]] = {"*": _mul, "/": _div, "%": _mod}


def _same(a: Any, b: Any, ordered: bool) -> bool:
    """Whether ``a`` and ``b`` are values the engine compares like Python does."""
    kind = type(a)
    if kind is type(b):
        if kind is str:
            return True
        if kind is int:
            return bool(_INT_MIN <= a <= _INT_MAX and _INT_MIN <= b <= _INT_MAX)
        if kind is float:
            return a == a and b == b  # type: ignore[no-any-return]  # NaN: the engine's
        return not ordered and (kind is bool or a is None)
    if kind in _NUMBERS and type(b) in _NUMBERS:  # int against double: by value
        return _exact(a) and _exact(b)
    return False


_NUMBERS = (int, float)


def _exact(x: Any) -> bool:
    """A number the engine compares with the other numeric type exactly as Python does."""
    return bool(x == x) if type(x) is float else _int(x) and abs(x) <= _EXACT


def _eq(a: Any, b: Any) -> bool:
    if not _same(a, b, False):
        raise Bail
    return bool(a == b)


def _ne(a: Any, b: Any) -> bool:
    return not _eq(a, b)


def _ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if not _same(a, b, True):
            raise Bail
        return test(a, b)

    return compare


def _in(a: Any, b: Any) -> bool:
    if type(a) is not str:
        raise Bail
    if type(b) is dict:
        return a in b
    if type(b) is list and all(type(x) is str for x in b):
        return a in b
    raise Bail


RELATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": _eq,
    "!=": _ne,
    "<": _ordered(lambda a, b: a < b),
    "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b),
    ">=": _ordered(lambda a, b: a >= b),
    "in": _in,
}
