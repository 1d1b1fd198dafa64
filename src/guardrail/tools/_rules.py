"""CEL policy rules and named terms: compiled once at load, evaluated against one call's
variables.

Variables a rule sees: ``args`` (the call's arguments; ``number`` arguments as doubles),
``context`` (the conversation's context, with entities a resolver loaded for this call
laid over it), ``policy`` (the golden-set values in force at ``as_of``), ``now``
(``as_of`` as a timestamp), ``prior`` (the accumulators), ``conversation`` (``id``,
``customer_id``, ``intent``, ``tenant``, ``last_customer_message``), ``draft``
(``calls``, ``tools``) and ``terms`` (the spec's named terms). Functions: the engine's
standard ones, the list/math/string extensions and helpers of :mod:`._celfuncs`, and
the tenant functions the spec declares.

The engine is ``common-expression-language`` (import name ``cel``); docs/tools.md has
the measurement that chose it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import cel

from ..errors import ConfigError
from ..models import Violation
from . import _celast
from ._celfuncs import ARITY, EXTENSIONS, MACROS, STANDARD, days_since_fn, last_failure, parse_date
from ._fastcel import FastNode, FastRule, compile_fast_expr, compile_fast_rule
from ._spec import Rule

__all__ = [
    "VARIABLES",
    "CompiledRule",
    "CompiledTerm",
    "LoadEnv",
    "RuleEnv",
    "compile_rule",
    "compile_term",
    "days_since_fn",
    "parse_date",
]

VARIABLES = frozenset(
    {"args", "context", "policy", "now", "prior", "conversation", "draft", "terms"}
)
HELPERS = frozenset({"days_since", "date"})
#: every function name a rule may call without declaring it
BUILTIN = STANDARD | frozenset(EXTENSIONS) | HELPERS
#: engine functions that exist only as methods (``s.matches(re)``, not ``matches(s, re)``)
_METHOD_ONLY = frozenset(
    {"contains", "startsWith", "endsWith", "matches", "hasValue", "orValue", "value", "or"}
    | {n for n in STANDARD if n.startswith("get")}
)
#: type denotations (``type(x) == int``)
_TYPE_NAMES = frozenset({"int", "uint", "double", "string", "bytes", "bool", "list", "map"})
_MACRO_VAR = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")
_ARG_REF = re.compile(r"\bargs\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")
_TERM_REF = re.compile(r"\bterms\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")
_CONTEXT_KEY = re.compile(r"\bcontext\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")
_CONTEXT = re.compile(r"\bcontext\b")
_POLICY_KEY = re.compile(r"\bpolicy\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")
_EVAL_ERRORS = (KeyError, TypeError, ValueError, RuntimeError, ArithmeticError, IndexError)


@dataclass(frozen=True)
class LoadEnv:
    """What a spec offers its rules at load: argument types, terms, tenant functions."""

    source: str
    arg_types: Mapping[str, str]
    term_types: Mapping[str, str | None]
    functions: frozenset[str]


@dataclass(frozen=True)
class _Compiled:
    program: Any
    variables: frozenset[str]
    policy_keys: frozenset[str]
    terms: frozenset[str]
    functions: frozenset[str]
    type: str | None
    tree: _celast.Node | None
    context_keys: frozenset[str] | None


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
    #: the named terms it reads, and the functions it calls
    terms: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    #: the top-level context keys it reads (None: all of them)
    context_keys: frozenset[str] | None = frozenset()

    def violation(self) -> Violation:
        """The violation of a rule that evaluated to ``false`` (one frozen instance per
        rule, built on first use and shared by every check)."""
        found: Violation | None = self.__dict__.get("_violation")
        if found is None:
            found = Violation(rule=self.rule.id, message=self.rule.message, argument=self.argument)
            object.__setattr__(self, "_violation", found)
        return found


@dataclass(frozen=True)
class CompiledTerm:
    name: str
    source: str
    program: Any
    variables: frozenset[str]
    policy_keys: frozenset[str]
    functions: frozenset[str]
    fast: FastNode | None
    type: str | None
    #: the earlier terms it reads
    reads: frozenset[str] = frozenset()
    context_keys: frozenset[str] | None = frozenset()


def _compile(text: str, where: str, env: LoadEnv, *, is_term: bool = False) -> _Compiled:
    try:
        program = cel.compile(text)
    except (ValueError, RuntimeError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{where} does not compile: {first}") from None
    refs = program.references()
    tree = _celast.parse(text)
    bound = set(_MACRO_VAR.findall(text))
    called: set[str] = set()
    if tree is not None:
        for node in _celast.walk(tree):
            if node.kind != "call" or node.value in MACROS:
                continue
            name, method = node.value, node.method
            low, high = ARITY.get(name, (0, 99))
            if not low <= len(node.children) <= high:
                raise ConfigError(f"{where}: {name}() {_usage(name)}")
            if name not in BUILTIN and name not in env.functions:
                raise ConfigError(f"{where}: unknown function {name!r}{_hint(name, env)}")
            if name in _METHOD_ONLY and not method:
                raise ConfigError(f"{where}: {name}() is a method: write x.{name}(…)")
            called.add(name)
        if any("." in name for name in called):
            bound |= {name.split(".")[0] for name in called if "." in name}
    else:  # syntax this parser does not follow: check the engine's own references
        bare = {n.rsplit(".", 1)[-1] for n in BUILTIN | env.functions} | MACROS
        for name in refs["functions"]:
            if name[:1].isalpha() and name not in bare:
                raise ConfigError(f"{where}: unknown function {name!r}{_hint(name, env)}")
            if name in env.functions or name in EXTENSIONS or name in HELPERS:
                called.add(name)
        called |= {n for n in EXTENSIONS if "." in n and n.split(".")[1] in refs["functions"]}
        bound |= {"math", "optional"}
    unknown_vars = sorted(set(refs["variables"]) - VARIABLES - bound - _TYPE_NAMES)
    if unknown_vars:
        raise ConfigError(
            f"{where}: unknown variable {unknown_vars[0]!r} "
            f"(rules see {', '.join(sorted(VARIABLES))})"
        )
    used = frozenset(refs["variables"]) & VARIABLES
    keys = frozenset(m.group(1) or m.group(2) for m in _POLICY_KEY.finditer(text))
    if "policy" in used and not keys:
        raise ConfigError(f"{where}: name policy keys literally (policy.key or policy['key'])")
    terms = frozenset(m.group(1) or m.group(2) for m in _TERM_REF.finditer(text))
    if "terms" in used and not terms:
        raise ConfigError(f"{where}: name terms literally (terms.name)")
    for term in sorted(terms):
        if term not in env.term_types:
            what = "an earlier term" if is_term else "a term of this spec"
            raise ConfigError(f"{where}: {term!r} is not {what} (spec 'terms')")
    static: str | None = None
    if tree is not None:
        problem = _celast.arithmetic_mismatch(tree, text, _typeof(env))
        if problem is not None:
            raise ConfigError(f"{where}: {problem}")
        static = _celast.static_type(tree, _typeof(env))
    return _Compiled(
        program, used, keys, terms, frozenset(called), static, tree, _context_keys(text)
    )


def _context_keys(text: str) -> frozenset[str] | None:
    """The top-level ``context`` keys an expression names (``context.order``); None when
    it reads ``context`` some other way (then all of it is bound)."""
    found = [m.group(1) or m.group(2) for m in _CONTEXT_KEY.finditer(text)]
    if len(found) != len(_CONTEXT.findall(text)):
        return None
    return frozenset(found)


def _usage(name: str) -> str:
    if name in ("sum", "min", "max"):
        return f"takes a list: write list.{name}() (or math.greatest/math.least(a, b, …))"
    low, high = ARITY[name]
    count = f"{low}" if low == high else f"{low} to {high}"
    return f"takes {count} argument(s), counting the value it is called on"


def _hint(name: str, env: LoadEnv) -> str:
    if name in ("greatest", "least", "abs", "ceil", "floor", "round"):
        return f" (write math.{name}(…))"
    return " (a tenant function must be declared in the spec's 'functions' list)"


def _typeof(env: LoadEnv) -> Callable[[_celast.Node], str | None]:
    def typeof(node: _celast.Node) -> str | None:
        if node.kind != "select" or node.children[0].kind != "ident":
            return None
        root = node.children[0].value
        if root == "args":
            return env.arg_types.get(node.value)
        if root == "terms":
            return env.term_types.get(node.value)
        if root == "prior" or (root == "draft" and node.value == "calls"):
            return "int"
        return None

    return typeof


def compile_rule(rule: Rule, *, source: str, env: LoadEnv | None = None) -> CompiledRule:
    """Compile one rule; a syntax error, an unknown variable or function, or arithmetic
    mixing an int and a double is a ConfigError naming ``source`` and the rule id."""
    env = env or LoadEnv(source, {}, {}, frozenset())
    where = f"{source}: policy rule {rule.id!r}"
    c = _compile(rule.rule, where, env)
    argument = rule.argument
    if argument is None:
        found = _ARG_REF.search(rule.rule)
        argument = (found.group(1) or found.group(2)) if found else None
    return CompiledRule(
        rule,
        c.program,
        argument,
        c.variables,
        c.policy_keys,
        compile_fast_rule(rule.rule),
        c.terms,
        c.functions,
        c.context_keys,
    )


def compile_term(name: str, text: str, *, source: str, env: LoadEnv) -> CompiledTerm:
    """Compile one named term (it may read the terms declared before it)."""
    c = _compile(text, f"{source}: term {name!r}", env, is_term=True)
    fast = compile_fast_expr(text)
    return CompiledTerm(
        name,
        text,
        c.program,
        c.variables,
        c.policy_keys,
        c.functions,
        fast,
        c.type,
        c.terms,
        c.context_keys,
    )


class RuleEnv:
    """The CEL variables for one check. Converting a value into CEL costs microseconds
    per key, so each variable is bound only when a rule needs it, ``policy`` holds only
    the keys rules name, ``context`` is re-bound only when a resolver changes it, and
    a function is registered only when a rule calling it reaches the engine."""

    def __init__(
        self,
        *,
        now: datetime,
        context: Mapping[str, Any],
        policy: Mapping[str, Any],
        conversation: Mapping[str, Any],
        draft: Mapping[str, Any],
        functions: Mapping[str, Callable[..., Any]],
    ) -> None:
        self._ctx = cel.Context(
            {"now": now}, functions={"days_since": days_since_fn(now), "date": parse_date}
        )
        self._lazy: dict[str, Mapping[str, Any]] = {
            "policy": policy,
            "conversation": conversation,
            "draft": draft,
        }
        self._functions = functions
        self._registered: set[str] = set(HELPERS)
        self._base_context = context
        self._context_key: object = None
        self._bound_keys: frozenset[str] | None = frozenset()
        self._overlay: Mapping[str, Any] = {}
        self._prior: object = None
        self._terms: object = None

    def bind(
        self,
        needs: frozenset[str],
        args: Mapping[str, Any],
        prior: Mapping[str, int],
        overlay: Mapping[str, Any],
        *,
        functions: frozenset[str] = frozenset(),
    ) -> None:
        """Make the variables ``needs`` names current for the next call's rules."""
        for name in needs & self._lazy.keys():
            self._ctx.add_variable(name, self._lazy.pop(name))
        for name in functions - self._registered:
            fn = EXTENSIONS.get(name) or self._functions.get(name)
            if fn is not None:
                self._ctx.add_function(name, fn)
                self._registered.add(name)
        self._overlay = overlay
        if "args" in needs:
            self._ctx.add_variable("args", args)
        if "prior" in needs and prior != self._prior:
            self._ctx.add_variable("prior", prior)
            self._prior = dict(prior)

    def need_context(self, keys: frozenset[str] | None) -> None:
        """Bind ``context`` holding at least ``keys`` (None: all of it). Converting a
        large context costs microseconds per value, so only the top-level keys the
        expressions reaching the engine name are converted, once per check (again only
        when a resolver's overlay changes or a later expression names more keys)."""
        overlay = self._overlay
        marker = tuple((k, id(v)) for k, v in overlay.items())
        if marker == self._context_key and (
            self._bound_keys is None or (keys is not None and keys <= self._bound_keys)
        ):
            return
        if marker != self._context_key:
            self._bound_keys = frozenset()
        full = {**self._base_context, **overlay} if overlay else self._base_context
        wanted = None if keys is None or self._bound_keys is None else keys | self._bound_keys
        value = full if wanted is None else {k: full[k] for k in wanted if k in full}
        self._ctx.add_variable("context", value)
        self._context_key = marker
        self._bound_keys = wanted

    def set_terms(self, terms: Mapping[str, Any]) -> None:
        """Bind ``terms`` (the values computed so far for this call)."""
        if terms is not self._terms:
            self._ctx.add_variable("terms", terms)
            self._terms = terms

    def value(self, program: Any) -> Any:
        """Evaluate a program (a term) in the bound variables; raises on failure."""
        return program.execute(self._ctx)

    def check(self, compiled: CompiledRule, failed_terms: Mapping[str, str]) -> Violation | None:
        """None when the rule holds; otherwise the violation (a rule that cannot be
        evaluated is a violation too: the gate never guesses in favour of a call)."""
        rule = compiled.rule
        try:
            value = compiled.program.execute(self._ctx)
        except _EVAL_ERRORS as exc:
            why = why_unevaluable(exc)
            broken = [t for t in sorted(compiled.terms) if t in failed_terms]
            if broken:
                why = f"term {broken[0]!r} could not be evaluated: {failed_terms[broken[0]]}"
            return Violation(
                rule=rule.id,
                message=f"{rule.message} (rule could not be evaluated: {why})",
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


def why_unevaluable(exc: BaseException) -> str:
    """A short reason for an engine error (no customer data: messages name keys/types)."""
    text = str(exc)
    if "Function '" in text and ("Unevaluable" in text or "Failed to convert" in text):
        failure = last_failure()
        if failure is not None:
            return failure
    if isinstance(exc, KeyError):
        return f"no value for {exc.args[0]!r}" if exc.args else "a value is missing"
    if isinstance(exc, TypeError):
        return "a value has the wrong type"
    text = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return text[:160]
