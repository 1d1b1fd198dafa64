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

from . import _fastops as ops

__all__ = ["FastNode", "FastRule", "compile_fast_expr", "compile_fast_rule"]

#: Evaluates one rule against ``{"args": …, "context": …, "policy": …, "prior": …,
#: "conversation": …, "days_since": …}``: True/False, or None when the engine must decide.
FastRule = Callable[[Mapping[str, Any]], bool | None]
_Node = Callable[[Mapping[str, Any]], Any]
#: Evaluates a term: its value, or raises when the engine must decide.
FastNode = _Node

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_ROOTS = frozenset({"args", "context", "policy", "prior", "conversation", "draft", "terms"})
_TOKEN = re.compile(
    r"\s*(?:(?P<dbl>[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?)|(?P<num>[0-9]+)|(?P<str>'[^'\\\n\r]*'|\"[^\"\\\n\r]*\")|(?P<id>[A-Za-z_]\w*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*/%?:()\[\].,]))",
    re.ASCII,
)
_KEYWORDS = {"true": True, "false": False, "null": None}
_CASTS = frozenset({"int", "uint", "double", "string", "bytes", "bool"})
#: methods the engine implements itself (left to it, not called through env["fn"])
_ENGINE_METHODS = frozenset(
    {"matches", "exists_one",
     "hasValue", "orValue", "value", "or", "getFullYear", "getMonth", "getDate",
     "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes",
     "getSeconds", "getMilliseconds"}
)  # fmt: skip


class _Unsupported(Exception):
    """The rule uses something outside the subset: the engine evaluates it."""


def compile_fast_expr(source: str) -> FastNode | None:
    """The expression as a closure returning its value (raising when the engine must
    decide), or None when it is outside the subset."""
    try:
        return _Parser(_tokens(source)).parse()
    except (_Unsupported, RecursionError):
        return None


def compile_fast_rule(source: str) -> FastRule | None:
    """The rule as a Python closure, or None when it is outside the subset."""
    node = compile_fast_expr(source)
    if node is None:
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
        if kind == "dbl" and (nxt.isalnum() or nxt in ("_", ".")):
            raise _Unsupported
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
        self.bound: frozenset[str] = frozenset()

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
        return ops.ternary(cond, yes, self.expr())

    def or_(self) -> _Node:
        node = self.and_()
        while self.peek() == "||":
            self.take()
            node = ops.logic(node, self.and_(), True)
        return node

    def and_(self) -> _Node:
        node = self.relation()
        while self.peek() == "&&":
            self.take()
            node = ops.logic(node, self.relation(), False)
        return node

    def relation(self) -> _Node:
        node = self.calc()
        while self.peek() in ops.RELATIONS:
            op = self.take()[1]
            node = ops.binary(ops.RELATIONS[op], node, self.calc())
        return node

    def calc(self) -> _Node:
        node = self.mul()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            node = ops.binary(ops.add if op == "+" else ops.sub, node, self.mul())
        return node

    def mul(self) -> _Node:
        node = self.unary()
        while self.peek() in ("*", "/", "%"):
            op = self.take()[1]
            node = ops.binary(ops.MUL_OPS[op], node, self.unary())
        return node

    def unary(self) -> _Node:
        if self.peek() == "!":
            self.take()
            return ops.unary(ops.not_, self.unary())
        if self.peek() == "-":
            self.take()
            return ops.unary(ops.neg, self.unary())
        return self.member()

    def member(self) -> _Node:
        node, root = self.primary()
        names: list[str] = []
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name = self.take()
                if kind != "id" or name in _KEYWORDS or name == "in":
                    raise _Unsupported
                if self.peek() == "(":
                    node = self.method(ops.path(node, root, names), name)
                    root, names = None, []
                    continue
            else:
                kind, name = self.toks[self.i]
                if kind != "str" or self.toks[self.i + 1][1] != "]":
                    key = self.expr()
                    self.take("]")
                    node = ops.index(ops.path(node, root, names), key)
                    root, names = None, []
                    continue
                self.take()
                name = name[1:-1]
                self.take("]")
            names.append(name)
        self._last_select = (ops.path(node, root, names[:-1]), names[-1]) if names else None
        return ops.path(node, root, names)

    def primary(self) -> tuple[_Node, str | None]:
        """The node, and the variable's name when it is a bare variable (a root or a
        macro's variable)."""
        kind, text = self.take()
        if kind == "dbl":
            return ops.const(float(text)), None
        if kind == "id" and text in self.bound:
            return ops.var(text), text  # a macro variable reads like a root: env[text]
        if kind == "id" and text == "math" and self.peek() == ".":
            self.take(".")
            fn_kind, fn = self.take()
            if fn_kind != "id" or self.peek() != "(":
                raise _Unsupported
            return ops.call(f"math.{fn}", self.arguments()), None
        if kind == "num":
            value = int(text)
            if value > _INT_MAX:
                raise _Unsupported
            return ops.const(value), None
        if kind == "str":
            return ops.const(text[1:-1]), None
        if kind == "id" and text in _KEYWORDS:
            return ops.const(_KEYWORDS[text]), None
        if kind == "id" and self.peek() == "(":
            return self.call(text), None
        if kind == "id" and text in _ROOTS:
            return ops.var(text), text
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
            return ops.list_of(items), None
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
            return ops.has_field(*target)
        if name == "days_since":
            arg = self.expr()
            self.take(")")
            return ops.days_since(arg)
        if name == "size":
            arg = self.expr()
            self.take(")")
            return ops.size_of(arg)
        if name in ("date", "timestamp", "duration", "type", "dyn") or name in _CASTS:
            raise _Unsupported  # the engine's own functions and types stay with the engine
        self.i -= 1
        return ops.call(name, self.arguments())

    def arguments(self) -> list[_Node]:
        self.take("(")
        args: list[_Node] = []
        while self.peek() != ")":
            args.append(self.expr())
            if self.peek() != ",":
                break
            self.take(",")
        self.take(")")
        return args

    def method(self, receiver: _Node, name: str) -> _Node:
        if name in ("map", "filter", "all", "exists"):
            self.take("(")
            kind, var = self.take()
            if kind != "id" or var in _ROOTS or var in self.bound or self.peek() != ",":
                raise _Unsupported
            self.take(",")
            outer, self.bound = self.bound, self.bound | {var}
            body = self.expr()
            self.bound = outer
            self.take(")")
            if name in ("all", "exists"):
                return ops.quantifier(receiver, var, body, decisive=name == "exists")
            return ops.macro(receiver, var, body, keep=name == "filter")
        if name == "size":
            self.take("(")
            self.take(")")
            return ops.size_of(receiver)
        if name in ("contains", "startsWith", "endsWith"):
            args = self.arguments()
            if len(args) != 1:
                raise _Unsupported
            return ops.text_test(name, receiver, args[0])
        if name in _ENGINE_METHODS:
            raise _Unsupported
        return ops.call(name, [receiver, *self.arguments()])

    _last_select: tuple[_Node, str] | None = None  # has(): the operand's last select
