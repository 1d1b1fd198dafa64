"""Layer 3 — tools: typed tool calls validated against JSON Schema and CEL policy rules
("the AI proposes; the system disposes"), the free-text commitment scan, and gated
execution. See docs/tools.md.

Two parts: a :class:`ToolRegistry` holds what the host registers (specs, handlers,
resolvers, tenant functions) and exports the specs for the agent's SDK; the
:class:`ToolsLayer` validates a draft's calls against it (``layer.registry``)::

    layer = load_tools_layer(config.tools, base, knowledge)   # or ToolsLayer.from_path(...)
    @layer.resolver("order")                                  # = layer.registry.resolver
    def load_order(order_id: str) -> dict | None: ...
    @layer.tool("refund_order")
    def refund(order_id: str, amount_cents: int, reason_code: str) -> dict: ...
"""

from __future__ import annotations

from pathlib import Path

from ..config import ToolsConfig, resolve
from ..knowledge import Knowledge
from ._commitments import find_promises
from ._layer import ToolsLayer
from ._registry import ToolRegistry, load_specs
from ._spec import Accumulator, Commitment, CommitmentKind, Rule, ToolSpec

__all__ = [
    "Accumulator",
    "Commitment",
    "CommitmentKind",
    "Rule",
    "ToolRegistry",
    "ToolSpec",
    "ToolsLayer",
    "find_promises",
    "load_specs",
    "load_tools_layer",
]


def load_tools_layer(config: ToolsConfig, base: Path, knowledge: Knowledge) -> ToolsLayer:
    """The tools layer for ``[tools] schemas`` (no tools when unset). A malformed spec,
    a rule that does not compile, or a rule naming a fact the golden set lacks is a
    ConfigError naming the file (and the rule id)."""
    path = resolve(base, config.schemas)
    if path is None:
        return ToolsLayer.empty()
    layer = ToolsLayer.from_path(path)
    layer.check_policy_keys(knowledge)
    # ``[tools] functions = "functions.py"``: a file defining register(tools); hosts
    # may also register with @guard.tools.function
    functions = resolve(base, config.functions)
    if functions is not None:
        layer.registry.load_functions(Path(functions))
    return layer
