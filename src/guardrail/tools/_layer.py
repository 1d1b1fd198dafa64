"""``ToolsLayer``: layer 3 of the gate. Validates the draft's tool calls against the
specs in its :class:`~guardrail.tools._registry.ToolRegistry` and runs the commitment
scan. It executes nothing: allowed calls with a registered handler are run write-ahead
by ``guardrail._execution`` (docs/reliability.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .._sync import run_sync
from ..knowledge import Knowledge
from ..layers import CheckContext, LayerResult
from ..models import Conversation, LayerName, ToolCall, ToolCallResult
from ._commitments import Backing, backing_of, scan
from ._gate import Verdicts, validate_calls
from ._registry import ToolRegistry
from ._spec import ToolSpec

__all__ = ["ToolsLayer"]

H = TypeVar("H", bound=Callable[..., Any])


class ToolsLayer:
    """The layer that gates tool calls. What it gates against — specs, resolvers, tenant
    functions — and the handlers the executor runs live in :attr:`registry`; the
    registering methods below are that registry's, kept here so ``guard.tools.tool(…)``
    reads naturally."""

    name = LayerName.tools

    def __init__(
        self, specs: Iterable[ToolSpec] = (), *, registry: ToolRegistry | None = None
    ) -> None:
        self.registry = registry if registry is not None else ToolRegistry()
        for spec in specs:
            self.registry.add(spec)

    @classmethod
    def empty(cls) -> ToolsLayer:
        """A layer with no tools: every proposed call is ``UNKNOWN_TOOL``."""
        return cls()

    @classmethod
    def from_path(cls, path: str | Path) -> ToolsLayer:
        """Load ``path`` (a folder of ``*.json`` specs, or one spec file)."""
        return cls(registry=ToolRegistry.from_path(path))

    # -- the registry's methods ---------------------------------------------------------

    def add(self, spec: ToolSpec, *, source: str | None = None) -> None:
        """Register a spec (compiling its rules); a second spec of one name is an error."""
        self.registry.add(spec, source=source)

    @property
    def specs(self) -> Mapping[str, ToolSpec]:
        return self.registry.specs

    @property
    def has_handlers(self) -> bool:
        return self.registry.has_handlers

    @property
    def missing_functions(self) -> list[str]:
        """Functions the specs declare that no ``@function`` registered."""
        return self.registry.missing_functions

    def anthropic_tools(self) -> list[dict[str, Any]]:
        """The specs as an Anthropic Messages API ``tools`` list."""
        return self.registry.anthropic_tools()

    def openai_tools(self) -> list[dict[str, Any]]:
        """The specs as an OpenAI Chat Completions ``tools`` list."""
        return self.registry.openai_tools()

    def tool(self, name: str) -> Callable[[H], H]:
        """Register the handler for ``name`` (:meth:`ToolRegistry.tool`)."""
        return self.registry.tool(name)

    def resolver(self, entity: str) -> Callable[[H], H]:
        """Register the loader for ``context.<entity>`` (:meth:`ToolRegistry.resolver`)."""
        return self.registry.resolver(entity)

    def function(self, name: str) -> Callable[[H], H]:
        """Register a tenant function rules call (:meth:`ToolRegistry.function`)."""
        return self.registry.function(name)

    def check_policy_keys(self, knowledge: Knowledge) -> None:
        """A rule naming a ``policy.<key>`` the golden set lacks is a ConfigError."""
        self.registry.check_policy_keys(knowledge)

    # -- the layer ----------------------------------------------------------------------

    async def run(self, ctx: CheckContext) -> LayerResult:
        calls = ctx.draft.tool_calls
        if calls:
            verdicts = await self._validate(calls, ctx.conversation, ctx.knowledge)
        else:  # what validating no calls gives, without the two coroutines
            verdicts = Verdicts()
        results = verdicts.results
        promises = scan(ctx.analysis, *self._commitments(results))
        return LayerResult(
            findings=(*verdicts.findings, *promises),
            tool_calls=tuple(results),
            pulled=verdicts.pulled,
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
        return run_sync(self.avalidate(calls, conversation=conversation, knowledge=knowledge))

    # -- internals ----------------------------------------------------------------------

    async def _validate(
        self, calls: Sequence[ToolCall], conversation: Conversation, knowledge: Knowledge
    ) -> Verdicts:
        registry = self.registry
        return await validate_calls(
            registry.compiled,
            calls,
            conversation=conversation,
            knowledge=knowledge,
            resolvers=registry.resolvers,
            functions=registry.functions,
        )

    def _commitments(self, results: Iterable[ToolCallResult]) -> tuple[list[Backing], list[str]]:
        """What the allowed calls back, and the allowed calls that back nothing (their
        spec declares no ``commitment``: the finding names them and the fix), in the
        calls' order; one pass over the results for both."""
        backings: list[Backing] = []
        uncommitted: list[str] = []
        compiled = self.registry.compiled
        for r in results:
            tool = compiled.get(r.name) if r.allowed else None
            if tool is None:
                continue
            c = tool.spec.commitment
            if c is None:
                uncommitted.append(r.name)
                continue
            backing = backing_of(c.kind, c.amount, r.arguments)
            if backing is not None:
                backings.append(backing)
        return backings, uncommitted
