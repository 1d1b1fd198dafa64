"""Rule test cases (``guardrail rules test``) and rule explanations (``guardrail rules
explain``): one tool call with its context, run through the real gate.

A case is one JSON object (one line of a ``.jsonl`` file)::

    {"name": "exact payment", "tool": "book_flight", "arguments": {...},
     "context": {...}, "as_of": "2026-11-20T10:00:00Z", "customer_id": "u-1",
     "messages": [{"role": "customer", "text": "..."}], "prior": [{"name", "arguments"}],
     "expect": {"allowed": false, "rules": ["paid-exactly"]}}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import cel
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..knowledge import Knowledge
from ..models import Conversation, Message, ToolCall, ToolCallResult
from . import _celast
from ._celfuncs import EXTENSIONS
from ._gate import CompiledTool, _last_customer_message, _prior
from ._layer import ToolsLayer
from ._rules import days_since_fn, parse_date, why_unevaluable

__all__ = ["Case", "Outcome", "explain", "parse_case", "run_case"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Strict):
    allowed: bool
    #: the ids of the rules that block it (compared as a set; omit to check only allowed)
    rules: tuple[str, ...] | None = None


class _Call(_Strict):
    name: str
    arguments: dict[str, Any]


class Case(_Strict):
    name: str = ""
    tool: str
    arguments: dict[str, Any]
    context: dict[str, Any] = Field(default_factory=dict)
    as_of: AwareDatetime
    customer_id: str | None = None
    intent: str | None = None
    messages: list[Message] = Field(default_factory=list)
    prior: list[_Call] = Field(default_factory=list)
    expect: Expect | None = None

    def conversation(self, tenant: str = "rules-test") -> Conversation:
        return Conversation(
            tenant=tenant,
            id=f"case:{self.name or 'unnamed'}"[:200],
            customer_id=self.customer_id,
            as_of=self.as_of,
            messages=self.messages,
            intent=self.intent,
            context=self.context,
        )

    def calls(self) -> list[ToolCall]:
        earlier = [ToolCall(name=p.name, arguments=p.arguments) for p in self.prior]
        return [*earlier, ToolCall(name=self.tool, arguments=self.arguments)]


def parse_case(text: str, where: str) -> Case:
    """One case; InputError naming ``where`` (e.g. ``line 3``) and the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        raise InputError(f"{where}: {field}: {msg}") from None


class Outcome:
    """A case's actual verdict, compared with what it expects."""

    def __init__(self, case: Case, result: ToolCallResult) -> None:
        self.case = case
        self.result = result
        self.rules = tuple(sorted({v.rule for v in result.violations}))

    @property
    def passed(self) -> bool:
        expect = self.case.expect
        if expect is None:
            return True
        if expect.allowed != self.result.allowed:
            return False
        return expect.rules is None or tuple(sorted(set(expect.rules))) == self.rules

    def describe(self, allowed: bool, rules: tuple[str, ...] | None) -> str:
        if allowed:
            return "allowed"
        return "blocked" + (f" by {', '.join(rules)}" if rules else "")


def run_case(layer: ToolsLayer, case: Case, knowledge: Knowledge, where: str) -> Outcome:
    if case.tool not in layer.specs:
        raise InputError(f"{where}: tool: no tool spec named {case.tool!r}")
    for i, p in enumerate(case.prior):
        if p.name not in layer.specs:
            raise InputError(f"{where}: prior.{i}.name: no tool spec named {p.name!r}")
    results = layer.validate(case.calls(), conversation=case.conversation(), knowledge=knowledge)
    return Outcome(case, results[-1])


# -- explain ----------------------------------------------------------------------------


def explain(layer: ToolsLayer, case: Case, knowledge: Knowledge) -> list[str]:
    """Lines: the verdict, each term's and each rule's value, and for a rule that is not
    true, the value of each of its sub-expressions."""
    outcome = run_case(layer, case, knowledge, "case")
    tool: CompiledTool = layer.registry.compiled[case.tool]
    lines = [f"{case.tool}: {outcome.describe(outcome.result.allowed, outcome.rules)}"]
    for v in outcome.result.violations:
        if v.rule.startswith(("schema:", "arguments-", "resolve:")):
            lines.append(f"  {v.rule}: {v.message}")
    if any(v.rule.startswith(("schema:", "arguments-")) for v in outcome.result.violations):
        return lines  # the rules never ran
    ctx, terms = _context(layer, tool, case, knowledge)
    for name, value in terms.items():
        lines.append(f"  term {name} = {_show(value)}")
    for rule in tool.rules:
        value = _eval(rule.program, ctx)
        lines.append(f"  {rule.rule.id}: {_show(value)}")
        if value is True:
            continue
        tree = _celast.parse(rule.rule.rule)
        if tree is None:
            lines.append("    (sub-expressions: this rule's syntax is not broken down)")
            continue
        for node, depth in _subexpressions(tree):
            text = rule.rule.rule[node.start : node.end]
            try:
                sub = _eval(cel.compile(text), ctx)
            except ValueError:
                continue
            lines.append(f"    {'  ' * depth}{text} = {_show(sub)}")
    return lines


def _context(
    layer: ToolsLayer, tool: CompiledTool, case: Case, knowledge: Knowledge
) -> tuple[cel.Context, dict[str, Any]]:
    conversation = case.conversation()
    calls = case.calls()
    earlier = layer.validate(calls[:-1], conversation=conversation, knowledge=knowledge)
    allowed = [
        (layer.registry.compiled[r.name], r.arguments)
        for r in earlier
        if r.allowed and isinstance(r.arguments, Mapping)
    ]
    args: Any = case.arguments if tool.numbers is None else tool.numbers(case.arguments)
    policy = {}
    for key in tool.policy_keys:
        fact = knowledge.golden.fact(key, case.as_of)
        if fact is not None:
            policy[key] = fact.value
    now: datetime = case.as_of
    variables: dict[str, Any] = {
        "args": args,
        "context": case.context,
        "policy": policy,
        "now": now,
        "prior": _prior(tool.spec, case.arguments, allowed),
        "conversation": {
            "id": conversation.id,
            "tenant": conversation.tenant,
            "customer_id": conversation.customer_id,
            "intent": conversation.intent,
            "last_customer_message": _last_customer_message(conversation),
        },
        "draft": {"calls": len(calls), "tools": [c.name for c in calls]},
    }
    functions = {"days_since": days_since_fn(now), "date": parse_date, **EXTENSIONS}
    functions.update(layer.registry.functions)
    ctx = cel.Context(variables, functions=functions)
    terms: dict[str, Any] = {}
    for term in tool.terms:
        ctx.add_variable("terms", {k: v for k, v in terms.items() if not isinstance(v, _Error)})
        terms[term.name] = _eval(term.program, ctx)
    ctx.add_variable("terms", {k: v for k, v in terms.items() if not isinstance(v, _Error)})
    return ctx, terms


class _Error:
    def __init__(self, why: str) -> None:
        self.why = why


def _eval(program: Any, ctx: cel.Context) -> Any:
    try:
        return program.execute(ctx)
    except Exception as exc:  # shown as the value: "error: …"
        return _Error(why_unevaluable(exc))


def _show(value: Any) -> str:
    if isinstance(value, _Error):
        return f"error: {value.why}"
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _subexpressions(tree: _celast.Node) -> list[tuple[_celast.Node, int]]:
    """Every sub-expression worth a value (not literals, not inside a macro's body)."""
    out: list[tuple[_celast.Node, int]] = []

    def visit(node: _celast.Node, depth: int) -> None:
        if node.kind == "lit":
            return
        if depth > 0 and node.kind != "ident":
            out.append((node, depth - 1))
        if node.kind == "select":
            return  # ``a.b.c``: its value, not each prefix's
        if node.kind == "index":
            visit(node.children[1], depth + 1)
            return
        if node.kind == "call" and node.value in ("all", "exists", "exists_one", "map", "filter"):
            if node.method:
                visit(node.children[0], depth + 1)
            return
        for child in node.children:
            visit(child, depth + 1)

    visit(tree, 0)
    return out
