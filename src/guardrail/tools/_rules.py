"""CEL policy rules: compiled once at load, evaluated against one call's variables.

Variables a rule sees: ``args`` (the call's arguments), ``context`` (the conversation's
context, with entities a resolver loaded for this call laid over it), ``policy`` (the
golden-set values in force at ``as_of``), ``now`` (``as_of`` as a timestamp), ``prior``
(the accumulators, see :class:`~guardrail.tools.Accumulator`) and ``conversation``
(``id``, ``customer_id``, ``intent``, ``tenant``). Helpers: ``days_since(date)`` — whole
days from a ``YYYY-MM-DD`` (or ISO timestamp) string to ``now`` — and ``date(s)``, the
string as a timestamp.

The engine is ``common-expression-language`` (import name ``cel``); docs/tools.md has
the measurement that chose it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import cel

from ..errors import ConfigError
from ..models import Violation
from ._fastcel import FastRule, compile_fast_rule
from ._spec import Rule

__all__ = ["VARIABLES", "CompiledRule", "RuleEnv", "compile_rule", "days_since_fn"]

VARIABLES = frozenset({"args", "context", "policy", "now", "prior", "conversation"})
HELPERS = frozenset({"days_since", "date"})
# The CEL standard library (cel-spec "Standard Definitions") plus the string and
# timestamp members the engine implements. Anything else is a config error at load.
_STANDARD = frozenset(
    {
        "size", "int", "uint", "double", "string", "bytes", "bool", "type", "dyn",
        "timestamp", "duration", "has", "matches", "contains", "startsWith", "endsWith",
        "all", "exists", "exists_one", "map", "filter", "max", "min", "lowerAscii",
        "upperAscii", "trim", "split", "join", "replace", "indexOf", "lastIndexOf",
        "substring", "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek",
        "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
        "optional", "orValue", "hasValue", "value",
    }
)  # fmt: skip
_MACRO_VAR = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")
_ARG_REF = re.compile(r"\bargs\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")
_EVAL_ERRORS = (KeyError, TypeError, ValueError, RuntimeError, ArithmeticError, IndexError)


_POLICY_KEY = re.compile(r"\bpolicy\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    program: Any
    argument: str | None
    #: the top-level variables the rule reads (only these are bound for it)
    variables: frozenset[str]
    #: the golden-set keys it names (``policy.key`` / ``policy['key']``)
    policy_keys: frozenset[str]
    #: the plain-Python evaluation of the rule when it is in the fast subset (see _fastcel)
    fast: FastRule | None = None

    def violation(self) -> Violation:
        """The violation of a rule that evaluated to ``false``."""
        return Violation(rule=self.rule.id, message=self.rule.message, argument=self.argument)


def compile_rule(rule: Rule, *, source: str) -> CompiledRule:
    """Compile one rule; a syntax error, an unknown variable or function is a
    ConfigError naming ``source`` and the rule id."""
    where = f"{source}: policy rule {rule.id!r}"
    try:
        program = cel.compile(rule.rule)
    except (ValueError, RuntimeError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{where} does not compile: {first}") from None
    refs = program.references()
    bound = set(_MACRO_VAR.findall(rule.rule))
    unknown_vars = sorted(set(refs["variables"]) - VARIABLES - bound)
    if unknown_vars:
        raise ConfigError(
            f"{where}: unknown variable {unknown_vars[0]!r} "
            f"(rules see {', '.join(sorted(VARIABLES))})"
        )
    unknown_fns = sorted(
        f for f in refs["functions"] if f[:1].isalpha() and f not in _STANDARD | HELPERS
    )
    if unknown_fns:
        raise ConfigError(f"{where}: unknown function {unknown_fns[0]!r}")
    argument = rule.argument
    if argument is None:
        found = _ARG_REF.search(rule.rule)
        argument = (found.group(1) or found.group(2)) if found else None
    keys = frozenset(m.group(1) or m.group(2) for m in _POLICY_KEY.finditer(rule.rule))
    if "policy" in refs["variables"] and not keys:
        raise ConfigError(f"{where}: name policy keys literally (policy.key or policy['key'])")
    used = frozenset(refs["variables"]) & VARIABLES
    return CompiledRule(rule, program, argument, used, keys, compile_fast_rule(rule.rule))


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
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def days_since_fn(now: datetime) -> Any:
    """The ``days_since`` helper for one check: whole days from a date string to ``now``."""

    def days_since(value: object) -> int | None:
        day = parse_date(value)
        return None if day is None else (now - day).days

    return days_since


class RuleEnv:
    """The CEL variables for one check. Converting a value into CEL costs microseconds
    per key, so each variable is bound only when a rule needs it, ``policy`` holds only
    the keys rules name, and ``context`` is re-bound only when a resolver changes it."""

    def __init__(
        self,
        *,
        now: datetime,
        context: Mapping[str, Any],
        policy: Mapping[str, Any],
        conversation: Mapping[str, Any],
    ) -> None:
        self._ctx = cel.Context(
            {"now": now}, functions={"days_since": days_since_fn(now), "date": parse_date}
        )
        self._lazy: dict[str, Mapping[str, Any]] = {
            "policy": policy,
            "conversation": conversation,
        }
        self._base_context = context
        self._context_key: object = None
        self._prior: object = None

    def bind(
        self,
        needs: frozenset[str],
        args: Mapping[str, Any],
        prior: Mapping[str, int],
        overlay: Mapping[str, Any],
    ) -> None:
        """Make the variables ``needs`` names current for the next call's rules."""
        for name in needs & self._lazy.keys():
            self._ctx.add_variable(name, self._lazy.pop(name))
        if "context" in needs:
            key = tuple((k, id(v)) for k, v in overlay.items())
            if key != self._context_key:
                value = {**self._base_context, **overlay} if overlay else self._base_context
                self._ctx.add_variable("context", value)
                self._context_key = key
        if "args" in needs:
            self._ctx.add_variable("args", args)
        if "prior" in needs and prior != self._prior:
            self._ctx.add_variable("prior", prior)
            self._prior = dict(prior)

    def check(self, compiled: CompiledRule) -> Violation | None:
        """None when the rule holds; otherwise the violation (a rule that cannot be
        evaluated is a violation too: the gate never guesses in favour of a call)."""
        rule = compiled.rule
        try:
            value = compiled.program.execute(self._ctx)
        except _EVAL_ERRORS as exc:
            return Violation(
                rule=rule.id,
                message=f"{rule.message} (rule could not be evaluated: {_why(exc)})",
                argument=compiled.argument,
            )
        if value is True:
            return None
        if value is False:
            return compiled.violation()
        return Violation(
            rule=rule.id,
            message=f"{rule.message} (rule gave {type(value).__name__}, not a boolean)",
            argument=compiled.argument,
        )


def _why(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"no value for {exc.args[0]!r}" if exc.args else "a value is missing"
    if isinstance(exc, TypeError):
        return "a value has the wrong type"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
