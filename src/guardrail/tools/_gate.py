"""The gate: validate a draft's tool calls in order — known tool, sane arguments, JSON
Schema, context resolved, accumulators, CEL rules — each seeing what the earlier
*allowed* calls did. Outcomes are data: every call gets a :class:`ToolCallResult`."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .._log import get_logger
from ..errors import ConfigError
from ..knowledge import Knowledge
from ..models import Code, Conversation, Finding, Role, ToolCall, ToolCallResult, Violation
from ._celast import number_converter, schema_types
from ._celfuncs import EXTENSIONS, MACROS
from ._finding import tool_finding
from ._rules import (
    BUILTIN,
    CompiledRule,
    CompiledTerm,
    LoadEnv,
    RuleEnv,
    compile_rule,
    compile_term,
    days_since_fn,
    why_unevaluable,
)
from ._schema import ArgumentValidator, prescan
from ._spec import ToolSpec

__all__ = ["CompiledTool", "Resolver", "Verdicts", "validate_calls"]

#: Loads one entity by id (sync or async); None means "no such entity".
Resolver = Callable[[str], Any]

MAX_CALLS = 50
#: how much of the customer's latest message rules see (``conversation.last_customer_message``)
MAX_MESSAGE = 2000
_OMIT = frozenset({"arguments-depth", "arguments-size"})
log = get_logger("guardrail.tools")


@dataclass(frozen=True)
class CompiledTool:
    spec: ToolSpec
    validator: ArgumentValidator
    rules: tuple[CompiledRule, ...]
    source: str
    needs: frozenset[str]
    policy_keys: frozenset[str]
    terms: tuple[CompiledTerm, ...] = ()
    #: the extension and tenant functions its rules and terms call
    functions: frozenset[str] = frozenset()
    #: ``number`` arguments as doubles (None: the schema has no number)
    numbers: Callable[[object], object] | None = None

    @classmethod
    def build(cls, spec: ToolSpec, *, source: str) -> CompiledTool:
        validator = ArgumentValidator(spec.parameters, source=source)
        for name in spec.functions:
            if name in BUILTIN or name in MACROS:
                raise ConfigError(f"{source}: functions: {name!r} is a built-in function")
        declared = frozenset(spec.functions)
        arg_types = schema_types(spec.parameters)
        term_types: dict[str, str | None] = {}
        terms: list[CompiledTerm] = []
        for name, text in spec.terms.items():
            env = LoadEnv(source, arg_types, dict(term_types), declared)
            term = compile_term(name, text, source=source, env=env)
            terms.append(term)
            term_types[name] = term.type
        env = LoadEnv(source, arg_types, term_types, declared)
        rules = tuple(compile_rule(r, source=source, env=env) for r in spec.policy)
        needs = frozenset().union(*(r.variables for r in rules))
        if "terms" in needs:
            needs |= frozenset().union(*(t.variables for t in terms))
        if "prior" in needs and not spec.accumulate:
            raise ConfigError(f"{source}: a rule reads 'prior' but the spec has no 'accumulate'")
        keys = frozenset().union(*(r.policy_keys for r in rules), *(t.policy_keys for t in terms))
        fns = frozenset().union(*(r.functions for r in rules), *(t.functions for t in terms))
        numbers = number_converter(spec.parameters)
        return cls(spec, validator, rules, source, needs, keys, tuple(terms), fns, numbers)


@dataclass
class Verdicts:
    results: list[ToolCallResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: resolved entities, ``"<entity>:<id>"`` → the data, for the handoff
    pulled: dict[str, Any] = field(default_factory=dict)


async def validate_calls(
    tools: Mapping[str, CompiledTool],
    calls: Sequence[ToolCall],
    *,
    conversation: Conversation,
    knowledge: Knowledge,
    resolvers: Mapping[str, Resolver],
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> Verdicts:
    """One verdict per call, in order. Never raises for anything the agent proposed."""
    out = Verdicts()
    shared: _Shared | None = None
    cache: dict[tuple[str, str], Mapping[str, Any] | str] = {}
    allowed: list[tuple[CompiledTool, Mapping[str, Any]]] = []
    for index, call in enumerate(calls):
        tool = tools.get(call.name)
        if tool is None:
            _block(out, call, index, Code.UNKNOWN_TOOL, [_unknown(call.name)])
            continue
        if index >= MAX_CALLS:
            v = Violation(rule="too-many-calls", message=f"more than {MAX_CALLS} tool calls")
            _block(out, call, index, Code.TOOL_SCHEMA_VIOLATION, [v])
            continue
        bad = prescan(call.arguments)
        if not bad:
            assert isinstance(call.arguments, Mapping)
            bad = tool.validator.violations(call.arguments)
        if bad:
            _block(out, call, index, Code.TOOL_SCHEMA_VIOLATION, bad)
            continue
        args: Mapping[str, Any] = call.arguments  # type: ignore[assignment]
        if shared is None:
            shared = _Shared(conversation, knowledge, tools, calls, functions or {})
        if resolvers and tool.spec.context:
            overlay, unresolved = await _resolve(tool.spec, args, resolvers, cache, out.pulled)
        else:  # what ``_resolve`` returns when no entity has a resolver
            overlay, unresolved = {}, []
        prior = _prior(tool.spec, args, allowed) if tool.spec.accumulate else {}
        violations = list(unresolved)
        violations.extend(shared.check(tool, args, prior, overlay))
        if violations:
            _block(out, call, index, Code.TOOL_POLICY_VIOLATION, violations)
            continue
        out.results.append(ToolCallResult.allow(call))
        allowed.append((tool, args))
    return out


class _Shared:
    """The variables rules see in one check. Rules in the fast subset read the plain
    values; the CEL context (whose conversions cost microseconds per key) is built only
    when a rule needs the engine."""

    def __init__(
        self,
        conversation: Conversation,
        knowledge: Knowledge,
        tools: Mapping[str, CompiledTool],
        calls: Sequence[ToolCall],
        functions: Mapping[str, Callable[..., Any]],
    ) -> None:
        as_of: datetime = conversation.as_of
        policy = {}
        # only the keys the called tools' rules name (each rule reads only keys it names),
        # looked up by name rather than by a pass over every registered tool
        called = {c.name for c in calls[:MAX_CALLS]}
        keys = frozenset().union(*(tools[n].policy_keys for n in called if n in tools))
        for key in sorted(keys):
            fact = knowledge.golden.fact(key, as_of)
            if fact is not None:
                policy[key] = fact.value
        self.now = as_of
        self.context: Mapping[str, Any] = conversation.context
        self.policy = policy
        self.conversation = {
            "id": conversation.id,
            "tenant": conversation.tenant,
            "customer_id": conversation.customer_id,
            "intent": conversation.intent,
            "last_customer_message": _last_customer_message(conversation),
        }
        self.draft = {"calls": len(calls), "tools": [c.name[:64] for c in calls[:MAX_CALLS]]}
        self.days_since = days_since_fn(as_of)
        self.tenant = functions
        self.fn = {**EXTENSIONS, **functions} if functions else EXTENSIONS
        self._env: RuleEnv | None = None

    def engine(self) -> RuleEnv:
        if self._env is None:
            self._env = RuleEnv(
                now=self.now,
                context=self.context,
                policy=self.policy,
                conversation=self.conversation,
                draft=self.draft,
                functions=self.tenant,
            )
        return self._env

    def check(
        self,
        tool: CompiledTool,
        args: Mapping[str, Any],
        prior: Mapping[str, int],
        overlay: Mapping[str, Any],
    ) -> list[Violation]:
        """The violations of ``tool``'s rules for one call."""
        if tool.spec.functions:
            missing = sorted(set(tool.spec.functions) - self.tenant.keys())
            if missing:  # declared in the spec, never registered: nothing can be checked
                why = f"tenant function {missing[0]!r} is not registered (@guard.tools.function)"
                return [_unevaluable(rule, why) for rule in tool.rules]
        if tool.numbers is not None:
            args = tool.numbers(args)  # type: ignore[assignment]
        plain: dict[str, Any] = {
            "args": args,
            "context": {**self.context, **overlay} if overlay else self.context,
            "policy": self.policy,
            "prior": prior,
            "conversation": self.conversation,
            "draft": self.draft,
            "days_since": self.days_since,
            "fn": self.fn,
        }
        env: RuleEnv | None = None
        failed: dict[str, str] = {}
        if tool.terms and "terms" in tool.needs:
            values: dict[str, Any] = {}
            plain["terms"] = values
            for term in tool.terms:  # each term at most once per call
                try:
                    if term.fast is None:
                        raise LookupError
                    values[term.name] = term.fast(plain)
                    continue
                except Exception:  # outside the fast subset: the engine decides
                    pass
                if env is None:
                    env = self.engine()
                    env.bind(tool.needs, args, prior, overlay, functions=tool.functions)
                env.set_terms(dict(values))
                if "context" in term.variables:
                    env.need_context(term.context_keys)
                try:
                    values[term.name] = env.value(term.program)
                except Exception as exc:  # the term is unevaluable; rules reading it block
                    cause = next((failed[t] for t in sorted(term.reads) if t in failed), None)
                    failed[term.name] = cause or why_unevaluable(exc)
        out: list[Violation] = []
        for rule in tool.rules:
            verdict = rule.fast(plain) if rule.fast is not None else None
            if verdict is True:
                continue
            if verdict is False:
                out.append(rule.violation())
                continue
            if env is None:
                env = self.engine()
                env.bind(tool.needs, args, prior, overlay, functions=tool.functions)
            if "terms" in plain:
                env.set_terms(plain["terms"])
            if "context" in rule.variables:
                env.need_context(rule.context_keys)
            broken = env.check(rule, failed)
            if broken is not None:
                out.append(broken)
        return out


def _unevaluable(rule: CompiledRule, why: str) -> Violation:
    message = f"{rule.rule.message} (rule could not be evaluated: {why})"
    return Violation(rule=rule.rule.id, message=message, argument=rule.argument)


def _last_customer_message(conversation: Conversation) -> str:
    for message in reversed(conversation.messages):
        if message.role is Role.customer:  # a ``Role`` (unique values): ``.value == "customer"``
            return message.text[:MAX_MESSAGE]
    return ""


async def _resolve(
    spec: ToolSpec,
    args: Mapping[str, Any],
    resolvers: Mapping[str, Resolver],
    cache: dict[tuple[str, str], Mapping[str, Any] | str],
    pulled: dict[str, Any],
) -> tuple[dict[str, Any], list[Violation]]:
    """Load the entities the spec binds, once per entity per check. Without a resolver
    the conversation's own ``context`` stands; a resolver that finds nothing or fails
    blocks the call (a rule cannot be checked against data that is not there)."""
    overlay: dict[str, Any] = {}
    problems: list[Violation] = []
    for entity, arg in spec.context.items():
        resolver = resolvers.get(entity)
        if resolver is None or arg not in args:
            continue
        key = (entity, str(args[arg]))
        if key not in cache:
            cache[key] = await _load(resolver, key[1])
            if not isinstance(cache[key], str):
                pulled[f"{entity}:{key[1]}"] = cache[key]
        found = cache[key]
        if isinstance(found, str):
            problems.append(
                Violation(rule=f"resolve:{entity}", message=f"{entity} {found}", argument=arg)
            )
        else:
            overlay[entity] = found
    return overlay, problems


async def _load(resolver: Resolver, entity_id: str) -> Mapping[str, Any] | str:
    """The entity, or a string saying why there is none."""
    try:
        found = resolver(entity_id)
        if inspect.isawaitable(found):
            found = await found
    except Exception as exc:  # the host's loader failed: block the call, don't guess
        log.warning("resolver_failed", error=type(exc).__name__)
        return f"could not be loaded ({type(exc).__name__})"
    if found is None:
        return "not found"
    if not isinstance(found, Mapping):
        return f"could not be loaded (the resolver returned {type(found).__name__})"
    return dict(found)


def _prior(
    spec: ToolSpec,
    args: Mapping[str, Any],
    allowed: Sequence[tuple[CompiledTool, Mapping[str, Any]]],
) -> dict[str, int]:
    totals: dict[str, int] = {}
    for acc in spec.accumulate:
        total = 0
        for earlier, earlier_args in allowed:
            for other in earlier.spec.accumulate:
                if other.name != acc.name:
                    continue
                if acc.per is not None and (
                    other.per is None or earlier_args.get(other.per) != args.get(acc.per)
                ):
                    continue
                amount = earlier_args.get(other.sum)
                if isinstance(amount, int) and not isinstance(amount, bool):
                    total += amount
        totals[acc.name] = total
    return totals


def _unknown(name: str) -> Violation:
    return Violation(rule="unknown-tool", message=f"no tool named {name[:80]!r}")


def _block(out: Verdicts, call: ToolCall, index: int, code: Code, vs: list[Violation]) -> None:
    if vs[0].rule in _OMIT:  # too deep/large to copy into the decision: keep a note instead
        call = ToolCall(name=call.name, id=call.id, arguments=f"<omitted: {vs[0].message}>")
    out.results.append(ToolCallResult.block(call, vs))
    name = call.name[:80]
    for v in vs:
        out.findings.append(
            tool_finding(
                code,
                f"{name}: {v.message}",
                tool=name,
                call_index=index,
                rule=v.rule,
                argument=v.argument,
            )
        )
