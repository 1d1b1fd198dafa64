"""``ToolsLayer``: layer 3 of the gate. Validates the draft's tool calls, runs the
commitment scan, and (when the host registers handlers) executes the allowed calls."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from .._log import get_logger
from ..errors import ConfigError, UserError
from ..knowledge import Knowledge
from ..layers import CheckContext, LayerResult
from ..models import Conversation, LayerName, ToolCall, ToolCallResult
from ._commitments import Backing, backing_of, scan
from ._functions import typed_function
from ._gate import CompiledTool, Resolver, Verdicts, validate_calls
from ._spec import ToolSpec

__all__ = ["ToolsLayer", "load_specs"]

log = get_logger("guardrail.tools")
H = TypeVar("H", bound=Callable[..., Any])
R = TypeVar("R", bound=Callable[..., Any])
F = TypeVar("F", bound=Callable[..., Any])


class ToolsLayer:
    """The tool registry and the layer that gates calls to it. Allowed calls are
    executed write-ahead by ``guardrail._execution`` (docs/reliability.md)."""

    name = LayerName.tools

    def __init__(self, specs: Iterable[ToolSpec] = ()) -> None:
        self._tools: dict[str, CompiledTool] = {}
        self._handlers: dict[str, tuple[Callable[..., Any], bool]] = {}
        self._resolvers: dict[str, Resolver] = {}
        self._functions: dict[str, Callable[..., Any]] = {}
        for spec in specs:
            self.add(spec)

    @classmethod
    def empty(cls) -> ToolsLayer:
        """A layer with no tools: every proposed call is ``UNKNOWN_TOOL``."""
        return cls()

    @classmethod
    def from_path(cls, path: str | Path) -> ToolsLayer:
        """Load ``path`` (a folder of ``*.json`` specs, or one spec file)."""
        layer = cls()
        for spec, source in load_specs(path):
            layer.add(spec, source=source)
        return layer

    def add(self, spec: ToolSpec, *, source: str | None = None) -> None:
        """Register a spec (compiling its rules); a second spec of one name is an error."""
        where = source or f"<tool {spec.name}>"
        if spec.name in self._tools:
            raise ConfigError(f"{where}: a tool named {spec.name!r} is already registered")
        self._tools[spec.name] = CompiledTool.build(spec, source=where)

    # -- registry views -----------------------------------------------------------------

    @property
    def specs(self) -> Mapping[str, ToolSpec]:
        return {name: tool.spec for name, tool in self._tools.items()}

    @property
    def has_handlers(self) -> bool:
        return bool(self._handlers)

    def anthropic_tools(self) -> list[dict[str, Any]]:
        """The specs as an Anthropic Messages API ``tools`` list."""
        return [
            {"name": s.name, "description": s.description, "input_schema": s.parameters}
            for s in self.specs.values()
        ]

    def openai_tools(self) -> list[dict[str, Any]]:
        """The specs as an OpenAI Chat Completions ``tools`` list."""
        return [
            {
                "type": "function",
                "function": {
                    "name": s.name,
                    "description": s.description,
                    "parameters": s.parameters,
                },
            }
            for s in self.specs.values()
        ]

    # -- host hooks ---------------------------------------------------------------------

    def tool(self, name: str) -> Callable[[H], H]:
        """Register the handler (sync or async) that executes allowed calls of ``name``.
        It is called with the call's arguments as keywords, plus ``conversation=`` if it
        declares a parameter of that name."""
        if name not in self._tools:
            raise UserError(f"no tool spec named {name!r}; load its schema first")

        def register(fn: H) -> H:
            params = inspect.signature(fn).parameters
            wants = "conversation" in params
            if wants and "conversation" in self._tools[name].spec.properties:
                raise UserError(f"{name}: an argument is called 'conversation'; rename it")
            self._handlers[name] = (fn, wants)
            return fn

        return register

    def resolver(self, entity: str) -> Callable[[R], R]:
        """Register the loader for ``entity`` (e.g. ``"order"``): ``fn(entity_id) ->
        mapping | None``, sync or async. Specs bind an entity to the argument holding its
        id (``"context": {"order": "order_id"}``); the loaded entity replaces
        ``context.<entity>`` for that call's rules. Called at most once per id per check."""
        if not any(entity in t.spec.context for t in self._tools.values()):
            raise UserError(f"no tool spec binds the entity {entity!r} in its 'context'")

        def register(fn: R) -> R:
            self._resolvers[entity] = fn
            return fn

        return register

    def function(self, name: str) -> Callable[[F], F]:
        """Register a pure function rules call as ``name(…)`` (specs declare it in
        ``"functions"``). Its parameter and return annotations (``int``, ``float``,
        ``str``, ``bool``, ``list``, ``dict``) are its declared types, checked on every
        call; an exception or a wrong type makes the calling rule unevaluable, which blocks
        the call."""
        if not any(name in t.spec.functions for t in self._tools.values()):
            raise UserError(f"no tool spec declares the function {name!r} in its 'functions'")

        def register(fn: F) -> F:
            self._functions[name] = typed_function(name, fn)
            return fn

        return register

    @property
    def missing_functions(self) -> list[str]:
        """Functions the specs declare that no ``@function`` registered (their tools'
        rules cannot be evaluated, so those calls are blocked)."""
        declared = {f for t in self._tools.values() for f in t.spec.functions}
        return sorted(declared - self._functions.keys())

    # -- the layer ----------------------------------------------------------------------

    async def run(self, ctx: CheckContext) -> LayerResult:
        verdicts = await self._validate(ctx.draft.tool_calls, ctx.conversation, ctx.knowledge)
        results = verdicts.results
        uncommitted = [  # allowed calls that back nothing: the finding names them and the fix
            r.name
            for r in results
            if r.allowed and r.name in self._tools and self._tools[r.name].spec.commitment is None
        ]
        promises = scan(ctx.draft.text, self._backings(results), uncommitted)
        findings = [*verdicts.findings, *promises]
        return LayerResult(
            findings=tuple(findings), tool_calls=tuple(verdicts.results), pulled=verdicts.pulled
        )

    async def avalidate(
        self,
        calls: Sequence[ToolCall | Mapping[str, Any]],
        *,
        conversation: Conversation,
        knowledge: Knowledge | None = None,
    ) -> list[ToolCallResult]:
        """The verdict on each call, in order, without a draft (e.g. to gate a call the
        host is about to make, or in tests)."""
        parsed = [c if isinstance(c, ToolCall) else ToolCall.model_validate(c) for c in calls]
        verdicts = await self._validate(parsed, conversation, knowledge or Knowledge())
        return verdicts.results

    def validate(
        self,
        calls: Sequence[ToolCall | Mapping[str, Any]],
        *,
        conversation: Conversation,
        knowledge: Knowledge | None = None,
    ) -> list[ToolCallResult]:
        """:meth:`avalidate`, synchronously (safe inside a running event loop)."""
        coro = self.avalidate(calls, conversation=conversation, knowledge=knowledge)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coro)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, coro).result()

    # -- internals ----------------------------------------------------------------------

    async def _validate(
        self, calls: Sequence[ToolCall], conversation: Conversation, knowledge: Knowledge
    ) -> Verdicts:
        return await validate_calls(
            self._tools,
            calls,
            conversation=conversation,
            knowledge=knowledge,
            resolvers=self._resolvers,
            functions=self._functions,
        )

    def _backings(self, results: Iterable[ToolCallResult]) -> list[Backing]:
        out = []
        for r in results:
            tool = self._tools.get(r.name)
            if not r.allowed or tool is None or tool.spec.commitment is None:
                continue
            c = tool.spec.commitment
            backing = backing_of(c.kind, c.amount, r.arguments)
            if backing is not None:
                out.append(backing)
        return out

    def check_policy_keys(self, knowledge: Knowledge) -> None:
        """A rule naming a ``policy.<key>`` the golden set never defines is a config error
        (it could never pass). Skipped when the golden set is empty."""
        keys = set(knowledge.golden.keys())
        if not keys:
            return
        for tool in self._tools.values():
            for rule in tool.rules:
                for key in sorted(rule.policy_keys):
                    if key not in keys:
                        raise ConfigError(
                            f"{tool.source}: policy rule {rule.rule.id!r}: the golden set has no "
                            f"fact {key!r}"
                        )


def load_specs(path: str | Path) -> list[tuple[ToolSpec, str]]:
    """The specs in a folder of ``*.json`` files (sorted by name), or in one file."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.json"))
    elif path.exists():
        files = [path]
    else:
        raise ConfigError(f"{path}: tool schemas not found")
    return [(ToolSpec.from_file(f), str(f)) for f in files]
