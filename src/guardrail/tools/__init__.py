"""Layer 3 — tools: typed tool calls validated against JSON Schema and CEL policy rules,
the free-text commitment scan, and gated execution. (Interim: only UNKNOWN_TOOL.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..knowledge import Knowledge
from ..layers import CheckContext, LayerResult
from ..models import Code, Finding, LayerName, ToolCallResult, Violation

if TYPE_CHECKING:
    from ..config import ToolsConfig

__all__ = ["ToolsLayer", "load_tools_layer"]

Handler = Callable[..., Any | Awaitable[Any]]


class ToolsLayer:
    name = LayerName.tools

    def __init__(self, specs: dict[str, Any] | None = None) -> None:
        self.specs = dict(specs or {})
        self.handlers: dict[str, Handler] = {}

    @classmethod
    def empty(cls) -> ToolsLayer:
        return cls()

    @property
    def has_handlers(self) -> bool:
        return bool(self.handlers)

    async def run(self, ctx: CheckContext) -> LayerResult:
        results: list[ToolCallResult] = []
        findings: list[Finding] = []
        for call in ctx.draft.tool_calls:
            if call.name not in self.specs:
                v = Violation(rule="unknown-tool", message=f"no tool named {call.name!r}")
                results.append(ToolCallResult.block(call, [v]))
                findings.append(
                    Finding.of(LayerName.tools, Code.UNKNOWN_TOOL, v.message, tool=call.name)
                )
                continue
            raise NotImplementedError("tool validation is not built yet")
        return LayerResult(findings=tuple(findings), tool_calls=tuple(results))

    async def execute(
        self, ctx: CheckContext, results: list[ToolCallResult]
    ) -> tuple[list[ToolCallResult], list[Finding]]:
        raise NotImplementedError("gated execution is not built yet")


def load_tools_layer(config: ToolsConfig, base: Path, knowledge: Knowledge) -> ToolsLayer:
    """The tools layer for ``[tools] schemas`` (an empty registry when unset)."""
    return ToolsLayer.empty()
