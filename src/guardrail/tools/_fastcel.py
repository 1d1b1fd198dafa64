"""A fast path for the common CEL rule subset, evaluated in plain Python.

Converting Python values into the CEL engine costs microseconds per key, which dominated
the gate. Rules built only from what this module implements exactly — member access on
maps, ``has()``, string/int/bool/null literals, ``== != < <= > >= in``, int ``+ - *``
(with int64 overflow checks), string ``+``, ``! && || ?:`` and the ``days_since`` helper —
are compiled at load into closures over the plain Python values.

The CEL engine stays the authority, exactly as ``jsonschema`` is for the schema fast
path: a closure answers only ``True`` or ``False`` when every value it touches is of a
type it handles exactly (same-type comparisons, ints within int64, exact ``dict``s,
keys present). Anything else — a missing key, a mixed-type comparison, a float, an
overflow, a non-boolean result — answers ``None``, and the gate evaluates that rule
with the engine (which then produces its own verdict or error message). Error-absorbing
``||``/``&&`` follow the engine: ``<unknown> || true`` is ``true``, ``<unknown> &&
false`` is ``false``. A test pins that every answer agrees with the engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["FastRule", "compile_fast_rule"]

#: Evaluates one rule against ``{"args": …, "context": …, "policy": …, "prior": …,
#: "conversation": …, "days_since": …}``: True/False, or None when the engine must decide.
FastRule = Callable[[Mapping[str, Any]], bool | None]
_Node = Callable[[Mapping[str, Any]], Any]

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_ROOTS = frozenset({"args", "context", "policy", "prior", "conversation"})
_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9]+)|(?P<str>'[^'\\\n\r]*'|\"[^\"\\\n\r]*\")|(?P<id>[A-Za-z_]\w*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*?:()\[\].,]))",
    re.ASCII,
)
_KEYWORDS = {"true": True, "false": False, "null": None}


class _Unsupported(Exception):
    """The rule uses something outside the subset: the engine evaluates it."""


class _Bail(Exception):
    """A value outside what the fast path handles exactly: the engine decides."""


def compile_fast_rule(source: str) -> FastRule | None:
    """The rule as a Python closure, or None when it is outside the subset."""
    try:
        node = _Parser(_tokens(source)).parse()
    except (_Unsupported, RecursionError):
        return None

    def rule(env: Mapping[str, Any]) -> bool | None:
        try:
            value = node(env)
        except Exception:  # _Bail, or anything unforeseen: the engine is the authority
            return None
        return value if type(value) is bool else None

    return rule


def _tokens(source: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos, end = 0, len(source.rstrip())
    while pos < end:
        m = _TOKEN.match(source, pos)
        if m is None or m.end() == pos:
            raise _Unsupported
        kind = m.lastgroup or ""
        text = m.group(kind)
        nxt = source[m.end() : m.end() + 1]
        if kind == "num" and (nxt.isalnum() or nxt in ("_", ".") or text[:1] == "0" < text[1:]):
            raise _Unsupported  # 1u, 1.5, 1e3, 0x1, 007
        if kind == "str" and source.startswith(("'''", '"""'), m.start(kind)):
            raise _Unsupported
        if kind == "id" and nxt in ("'", '"'):
            raise _Unsupported  # r'..', b'..'
        out.append((kind, text))
        pos = m.end()
    out.append(("end", ""))
    return out


# -- the parser: CEL's precedence, building closures ---------------------------------------


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.toks = tokens
        self.i = 0

    def peek(self) -> str:
        kind, text = self.toks[self.i]
        return text if kind == "op" or (kind == "id" and text == "in") else f"<{kind}>"

    def take(self, expected: str | None = None) -> tuple[str, str]:
        tok = self.toks[self.i]
        if expected is not None and self.peek() != expected:
            raise _Unsupported
        self.i += 1
        return tok

    def parse(self) -> _Node:
        node = self.expr()
        if self.peek() != "<end>":
            raise _Unsupported
        return node

    def expr(self) -> _Node:
        cond = self.or_()
        if self.peek() != "?":
            return cond
        self.take("?")
        yes = self.or_()
        self.take(":")
        return _ternary(cond, yes, self.expr())

    def or_(self) -> _Node:
        node = self.and_()
        while self.peek() == "||":
            self.take()
            node = _logic(node, self.and_(), True)
        return node

    def and_(self) -> _Node:
        node = self.relation()
        while self.peek() == "&&":
            self.take()
            node = _logic(node, self.relation(), False)
        return node

    def relation(self) -> _Node:
        node = self.calc()
        while self.peek() in _RELATIONS:
            op = self.take()[1]
            node = _binary(_RELATIONS[op], node, self.calc())
        return node

    def calc(self) -> _Node:
        node = self.mul()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            node = _binary(_add if op == "+" else _sub, node, self.mul())
        return node

    def mul(self) -> _Node:
        node = self.unary()
        while self.peek() == "*":
            self.take()
            node = _binary(_mul, node, self.unary())
        return node

    def unary(self) -> _Node:
        if self.peek() == "!":
            self.take()
            return _unary(_not, self.unary())
        if self.peek() == "-":
            self.take()
            return _unary(_neg, self.unary())
        return self.member()

    def member(self) -> _Node:
        node, root = self.primary()
        names: list[str] = []
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name = self.take()
                if kind != "id" or name in _KEYWORDS or name == "in" or self.peek() == "(":
                    raise _Unsupported  # method calls are not in the subset
            else:
                kind, name = self.take()
                if kind != "str":
                    raise _Unsupported
                name = name[1:-1]
                self.take("]")
            names.append(name)
        self._last_select = (_path(node, root, names[:-1]), names[-1]) if names else None
        return _path(node, root, names)

    def primary(self) -> tuple[_Node, str | None]:
        """The node, and the variable's name when it is a bare variable."""
        kind, text = self.take()
        if kind == "num":
            value = int(text)
            if value > _INT_MAX:
                raise _Unsupported
            return _const(value), None
        if kind == "str":
            return _const(text[1:-1]), None
        if kind == "id" and text in _KEYWORDS:
            return _const(_KEYWORDS[text]), None
        if kind == "id" and self.peek() == "(":
            return self.call(text), None
        if kind == "id" and text in _ROOTS:
            return _var(text), text
        if (kind, text) == ("op", "("):
            node = self.expr()
            self.take(")")
            return node, None
        if (kind, text) == ("op", "["):
            items: list[_Node] = []
            while self.peek() != "]":
                items.append(self.expr())
                if self.peek() != ",":
                    break
                self.take(",")
            self.take("]")
            return _list(items), None
        raise _Unsupported

    def call(self, name: str) -> _Node:
        self.take("(")
        if name == "has":
            self._last_select = None
            self.member()
            target = self._last_select
            self.take(")")
            if target is None:
                raise _Unsupported
            return _has(*target)
        if name == "days_since":
            arg = self.expr()
            self.take(")")
            return _days_since(arg)
        raise _Unsupported

    _last_select: tuple[_Node, str] | None = None  # has(): the operand's last select


# -- the closures --------------------------------------------------------------------------


def _int(value: object) -> bool:
    return type(value) is int and _INT_MIN <= value <= _INT_MAX


def _const(value: object) -> _Node:
    return lambda env: value


def _var(name: str) -> _Node:
    return lambda env: env[name]


def _path(node: _Node, root: str | None, names: list[str]) -> _Node:
    """``node.a.b…``: each step needs an exact dict holding the key (else the engine
    decides: a missing key is its error)."""
    if not names:
        return node
    steps = tuple(names)

    def path(env: Mapping[str, Any]) -> Any:
        value = env[root] if root is not None else node(env)
        for name in steps:
            if type(value) is not dict or name not in value:
                raise _Bail
            value = value[name]
        return value

    return path


def _has(node: _Node, name: str) -> _Node:
    def has(env: Mapping[str, Any]) -> bool:
        value = node(env)
        if type(value) is not dict:
            raise _Bail
        return name in value

    return has


def _list(items: list[_Node]) -> _Node:
    return lambda env: [item(env) for item in items]


def _days_since(arg: _Node) -> _Node:
    def days_since(env: Mapping[str, Any]) -> int:
        value = arg(env)
        if type(value) is not str:
            raise _Bail
        days = env["days_since"](value)
        if not _int(days):
            raise _Bail
        return days  # type: ignore[no-any-return]

    return days_since


def _ternary(cond: _Node, yes: _Node, no: _Node) -> _Node:
    def ternary(env: Mapping[str, Any]) -> Any:
        test = cond(env)
        if type(test) is not bool:
            raise _Bail
        return yes(env) if test else no(env)

    return ternary


def _logic(left: _Node, right: _Node, decisive: bool) -> _Node:
    """``||`` (``decisive`` True) or ``&&`` (False). The engine absorbs an unknown or
    failing side only when the other side is decisive; otherwise it decides itself."""

    def logic(env: Mapping[str, Any]) -> bool:
        try:
            a = left(env)
        except _Bail:
            a = None
        if a is decisive:
            return a is True
        b = right(env)
        if type(b) is not bool or (a is not (not decisive) and b is not decisive):
            raise _Bail
        return bool(b)

    return logic


def _unary(op: Callable[[Any], Any], node: _Node) -> _Node:
    return lambda env: op(node(env))


def _binary(op: Callable[[Any, Any], Any], left: _Node, right: _Node) -> _Node:
    return lambda env: op(left(env), right(env))


def _not(a: Any) -> bool:
    if type(a) is not bool:
        raise _Bail
    return not a


def _neg(a: Any) -> int:
    if not _int(a) or a == _INT_MIN:
        raise _Bail
    return -a  # type: ignore[no-any-return]


def _add(a: Any, b: Any) -> Any:
    if type(a) is str and type(b) is str:
        return a + b
    return _arith(a, b, a + b if _int(a) and _int(b) else None)


def _arith(a: Any, b: Any, result: int | None) -> int:
    """An int result the engine gives too: int64 operands and no overflow."""
    if result is None or not (_int(a) and _int(b) and _INT_MIN <= result <= _INT_MAX):
        raise _Bail  # a type the fast path leaves alone, or the engine's overflow error
    return result


def _sub(a: Any, b: Any) -> int:
    return _arith(a, b, a - b if _int(a) and _int(b) else None)


def _mul(a: Any, b: Any) -> int:
    return _arith(a, b, a * b if _int(a) and _int(b) else None)


def _same(a: Any, b: Any, ordered: bool) -> bool:
    """Whether ``a`` and ``b`` are of one type the engine compares like Python does."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is str:
        return True
    if kind is int:
        return bool(_INT_MIN <= a <= _INT_MAX and _INT_MIN <= b <= _INT_MAX)
    return not ordered and (kind is bool or a is None)


def _eq(a: Any, b: Any) -> bool:
    if not _same(a, b, False):
        raise _Bail
    return bool(a == b)


def _ne(a: Any, b: Any) -> bool:
    return not _eq(a, b)


def _ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if not _same(a, b, True):
            raise _Bail
        return test(a, b)

    return compare


def _in(a: Any, b: Any) -> bool:
    if type(a) is not str:
        raise _Bail
    if type(b) is dict:
        return a in b
    if type(b) is list and all(type(x) is str for x in b):
        return a in b
    raise _Bail


_RELATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": _eq,
    "!=": _ne,
    "<": _ordered(lambda a, b: a < b),
    "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b),
    ">=": _ordered(lambda a, b: a >= b),
    "in": _in,
}
