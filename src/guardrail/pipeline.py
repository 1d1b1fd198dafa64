"""``Guardrail``: runs the four layers, holds the one fail-closed boundary, routes,
re-checks rewrites, executes allowed tool calls, writes the audit record.

Order of one check::

    tools ──► (review starts, concurrently) ──► grounding ──► triggers
          └─ a blocking deterministic finding cancels the review
    router ──► rewrite? re-check the rewrite through the deterministic layers
           ──► release/rewrite: run allowed tool handlers (a failure escalates)
           ──► escalate: build the handoff
    audit write (a failure escalates) ──► handoff sinks ──► Decision
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from pydantic import ValidationError

from ._build import build_from_config
from ._execution import (
    calls_to_run,
    drive,
    execute_calls,
    needs_loop,
    no_write_ahead,
    offload,
    write_ahead,
)
from ._log import get_logger
from ._sync import run_sync
from ._wrap import wrap
from .errors import InputError
from .knowledge import Knowledge
from .layers import CheckContext, Layer, LayerResult, boundary, layer_error, run_layers
from .models import (
    Action,
    Conversation,
    Decision,
    Draft,
    Finding,
    Latency,
    LayerName,
    Review,
    Severity,
)
from .review._clear import clear_soft_findings
from .routing import Router
from .tools import ToolsLayer

if TYPE_CHECKING:
    from .audit import AuditStore
    from .config import TenantConfig
    from .routing import HandoffSink

__all__ = ["Guardrail", "Rewriter", "parse_inputs"]

log = get_logger("guardrail.pipeline")
#: the stdlib logger under ``log``: a disabled ``log.info`` still cost ~10 µs a check
_LOGGER = logging.getLogger("guardrail.pipeline")

#: A tenant hook that proposes replacement text for a draft the router wants rewritten.
Rewriter = Callable[[Conversation, Draft, Sequence[Finding]], str | None]


def parse_inputs(conversation: object, draft: object) -> tuple[Conversation, Draft]:
    """Accept models or plain dicts; a malformed field is an InputError naming it."""
    return _coerce(Conversation, conversation, "conversation"), _coerce(Draft, draft, "draft")


M = TypeVar("M", Conversation, Draft)
H = TypeVar("H", bound=Callable[..., Any])
P = ParamSpec("P")


def _coerce(model: type[M], value: object, root: str) -> M:
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        err: Any = exc.errors()[0]
        path = ".".join([root, *(str(p) for p in err["loc"])])
        msg = err["msg"] if err["type"] != "missing" else "required field is missing"
        raise InputError(msg.removeprefix("Value error, "), field=path) from None


class Guardrail:
    """The gate. Build it with :meth:`from_config` or directly from layers."""

    def __init__(
        self,
        *,
        tenant: str,
        knowledge: Knowledge | None = None,
        tools: ToolsLayer | None = None,
        grounding: Layer | None = None,
        review: Layer | None = None,
        triggers: Layer | None = None,
        router: Router | None = None,
        audit: AuditStore | None = None,
        rewriter: Rewriter | None = None,
        handoff_sinks: Sequence[HandoffSink] = (),
        extra_layers: Sequence[Layer] = (),
        handler_timeout_s: float = 30.0,
    ) -> None:
        self.tenant = tenant
        self.config: TenantConfig | None = None  # set when built from a config file
        self.knowledge = knowledge or Knowledge()
        self.tools = tools if tools is not None else ToolsLayer.empty()
        self.review = review
        self.router = router or Router()
        self.audit = audit
        self.rewriter = rewriter
        self.handoff_sinks = list(handoff_sinks)
        #: how long one tool handler may run (``[tools] handler_timeout_s``)
        self.handler_timeout_s = handler_timeout_s
        # deterministic layers after tools, in order; each sees the findings before it
        self._deterministic: list[Layer] = [
            layer for layer in (grounding, triggers, *extra_layers) if layer is not None
        ]

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_config(cls, path: str, **overrides: Any) -> Guardrail:
        """Build the gate a tenant's ``guardrail.toml`` describes."""
        return build_from_config(cls, path, **overrides)

    # -- the public entry points --------------------------------------------------------

    def check(
        self, conversation: Conversation | Mapping[str, Any], draft: Draft | Mapping[str, Any]
    ) -> Decision:
        """Check a draft synchronously. Safe to call with or without a running event loop.

        Without a QA review, async handlers/resolvers, handoff sinks or a custom layer,
        the check runs in the caller's thread with no event loop (the audit write runs
        inline); otherwise it runs :meth:`acheck` on a loop."""
        if not needs_loop(self):
            return drive(self._check(conversation, draft, sync=True))
        return run_sync(self.acheck(conversation, draft))

    async def acheck(
        self, conversation: Conversation | Mapping[str, Any], draft: Draft | Mapping[str, Any]
    ) -> Decision:
        """Check a draft. Returns the same Decision as :meth:`check`. The audit store and
        sync tool handlers run in thread pools, never on the event loop."""
        return await self._check(conversation, draft, sync=False)

    async def _check(
        self,
        conversation: Conversation | Mapping[str, Any],
        draft: Draft | Mapping[str, Any],
        *,
        sync: bool,
    ) -> Decision:
        conv, dft = parse_inputs(conversation, draft)
        if conv.tenant != self.tenant:
            raise InputError(
                f"{conv.tenant!r} is not this guard's tenant {self.tenant!r}",
                field="conversation.tenant",
            )
        started = time.perf_counter()
        audit_id = uuid.uuid4().hex
        ctx = CheckContext(conv, dft, self.knowledge, audit_id)
        lat: dict[str, float] = {}
        review = await self._first_pass(ctx, lat)

        t0 = time.perf_counter()
        action = self.router.decide(ctx.findings, review)
        text: str | None = dft.text if action is Action.release else None
        findings = list(ctx.findings)
        if action is Action.rewrite:
            text, extra = await self._recheck_rewrite(ctx, review, lat)
            findings += extra
            if text is None:
                action = Action.escalate
        tool_results = list(ctx.tool_results)
        begun = False
        to_run = calls_to_run(self, tool_results) if action is not Action.escalate else []
        if to_run:
            if self.audit is not None and not write_ahead(self.audit):
                findings.append(no_write_ahead())
                action, text = Action.escalate, None
            else:
                ahead = self._decide(
                    ctx, action, text, findings, tool_results, review, dict(lat), started
                )
                store: Any = self.audit
                begin = partial(store.begin, conv, dft, ahead, to_run) if store else None
                done = await execute_calls(self, ctx, tool_results, begin, sync=sync)
                tool_results, begun = done.results, done.begun
                if done.failures:
                    findings += done.failures
                    action, text = Action.escalate, None
        lat["routing"] = lat.get("routing", 0.0) + _ms(t0)

        decision = self._decide(ctx, action, text, findings, tool_results, review, lat, started)
        if self.audit is not None or self.handoff_sinks:  # else nothing to record: final
            decision = await self._record(ctx, decision, started, begun=begun, sync=sync)
        if _LOGGER.isEnabledFor(logging.INFO):  # build the event only for a listener
            log.info(
                "decision",
                tenant=conv.tenant,
                conversation_id=conv.id,
                audit_id=audit_id,
                action=decision.action.value,
                codes=sorted(f.code.value for f in decision.findings),
                total_ms=round(decision.latency_ms.total, 3),
            )
        return decision

    @property
    def layers(self) -> list[Layer]:
        """The deterministic layers after tools, in order (grounding, triggers, extras)."""
        return list(self._deterministic)

    def wrap(
        self, fn: Callable[P, Draft] | Callable[P, Awaitable[Draft]]
    ) -> Callable[P, Decision] | Callable[P, Awaitable[Decision]]:
        """Decorate the agent's reply function (sync or async) so it returns a Decision."""
        return wrap(self, fn)

    def pre_send_hook(self) -> PreSendHook:
        """A callable ``hook(conversation, draft) -> Decision`` (``await hook.acall(...)``
        from async code) for agent frameworks that take a pre-send hook."""
        return PreSendHook(self)

    def tool(self, name: str) -> Callable[[H], H]:
        """Register the handler that executes allowed calls of tool ``name`` (sync or
        async; called as ``fn(**arguments)``). Only allowed calls run, in order."""
        return self.tools.registry.tool(name)

    def resolver(self, entity: str) -> Callable[[H], H]:
        """Register the loader for ``context.<entity>`` (e.g. ``"order"``) that tool rules
        read; called at most once per entity id per check."""
        return self.tools.registry.resolver(entity)

    async def aclose(self) -> None:
        """Close network clients the layers hold (the QA reviewer's SDK clients). Optional:
        they are also closed when their event loop shuts down."""
        close = getattr(self.review, "aclose", None)
        if close is not None:
            await close()

    # -- internals ---------------------------------------------------------------------

    async def _first_pass(self, ctx: CheckContext, lat: dict[str, float]) -> Review | None:
        # Tools first, then the deterministic layers (microseconds), before the review is
        # requested: a critical finding settles the outcome without a model call, and the
        # reviewer is asked about grounding's soft findings (UNSUPPORTED_CLAIM,
        # MISSING_CITATION).
        await run_layers(self._pass, ctx, lat)
        if self.review is None or any(f.severity is Severity.critical for f in ctx.findings):
            return None
        result, lat["review"] = await self._run_review(ctx)
        ctx.findings.extend(result.findings)
        if result.review is not None:  # a soft finding the reviewer backed no longer blocks
            ctx.findings[:] = clear_soft_findings(
                ctx.findings, result.review, ctx.knowledge, ctx.as_of
            )
        return result.review

    async def _run_review(self, ctx: CheckContext) -> tuple[LayerResult, float]:
        assert self.review is not None
        t0 = time.perf_counter()
        result = await boundary(self.review, ctx)
        return result, _ms(t0)

    @property
    def _pass(self) -> list[Layer]:
        """One pass over a draft: tools, then the deterministic layers, in order."""
        return [self.tools, *self._deterministic]

    async def _recheck_rewrite(
        self, ctx: CheckContext, review: Review | None, lat: dict[str, float]
    ) -> tuple[str | None, list[Finding]]:
        """Get the rewrite (QA's, else the tenant hook's) and run it through the
        deterministic layers again. Returns (text, findings of the re-check)."""
        candidate = review.rewrite if review is not None and review.rewrite else None
        if candidate is None and self.rewriter is not None:
            try:
                candidate = self.rewriter(ctx.conversation, ctx.draft, tuple(ctx.findings))
            except Exception as exc:  # the tenant's hook failed: fail closed
                return None, [layer_error(LayerName.routing, exc, "rewriter hook")]
        if not candidate:
            return None, []
        draft2 = ctx.draft.model_copy(update={"text": candidate})
        ctx2 = CheckContext(ctx.conversation, draft2, ctx.knowledge, ctx.audit_id, recheck=True)
        await run_layers(self._pass, ctx2, lat)
        blocking = [f for f in ctx2.findings if f.severity.blocks]
        if blocking:
            tagged = [f.model_copy(update={"recheck": True}) for f in blocking]
            return None, tagged
        return candidate, []

    def _decide(
        self,
        ctx: CheckContext,
        action: Action,
        text: str | None,
        findings: list[Finding],
        tool_results: list[Any],
        review: Review | None,
        lat: dict[str, float],
        started: float,
    ) -> Decision:
        handoff = None
        if action is Action.escalate:
            handoff = self.router.handoff(ctx, findings, tool_results, review)
        return Decision(
            action=action,
            text=text if action is not Action.escalate else None,
            findings=findings,
            tool_calls=tool_results,
            review=review,
            handoff=handoff,
            holding_message=self.router.holding_message if action is Action.escalate else None,
            tenant=ctx.conversation.tenant,
            conversation_id=ctx.conversation.id,
            audit_id=ctx.audit_id,
            latency_ms=Latency(total=_ms(started), **{k: lat[k] for k in _LATENCY if k in lat}),
        )

    async def _record(
        self, ctx: CheckContext, decision: Decision, started: float, *, begun: bool, sync: bool
    ) -> Decision:
        """Write the audit record (invariant 5) and deliver a handoff; a failed write
        turns the decision into an escalation. ``begun``: a write-ahead record exists and
        is replaced by the final decision."""
        if self.audit is not None:
            store: Any = self.audit
            write = store.finish if begun else store.write
            try:
                await offload(sync, write, ctx.conversation, ctx.draft, decision)
            except Exception as exc:
                log.error("audit_write_failed", audit_id=ctx.audit_id, error=type(exc).__name__)
                findings = [*decision.findings, layer_error(LayerName.audit, exc, "audit write")]
                handoff = self.router.handoff(ctx, findings, decision.tool_calls, decision.review)
                decision = decision.model_copy(
                    update={
                        "action": Action.escalate,
                        "text": None,
                        "findings": findings,
                        "handoff": handoff,
                        "holding_message": self.router.holding_message,
                    }
                )
        if decision.action is Action.escalate and decision.handoff and self.handoff_sinks:
            # sinks record their own failures and never raise; deliver concurrently
            await asyncio.gather(*(_deliver(sink, decision) for sink in self.handoff_sinks))
        latency = decision.latency_ms.model_copy(update={"total": _ms(started)})
        return decision.model_copy(update={"latency_ms": latency})


class PreSendHook:
    """``hook(conversation, draft)`` → Decision; ``await hook.acall(conversation, draft)``."""

    def __init__(self, guard: Guardrail) -> None:
        self._guard = guard

    def __call__(self, conversation: Any, draft: Any) -> Decision:
        return self._guard.check(conversation, draft)

    async def acall(self, conversation: Any, draft: Any) -> Decision:
        return await self._guard.acheck(conversation, draft)


# -- helpers (the fail-closed boundary itself is layers.boundary) -------------------------


_LATENCY = ("grounding", "review", "tools", "routing")


async def _deliver(sink: HandoffSink, decision: Decision) -> None:
    """Sinks record their own failures; one that raises anyway is logged, not raised."""
    try:
        await sink.deliver(decision)
    except Exception as exc:
        log.error("sink_failed", audit_id=decision.audit_id, error=type(exc).__name__)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
