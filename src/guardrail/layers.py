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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter
from typing import Any, Protocol, runtime_checkable

from ._log import get_logger
from .knowledge import Knowledge
from .models import Code, Conversation, Draft, Finding, LayerName, Review, ToolCallResult
from .text import Analysis

__all__ = [
    "CheckContext",
    "Layer",
    "LayerResult",
    "as_layer_name",
    "boundary",
    "layer_error",
    "layer_key",
    "run_layers",
]

log = get_logger("guardrail.pipeline")


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
    _analysis: Analysis | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def analysis(self) -> Analysis:
        """The draft's text read once for this check: grounding, the commitment scan and
        the routing triggers share its sentences, claims and normalised forms. Computed on
        first use, for the current draft; it lives and dies with this context."""
        found = self._analysis
        if found is None or found.text is not self.draft.text or found.as_of != self.as_of:
            found = self._analysis = Analysis(self.draft.text, self.as_of)
        return found

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


# -- the one fail-closed boundary -------------------------------------------------------


async def boundary(layer: Layer, ctx: CheckContext) -> LayerResult:
    """Run a layer; any exception (from its ``name`` too) becomes a critical LAYER_ERROR
    finding naming it."""
    try:
        _ = layer.name  # a layer that cannot say its name is broken: fail closed
        result = await layer.run(ctx)
        if not isinstance(result, LayerResult):
            raise TypeError(f"layer returned {type(result).__name__}, not LayerResult")
        return result
    except Exception as exc:
        return _failed(layer, ctx, exc)


async def run_layers(layers: Sequence[Layer], ctx: CheckContext, lat: dict[str, float]) -> None:
    """Run ``layers`` in order, each inside the fail-closed :func:`boundary`, merging each
    result into ``ctx`` and adding the layer's milliseconds to ``lat[layer_key(layer)]``."""
    for layer in layers:
        t0 = perf_counter()
        result = await boundary(layer, ctx)
        key = layer_key(layer)
        lat[key] = lat.get(key, 0.0) + (perf_counter() - t0) * 1000.0
        ctx.findings.extend(result.findings)
        ctx.pulled.update(result.pulled)
        if result.tool_calls is not None:
            ctx.tool_results = list(result.tool_calls)


def _failed(layer: Layer, ctx: CheckContext, exc: Exception) -> LayerResult:
    """The boundary's answer to a layer that raised: one LAYER_ERROR finding naming it."""
    key = layer_key(layer)
    log.error(
        "layer_failed",
        layer=key,
        audit_id=ctx.audit_id,
        conversation_id=ctx.conversation.id,
        error=type(exc).__name__,
    )
    named = as_layer_name(key)
    what = f"{key} layer" if named.value == key else f"{key} layer (a custom {named} layer)"
    return LayerResult(findings=(layer_error(named, exc, what),))


def layer_key(layer: object) -> str:
    """The layer's name as text, whatever the layer's ``name`` is (or if it raises)."""
    try:
        name = layer.name  # type: ignore[attr-defined]
        key = name.value if isinstance(name, LayerName) else str(name)
    except Exception:
        return type(layer).__name__
    return key[:60] or type(layer).__name__


def as_layer_name(key: str) -> LayerName:
    """A built-in layer name for findings; a custom layer's findings count as routing."""
    try:
        return LayerName(key)
    except ValueError:
        return LayerName.routing


def layer_error(layer: LayerName, exc: BaseException, what: str) -> Finding:
    return Finding.of(
        layer,
        Code.LAYER_ERROR,
        f"{what} failed ({type(exc).__name__}); escalating rather than guessing",
        error=type(exc).__name__,
        detail=str(exc)[:300],
    )
