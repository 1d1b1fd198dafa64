"""The value operations of the rule fast path (:mod:`._fastops` builds the closures that
call them): arithmetic and relations on exactly the values the CEL engine computes the
same way; anything else raises :class:`Bail`, and the engine decides."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "MUL_OPS",
    "PLAIN_TESTS",
    "RELATIONS",
    "Bail",
    "add",
    "int64",
    "neg",
    "not_",
    "sub",
]

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_EXACT = 2**53  # ints beyond this compare with doubles differently in the engine


class Bail(Exception):
    """A value outside what the fast path handles exactly: the engine decides."""


def int64(value: object) -> bool:
    return type(value) is int and INT_MIN <= value <= INT_MAX


def not_(a: Any) -> bool:
    if type(a) is not bool:
        raise Bail
    return not a


def neg(a: Any) -> Any:
    if type(a) is float:
        return -a
    if not int64(a) or a == INT_MIN:
        raise Bail
    return -a


def _floats(a: Any, b: Any) -> bool:
    return type(a) is float and type(b) is float


def add(a: Any, b: Any) -> Any:
    kind = type(a)
    if kind is type(b) and (kind is str or kind is float):
        return a + b
    return _arith(a, b, a + b if int64(a) and int64(b) else None)


def _arith(a: Any, b: Any, result: int | None) -> int:
    """An int result the engine gives too: int64 operands and no overflow."""
    if result is None or not (int64(a) and int64(b) and INT_MIN <= result <= INT_MAX):
        raise Bail  # a type the fast path leaves alone, or the engine's overflow error
    return result


def sub(a: Any, b: Any) -> Any:
    if _floats(a, b):
        return a - b
    return _arith(a, b, a - b if int64(a) and int64(b) else None)


def _mul(a: Any, b: Any) -> Any:
    if _floats(a, b):
        return a * b
    return _arith(a, b, a * b if int64(a) and int64(b) else None)


def _div(a: Any, b: Any) -> Any:
    """Ints truncate toward zero; a zero divisor is the engine's error."""
    if _floats(a, b) and b != 0.0:
        return a / b
    if not (int64(a) and int64(b)) or b == 0:
        raise Bail
    quotient = abs(a) // abs(b)
    return _arith(a, b, quotient if (a < 0) == (b < 0) else -quotient)


def _mod(a: Any, b: Any) -> int:
    """The remainder takes the dividend's sign (the engine's, not Python's)."""
    if not (int64(a) and int64(b)) or b == 0:
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
            return bool(INT_MIN <= a <= INT_MAX and INT_MIN <= b <= INT_MAX)
        if kind is float:
            return a == a and b == b  # type: ignore[no-any-return]  # NaN: the engine's
        return not ordered and (kind is bool or a is None)
    if kind in _NUMBERS and type(b) in _NUMBERS:  # int against double: by value
        return _exact(a) and _exact(b)
    return False


_NUMBERS = (int, float)


def _exact(x: Any) -> bool:
    """A number the engine compares with the other numeric type exactly as Python does."""
    return bool(x == x) if type(x) is float else int64(x) and abs(x) <= _EXACT


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
#: the relations whose values, once :func:`_same` holds, compare as in Python
PLAIN_TESTS: dict[Callable[[Any, Any], Any], Callable[[Any, Any], bool]] = {
    RELATIONS["=="]: operator.eq,
    RELATIONS["!="]: operator.ne,
    RELATIONS["<"]: operator.lt,
    RELATIONS["<="]: operator.le,
    RELATIONS[">"]: operator.gt,
    RELATIONS[">="]: operator.ge,
}
