"""The one protocol every layer speaks.

A layer gets a :class:`CheckContext` (the inputs, the tenant's knowledge, and what the
layers before it decided) and returns a :class:`LayerResult`. Layers never decide the
action — the router does — and never need to catch their own errors: the pipeline's one
fail-closed boundary turns any exception into a ``LAYER_ERROR`` finding that names the
layer, which escalates.

Order (see ``pipeline.py``): tools first (the others need its verdicts), then the QA
review is started concurrently while grounding and the routing triggers run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from .knowledge import Knowledge
from .models import Conversation, Draft, Finding, LayerName, Review, ToolCallResult

__all__ = ["CheckContext", "Layer", "LayerResult"]


@dataclass
class CheckContext:
    """What a layer may read. ``tool_results`` and ``findings`` are filled in by the
    pipeline as layers finish; layers treat the context as read-only."""

    conversation: Conversation
    draft: Draft
    knowledge: Knowledge
    audit_id: str
    tool_results: list[ToolCallResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: structured data layers pulled in (e.g. the order a resolver loaded), for the handoff
    pulled: dict[str, Any] = field(default_factory=dict)
    #: True when this pass re-checks a rewrite rather than the agent's own draft
    recheck: bool = False

    @property
    def as_of(self) -> datetime:
        return self.conversation.as_of

    @property
    def allowed_calls(self) -> list[ToolCallResult]:
        return [r for r in self.tool_results if r.allowed]


@dataclass(frozen=True)
class LayerResult:
    """What a layer found. ``tool_calls`` is set only by the tools layer, ``review`` only
    by the review layer; ``pulled`` is merged into :attr:`CheckContext.pulled`."""

    findings: tuple[Finding, ...] = ()
    tool_calls: tuple[ToolCallResult, ...] | None = None
    review: Review | None = None
    pulled: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class Layer(Protocol):
    """One layer of the gate. Deterministic layers simply never await."""

    @property
    def name(self) -> LayerName: ...

    async def run(self, ctx: CheckContext) -> LayerResult: ...
