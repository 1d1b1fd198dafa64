"""A CEL parser that keeps source spans, for what the engine cannot tell us: which
functions a rule calls (with their namespace and whether as a method), the static
int/double type of arithmetic operands (the number rule, checked at load), and the
sub-expressions ``guardrail rules explain`` evaluates. The engine still compiles every
rule first, so this parser only sees valid CEL; where it cannot follow a construct it
gives up (``None``) and the load-time checks fall back to the engine's references.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

__all__ = [
    "Node",
    "arithmetic_mismatch",
    "calls",
    "number_converter",
    "parse",
    "schema_types",
    "static_type",
    "walk",
]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>0[xX][0-9a-fA-F]+[uU]?|(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?[uU]?)"
    r"|(?P<str>[rRbB]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\""
    r"|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"))"
    r"|(?P<id>[A-Za-z_]\w*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*/%?:()\[\]{}.,]))",
    re.ASCII,
)
_NAMESPACES = frozenset({"math", "optional"})
_BINARY = (("||",), ("&&",), ("==", "!=", "<", "<=", ">", ">=", "in"), ("+", "-"), ("*", "/", "%"))


@dataclass
class Node:
    kind: str  # lit, ident, select, index, call, list, map, unary, binary, ternary
    start: int
    end: int
    children: list[Node] = field(default_factory=list)
    #: lit: the type name; ident/select: the name; call: the function; unary/binary: op
    value: str = ""
    #: call: called as a method (``x.f()``); its receiver is children[0]
    method: bool = False


class _GiveUp(Exception):
    pass


def parse(source: str) -> Node | None:
    """The expression tree, or None for syntax this parser does not follow."""
    try:
        toks = _tokens(source)
        parser = _Parser(toks)
        node = parser.expr()
        if parser.toks[parser.i][0] != "end":
            return None
        return node
    except (_GiveUp, RecursionError, IndexError):
        return None


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from walk(child)


def calls(node: Node) -> Iterator[tuple[str, bool]]:
    """(function name, called as a method) for every call in the tree."""
    for n in walk(node):
        if n.kind == "call":
            yield n.value, n.method


def _tokens(source: str) -> list[tuple[str, str, int, int]]:
    out: list[tuple[str, str, int, int]] = []
    pos, end = 0, len(source.rstrip())
    while pos < end:
        m = _TOKEN.match(source, pos)
        if m is None or m.end() == pos:
            raise _GiveUp
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind), m.start(kind), m.end()))
        pos = m.end()
    out.append(("end", "", end, end))
    return out


class _Parser:
    def __init__(self, toks: list[tuple[str, str, int, int]]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> str:
        kind, text, _, _ = self.toks[self.i]
        return text if kind == "op" or (kind == "id" and text == "in") else f"<{kind}>"

    def take(self, expected: str | None = None) -> tuple[str, str, int, int]:
        if expected is not None and self.peek() != expected:
            raise _GiveUp
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expr(self) -> Node:
        cond = self.binary(0)
        if self.peek() != "?":
            return cond
        self.take()
        yes = self.binary(0)
        self.take(":")
        no = self.expr()
        return Node("ternary", cond.start, no.end, [cond, yes, no])

    def binary(self, level: int) -> Node:
        if level == len(_BINARY):
            return self.unary()
        node = self.binary(level + 1)
        while self.peek() in _BINARY[level]:
            op = self.take()[1]
            right = self.binary(level + 1)
            node = Node("binary", node.start, right.end, [node, right], op)
        return node

    def unary(self) -> Node:
        if self.peek() in ("!", "-"):
            _, op, start, _ = self.take()
            operand = self.unary()
            return Node("unary", start, operand.end, [operand], op)
        return self.member()

    def member(self) -> Node:
        node = self.primary()
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name, _, end = self.take()
                if kind != "id":
                    raise _GiveUp
                if self.peek() == "(":
                    args, end = self.arguments()
                    if node.kind == "ident" and node.value in _NAMESPACES:
                        node = Node("call", node.start, end, args, f"{node.value}.{name}")
                    else:
                        node = Node("call", node.start, end, [node, *args], name, method=True)
                else:
                    node = Node("select", node.start, end, [node], name)
            else:
                index = self.expr()
                end = self.take("]")[3]
                node = Node("index", node.start, end, [node, index])
        return node

    def arguments(self) -> tuple[list[Node], int]:
        self.take("(")
        args: list[Node] = []
        while self.peek() != ")":
            args.append(self.expr())
            if self.peek() != ",":
                break
            self.take()
        return args, self.take(")")[3]

    def primary(self) -> Node:
        kind, text, start, end = self.take()
        if kind == "num":
            return Node("lit", start, end, value=_number_type(text))
        if kind == "str":
            return Node("lit", start, end, value="bytes" if "b" in text[:2].lower() else "string")
        if kind == "id":
            if text in ("true", "false"):
                return Node("lit", start, end, value="bool")
            if text == "null":
                return Node("lit", start, end, value="null")
            if self.peek() == "(":
                args, end = self.arguments()
                return Node("call", start, end, args, text)
            return Node("ident", start, end, value=text)
        if text == "(":
            inner = self.expr()
            close = self.take(")")[3]
            return Node(inner.kind, start, close, inner.children, inner.value, inner.method)
        if text in ("[", "{"):
            closing = "]" if text == "[" else "}"
            items: list[Node] = []
            while self.peek() != closing:
                items.append(self.expr())
                if text == "{":
                    self.take(":")
                    items.append(self.expr())
                if self.peek() != ",":
                    break
                self.take()
            end = self.take(closing)[3]
            return Node("list" if text == "[" else "map", start, end, items)
        raise _GiveUp


def _number_type(text: str) -> str:
    if text[-1] in "uU":
        return "uint"
    if text[:2].lower() != "0x" and any(c in text for c in ".eE"):
        return "double"
    return "int"


# -- the number rule: int and double never meet in arithmetic --------------------------

_ARITH = frozenset({"+", "-", "*", "/", "%"})
_RESULT = {"int": "int", "double": "double", "uint": "uint", "cents": "int", "size": "int",
           "days_since": "int", "string": "string", "math.ceil": "double",
           "math.floor": "double", "math.round": "double"}  # fmt: skip
_SAME = frozenset({"sum", "min", "max", "math.abs", "math.greatest", "math.least"})


def arithmetic_mismatch(
    node: Node, source: str, typeof: Callable[[Node], str | None]
) -> str | None:
    """A message for the first arithmetic (or list) that mixes an int and a double whose
    types are known at load; ``typeof`` gives the type of the leaves it knows (``args.x``
    from the schema, ``terms.x``, ``prior.x``)."""
    found: list[str] = []
    _infer(node, source, typeof, found)
    return found[0] if found else None


def static_type(node: Node, typeof: Callable[[Node], str | None]) -> str | None:
    """The expression's type when known at load ('int', 'double', 'list:int', …)."""
    return _infer(node, "", typeof, [])


def _infer(
    n: Node, source: str, typeof: Callable[[Node], str | None], found: list[str]
) -> str | None:
    if found:
        return None
    kids = [_infer(c, source, typeof, found) for c in n.children]
    if n.kind == "lit":
        return n.value
    if n.kind in ("ident", "select", "index"):
        return typeof(n)
    if n.kind == "unary":
        return kids[0] if n.value == "-" else "bool"
    if n.kind == "ternary":
        return kids[1] if kids[1] == kids[2] else None
    if n.kind == "list":
        known = {k for k in kids if k is not None}
        if known == {"int", "double"}:
            return "list:mixed"
        return "list:" + known.pop() if len(known) == 1 and None not in kids else "list"
    if n.kind == "binary":
        if n.value not in _ARITH:
            return "bool"
        a, b = kids
        if {a, b} == {"int", "double"}:
            found.append(_mixed(n, source, a))
            return None
        return a if a == b else None
    if n.kind == "call":
        first = (kids[0] or "") if kids else ""
        if n.value in _RESULT:
            return _RESULT[n.value]
        if n.value == "map" and n.method and len(kids) == 3 and kids[2] in ("int", "double"):
            return f"list:{kids[2]}"
        if n.value == "sum" and first == "list:mixed":
            found.append(_mixed_list(n.children[0], source, typeof))
            return None
        if n.value in ("sum", "min", "max") and first.startswith("list:"):
            return first[5:]
        if n.value in _SAME and len(kids) == 1 and first in ("int", "double"):
            return first
    return None


def _text(source: str, n: Node) -> str:
    return source[n.start : n.end]


def _mixed(n: Node, source: str, left: str | None) -> str:
    lhs, rhs = n.children
    int_side = rhs if left == "double" else lhs
    dbl_side = lhs if left == "double" else rhs
    fix = (
        f"{_text(source, int_side)}.0"
        if int_side.kind == "lit"
        else f"double({_text(source, int_side)})"
    )
    return (
        f"'{_text(source, n)}' mixes a double ({_text(source, dbl_side)}) and an int "
        f"({_text(source, int_side)}) in arithmetic, which CEL refuses: write {fix}, or "
        f"turn a dollar amount into integer cents with cents({_text(source, dbl_side)})"
    )


def _mixed_list(n: Node, source: str, typeof: Callable[[Node], str | None]) -> str:
    ints = [c for c in n.children if _infer(c, source, typeof, []) == "int"]
    first = _text(source, ints[0])
    fix = f"{first}.0" if ints[0].kind == "lit" else f"double({first})"
    return f"'{_text(source, n)}' mixes doubles and ints, which sum() refuses: write {fix}"


def schema_types(parameters: Mapping[str, object]) -> dict[str, str]:
    """``args`` property → 'int' / 'double' / other, from the top level of the schema."""
    props = parameters.get("properties")
    out: dict[str, str] = {}
    if not isinstance(props, Mapping):
        return out
    for name, schema in props.items():
        kind = schema.get("type") if isinstance(schema, Mapping) else None
        if kind == "integer":
            out[str(name)] = "int"
        elif kind == "number":
            out[str(name)] = "double"
        elif kind == "array" and isinstance(schema, Mapping):
            items = schema.get("items")
            item_kind = items.get("type") if isinstance(items, Mapping) else None
            if item_kind in ("integer", "number"):
                out[str(name)] = "list:int" if item_kind == "integer" else "list:double"
    return out


def _is_number(schema: Mapping[str, object]) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "number" in kinds and "integer" not in kinds


def number_converter(schema: object) -> Callable[[object], object] | None:
    """A function giving every ``number``-typed value (through ``properties`` and
    ``items``) as a double, so ``100`` and ``100.0`` read the same in rules; None when
    the schema has no number anywhere."""
    if not isinstance(schema, Mapping):
        return None
    if _is_number(schema):
        return lambda v: float(v) if type(v) is int else v
    props = schema.get("properties")
    if isinstance(props, Mapping):
        inner = {k: c for k, s in props.items() if (c := number_converter(s)) is not None}
        if inner:

            def convert_object(v: object) -> object:
                if type(v) is not dict:
                    return v
                return {**v, **{k: c(v[k]) for k, c in inner.items() if k in v}}

            return convert_object
    conv = number_converter(schema.get("items"))
    if conv is not None:
        return lambda v: [conv(x) for x in v] if type(v) is list else v
    return None
