"""The functions rules may call beyond the engine's own: Kubernetes' CEL list, math and
string extensions (which ``common-expression-language`` does not ship) and guardrail's
helpers, implemented once in Python and registered with the engine *and* called by the
fast path, so both evaluate them identically.

A function never raises into the engine (which would print the exception): a failure
returns an :class:`Unevaluable`, which the engine cannot convert, so the rule fails to
evaluate — and a rule that cannot be evaluated blocks the call. The reason is kept in a
context variable for the violation message.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "ARITY",
    "EXTENSIONS",
    "MACROS",
    "STANDARD",
    "Fail",
    "Unevaluable",
    "cents",
    "days_since_fn",
    "last_failure",
    "parse_date",
    "safe",
]

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_failure: ContextVar[str | None] = ContextVar("guardrail_cel_failure", default=None)


class Unevaluable:
    """What a function returns instead of raising: the engine fails to convert it."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def last_failure() -> str | None:
    """Why the last extension or tenant function failed (in this thread/task)."""
    return _failure.get()


class _Fail(Exception):
    """Raised inside an implementation; :func:`safe` turns it into :class:`Unevaluable`."""


Fail = _Fail  # for tenant-function type checks (a reason, not a tenant bug)


def safe(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` returning :class:`Unevaluable` (with the reason recorded) instead of raising."""

    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except _Fail as exc:
            reason = f"{name}(): {exc}"
        except Exception as exc:  # a tenant function's bug: the rule is unevaluable
            reason = f"{name}() raised {type(exc).__name__}"
        _failure.set(reason)
        return Unevaluable(reason)

    call.__name__ = name
    return call


# -- helpers ---------------------------------------------------------------------------


def _num(value: object) -> bool:
    return type(value) in (int, float)


def _check_int(value: int) -> int:
    if not _INT_MIN <= value <= _INT_MAX:
        raise _Fail("integer overflow")
    return value


def _eq(a: object, b: object) -> bool:
    """CEL equality: numbers compare numerically across int and double; otherwise the
    types must match (``true != 1``)."""
    if _num(a) and _num(b):
        return a == b
    if type(a) is not type(b):
        return False
    if type(a) is list:
        assert isinstance(b, list)
        return len(a) == len(b) and all(_eq(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is dict:
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(_eq(a[k], b[k]) for k in a)
    return a == b


def _list(value: object, name: str) -> list[Any]:
    if type(value) is not list:
        raise _Fail(f"needs a list, got {_kind(value)}")
    return value


def _str(value: object) -> str:
    if type(value) is not str:
        raise _Fail(f"needs a string, got {_kind(value)}")
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise _Fail(f"needs an int, got {_kind(value)}")
    return value


def _kind(value: object) -> str:
    return {int: "int", float: "double", str: "string", bool: "bool", list: "list"}.get(
        type(value), "map" if isinstance(value, Mapping) else type(value).__name__
    )


def _numbers(items: list[Any]) -> list[Any]:
    if not items:
        raise _Fail("needs at least one value")
    if not all(_num(x) for x in items):
        raise _Fail("needs numbers")
    return items


# -- lists (Kubernetes CEL list library) ----------------------------------------------


def sum_(items: object) -> int | float:
    values = _list(items, "sum")
    if all(type(x) is int for x in values):
        return _check_int(sum(values))
    if all(type(x) is float for x in values):
        return sum(values, 0.0)
    raise _Fail("needs a list of all ints or all doubles (write 50.0, not 50, beside doubles)")


def _extreme(items: object, pick: Callable[..., Any]) -> Any:
    values = _list(items, "")
    if not values:
        raise _Fail("of an empty list")
    if all(_num(x) for x in values) or all(type(x) is str for x in values):
        return pick(values)
    raise _Fail("needs a list of numbers or of strings")


def min_(items: object) -> Any:
    return _extreme(items, min)


def max_(items: object) -> Any:
    return _extreme(items, max)


def index_of(receiver: object, item: object, *start: object) -> int:
    if type(receiver) is str:
        return _str_index(receiver, item, start, last=False)
    values = _list(receiver, "indexOf")
    return next((i for i, x in enumerate(values) if _eq(x, item)), -1)


def last_index_of(receiver: object, item: object, *start: object) -> int:
    if type(receiver) is str:
        return _str_index(receiver, item, start, last=True)
    values = _list(receiver, "lastIndexOf")
    return next((i for i in range(len(values) - 1, -1, -1) if _eq(values[i], item)), -1)


def is_sorted(items: object) -> bool:
    values = _list(items, "isSorted")
    if values and not (all(_num(x) for x in values) or all(type(x) is str for x in values)):
        raise _Fail("needs a list of numbers or of strings")
    return all(a <= b for a, b in itertools.pairwise(values))


# -- math (cel-go / Kubernetes math library) ------------------------------------------


def _spread(args: tuple[Any, ...]) -> list[Any]:
    if len(args) == 1 and type(args[0]) is list:
        return _numbers(args[0])
    return _numbers(list(args))


def greatest(*args: Any) -> Any:
    return max(_spread(args))


def least(*args: Any) -> Any:
    return min(_spread(args))


def abs_(value: object) -> int | float:
    if type(value) is int:
        return _check_int(abs(value))
    if type(value) is float:
        return abs(value)
    raise _Fail(f"needs a number, got {_kind(value)}")


def _double(value: object) -> float:
    if type(value) is not float:
        raise _Fail(f"needs a double, got {_kind(value)}")
    return value


def ceil(value: object) -> float:
    return float(math.ceil(_double(value)))


def floor(value: object) -> float:
    return float(math.floor(_double(value)))


def round_(value: object) -> float:
    """Half away from zero, as cel-go's ``math.round``."""
    x = _double(value)
    return math.copysign(math.floor(abs(x) + 0.5), x)


# -- strings (Kubernetes CEL strings library) -----------------------------------------


def _str_index(text: str, sub: object, start: tuple[object, ...], *, last: bool) -> int:
    needle = _str(sub)
    if len(start) > 1:
        raise _Fail("takes at most one offset")
    if start:
        at = _int(start[0])
        if not 0 <= at <= len(text):
            raise _Fail("offset out of range")
        return text.rfind(needle, 0, at + len(needle)) if last else text.find(needle, at)
    return text.rfind(needle) if last else text.find(needle)


def char_at(text: object, index: object) -> str:
    s, i = _str(text), _int(index)
    if not 0 <= i <= len(s):
        raise _Fail("index out of range")
    return s[i : i + 1]


def lower_ascii(text: object) -> str:
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in _str(text))


def upper_ascii(text: object) -> str:
    return "".join(c.upper() if "a" <= c <= "z" else c for c in _str(text))


def replace(text: object, old: object, new: object, *limit: object) -> str:
    count = _int(limit[0]) if limit else -1
    return _str(text).replace(_str(old), _str(new), count)


def split(text: object, sep: object, *limit: object) -> list[str]:
    s, d = _str(text), _str(sep)
    n = _int(limit[0]) if limit else -1
    if n == 0:
        return []
    if d == "":
        parts = list(s)
        return parts if n < 0 or n >= len(parts) else [*parts[: n - 1], "".join(parts[n - 1 :])]
    return s.split(d, n - 1 if n > 0 else -1)


def substring(text: object, start: object, *end: object) -> str:
    s, a = _str(text), _int(start)
    b = _int(end[0]) if end else len(s)
    if not 0 <= a <= b <= len(s):
        raise _Fail("index out of range")
    return s[a:b]


def trim(text: object) -> str:
    return _str(text).strip()


def join(items: object, *sep: object) -> str:
    values = _list(items, "join")
    if not all(type(x) is str for x in values):
        raise _Fail("needs a list of strings")
    return (_str(sep[0]) if sep else "").join(values)


# -- guardrail helpers ------------------------------------------------------------------


def parse_date(value: object) -> datetime | None:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO timestamp with a zone, as UTC; None when
    it is neither. (Helpers never raise: the engine would print the error. A None makes
    the rule fail to evaluate, which blocks the call.)"""
    if not isinstance(value, str) or len(value) > 40:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        if len(text) != 10:
            return None  # a timestamp without a zone is ambiguous
        return parsed.replace(tzinfo=UTC)  # already UTC: ``astimezone(UTC)`` returns it
    return parsed.astimezone(UTC)


def days_since_fn(now: datetime) -> Any:
    """The ``days_since`` helper for one check: whole days from a date string to ``now``."""

    def days_since(value: object) -> int | None:
        day = parse_date(value)
        return None if day is None else (now - day).days

    return days_since


def cents(value: object) -> int:
    """A dollar amount (int or double) as integer cents; fractions of a cent fail."""
    if type(value) is int:
        return _check_int(value * 100)
    if type(value) is not float or not math.isfinite(value):
        raise _Fail(f"needs a number, got {_kind(value)}")
    scaled = value * 100
    whole = round(scaled)
    if abs(scaled - whole) > 1e-6 * max(1.0, abs(scaled)):
        raise _Fail("the amount has fractions of a cent")
    return _check_int(int(whole))


#: engine name → implementation (namespaced names are called as ``math.greatest(…)``)
_IMPLEMENTATIONS: dict[str, Callable[..., Any]] = {
    "sum": sum_,
    "min": min_,
    "max": max_,
    "indexOf": index_of,
    "lastIndexOf": last_index_of,
    "isSorted": is_sorted,
    "math.greatest": greatest,
    "math.least": least,
    "math.abs": abs_,
    "math.ceil": ceil,
    "math.floor": floor,
    "math.round": round_,
    "charAt": char_at,
    "lowerAscii": lower_ascii,
    "upperAscii": upper_ascii,
    "replace": replace,
    "split": split,
    "substring": substring,
    "trim": trim,
    "join": join,
    "cents": cents,
}
EXTENSIONS: dict[str, Callable[..., Any]] = {
    name: safe(name, fn) for name, fn in _IMPLEMENTATIONS.items()
}

#: how many arguments each extension takes, counting a method's receiver
ARITY: dict[str, tuple[int, int]] = {
    "sum": (1, 1), "min": (1, 1), "max": (1, 1), "indexOf": (2, 3), "lastIndexOf": (2, 3),
    "isSorted": (1, 1), "math.greatest": (1, 99), "math.least": (1, 99), "math.abs": (1, 1),
    "math.ceil": (1, 1), "math.floor": (1, 1), "math.round": (1, 1), "charAt": (2, 2),
    "lowerAscii": (1, 1), "upperAscii": (1, 1), "replace": (3, 4), "split": (2, 3),
    "substring": (2, 3), "trim": (1, 1), "join": (1, 2), "cents": (1, 1),
    "days_since": (1, 1), "date": (1, 1),
}  # fmt: skip

#: the engine's own functions that rules may use (each one is walked through the engine
#: by tests/tools/test_functions.py; docs/tools.md lists them)
STANDARD = frozenset(
    {
        "size", "int", "uint", "double", "string", "bytes", "type", "dyn", "timestamp",
        "duration", "contains", "startsWith", "endsWith", "matches", "getFullYear",
        "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours",
        "getMinutes", "getSeconds", "getMilliseconds", "optional.of", "optional.none",
        "optional.ofNonZeroValue", "hasValue", "orValue", "value", "or",
    }
)  # fmt: skip
#: macros: the engine expands them (``has`` takes a field selection; the others a
#: receiver, a variable and an expression)
MACROS = frozenset({"has", "all", "exists", "exists_one", "map", "filter"})
