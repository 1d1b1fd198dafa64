"""``ToolRegistry``: what the host registers about its tools, apart from the layer that
gates calls to them.

* **specs**, compiled once (``add``, ``from_path``) — the schema and CEL rules;
* **handlers** (``@tool``) that execute allowed calls (run by ``guardrail._execution``);
* **resolvers** (``@resolver``) that load ``context.<entity>`` for the rules;
* **tenant functions** (``@function``, or ``[tools] functions = "functions.py"``);
* **exporters**: the specs as an Anthropic or OpenAI ``tools`` list.

The registry decides nothing: :class:`~guardrail.tools.ToolsLayer` reads it to validate.
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ..errors import ConfigError, UserError
from ..knowledge import Knowledge
from ._functions import typed_function
from ._gate import CompiledTool, Resolver
from ._spec import ToolSpec

__all__ = ["Handler", "ToolRegistry", "load_specs"]

H = TypeVar("H", bound=Callable[..., Any])


class Handler(NamedTuple):
    """A registered handler: the function, and whether it takes ``conversation=``."""

    fn: Callable[..., Any]
    wants_conversation: bool


class ToolRegistry:
    """Tool specs plus the host's handlers, resolvers and tenant functions."""

    def __init__(self, specs: Iterable[ToolSpec] = ()) -> None:
        self._tools: dict[str, CompiledTool] = {}
        self._handlers: dict[str, Handler] = {}
        self._resolvers: dict[str, Resolver] = {}
        self._functions: dict[str, Callable[..., Any]] = {}
        for spec in specs:
            self.add(spec)

    @classmethod
    def from_path(cls, path: str | Path) -> ToolRegistry:
        """Load ``path`` (a folder of ``*.json`` specs, or one spec file)."""
        registry = cls()
        for spec, source in load_specs(path):
            registry.add(spec, source=source)
        return registry

    def add(self, spec: ToolSpec, *, source: str | None = None) -> None:
        """Register a spec (compiling its rules); a second spec of one name is an error."""
        where = source or f"<tool {spec.name}>"
        if spec.name in self._tools:
            raise ConfigError(f"{where}: a tool named {spec.name!r} is already registered")
        self._tools[spec.name] = CompiledTool.build(spec, source=where)

    # -- what the layer and the executor read -------------------------------------------

    @property
    def compiled(self) -> Mapping[str, CompiledTool]:
        """Each tool's compiled spec, by name."""
        return self._tools

    @property
    def specs(self) -> Mapping[str, ToolSpec]:
        return {name: tool.spec for name, tool in self._tools.items()}

    @property
    def handlers(self) -> Mapping[str, Handler]:
        return self._handlers

    @property
    def resolvers(self) -> Mapping[str, Resolver]:
        return self._resolvers

    @property
    def functions(self) -> Mapping[str, Callable[..., Any]]:
        """The registered tenant functions, wrapped to check their declared types."""
        return self._functions

    @property
    def has_handlers(self) -> bool:
        return bool(self._handlers)

    @property
    def missing_functions(self) -> list[str]:
        """Functions the specs declare that no ``@function`` registered (their tools'
        rules cannot be evaluated, so those calls are blocked)."""
        declared = {f for t in self._tools.values() for f in t.spec.functions}
        return sorted(declared - self._functions.keys())

    # -- exporters ----------------------------------------------------------------------

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
            wants = "conversation" in inspect.signature(fn).parameters
            if wants and "conversation" in self._tools[name].spec.properties:
                raise UserError(f"{name}: an argument is called 'conversation'; rename it")
            self._handlers[name] = Handler(fn, wants)
            return fn

        return register

    def resolver(self, entity: str) -> Callable[[H], H]:
        """Register the loader for ``entity`` (e.g. ``"order"``): ``fn(entity_id) ->
        mapping | None``, sync or async. Specs bind an entity to the argument holding its
        id (``"context": {"order": "order_id"}``); the loaded entity replaces
        ``context.<entity>`` for that call's rules. Called at most once per id per check."""
        if not any(entity in t.spec.context for t in self._tools.values()):
            raise UserError(f"no tool spec binds the entity {entity!r} in its 'context'")

        def register(fn: H) -> H:
            self._resolvers[entity] = fn
            return fn

        return register

    def function(self, name: str) -> Callable[[H], H]:
        """Register a pure function rules call as ``name(…)`` (specs declare it in
        ``"functions"``). Its parameter and return annotations (``int``, ``float``,
        ``str``, ``bool``, ``list``, ``dict``) are its declared types, checked on every
        call; an exception or a wrong type makes the calling rule unevaluable, which blocks
        the call."""
        if not any(name in t.spec.functions for t in self._tools.values()):
            raise UserError(f"no tool spec declares the function {name!r} in its 'functions'")

        def register(fn: H) -> H:
            self._functions[name] = typed_function(name, fn)
            return fn

        return register

    def load_functions(self, path: Path) -> None:
        """Run ``register(tools)`` from a tenant's functions file (``[tools] functions``),
        passing this registry (``tools.function(name)(fn)`` registers one)."""
        spec = importlib.util.spec_from_file_location(f"guardrail_functions_{path.stem}", path)
        if spec is None or spec.loader is None or not path.is_file():
            raise ConfigError(f"{path}: functions file not found")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        register = getattr(module, "register", None)
        if not callable(register):
            raise ConfigError(f"{path}: defines no register(tools) function")
        register(self)

    # -- start-up checks ----------------------------------------------------------------

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
