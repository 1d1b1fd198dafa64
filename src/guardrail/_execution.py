"""Write-ahead execution of allowed tool calls (see docs/reliability.md).

1. The decision is recorded with every call about to run marked ``pending``
   (``store.begin``) before any handler runs; if that write fails nothing runs.
2. Each call runs only after the store moved its row ``pending`` → ``running``
   (``store.start_execution``): one idempotency key (``audit_id:index``) never runs twice.
3. Its outcome is recorded against the same key (``executed`` + result, ``failed`` +
   error type, ``timed_out``); a failure stops the calls after it and escalates.

In :meth:`Guardrail.acheck` the store calls run in the audit thread pool and sync
handlers in the handler thread pool, never on the event loop; in ``check()`` (no loop)
the store calls run inline and sync handlers run in the handler pool so the timeout holds.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import JsonValue, TypeAdapter, ValidationError

from ._log import get_logger
from .audit import WriteAheadStore
from .audit._executions import idempotency_key
from .layers import CheckContext
from .models import Code, Decision, Finding, LayerName, ToolCallResult

if TYPE_CHECKING:
    from .pipeline import Guardrail

__all__ = [
    "Executed",
    "audit_pool",
    "drive",
    "execute_calls",
    "handler_pool",
    "needs_loop",
    "no_write_ahead",
    "offload",
    "write_ahead",
]

log = get_logger("guardrail.execution")
T = TypeVar("T")
_JSON: TypeAdapter[JsonValue] = TypeAdapter(JsonValue)
_pools: dict[str, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()
#: sync handlers of concurrent checks run in parallel up to this many threads
HANDLER_THREADS = 64
#: audit store calls from acheck(): each store serialises its own writes
AUDIT_THREADS = 8


def _pool(name: str, size: int) -> ThreadPoolExecutor:
    with _pools_lock:
        pool = _pools.get(name)
        if pool is None:
            pool = _pools[name] = ThreadPoolExecutor(size, thread_name_prefix=f"guardrail-{name}")
        return pool


def handler_pool() -> ThreadPoolExecutor:
    """The process-wide pool sync tool handlers run in."""
    return _pool("handler", HANDLER_THREADS)


def audit_pool() -> ThreadPoolExecutor:
    """The process-wide pool ``acheck()`` runs audit store calls in."""
    return _pool("audit", AUDIT_THREADS)


async def offload(sync: bool, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` inline when ``sync`` (check(): the caller's thread), else in the
    audit pool so the event loop never blocks on the store."""
    if sync:
        return fn(*args)
    return await asyncio.get_running_loop().run_in_executor(audit_pool(), partial(fn, *args))


def _is_async(fn: Any) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - an async callable object
    )


def needs_loop(guard: Guardrail) -> bool:
    """Whether a check needs an event loop: a QA review, async handlers or resolvers,
    handoff sinks (they deliver asynchronously) or a layer from outside guardrail."""
    if guard.review is not None or guard.handoff_sinks:
        return True
    registry = guard.tools.registry  # asked on every check(): plain loops, no generators
    for handler in registry.handlers.values():
        if _is_async(handler.fn):
            return True
    for fn in registry.resolvers.values():
        if _is_async(fn):
            return True
    return any(not type(layer).__module__.startswith("guardrail.") for layer in guard.layers)


@dataclass
class Executed:
    """What :func:`execute_calls` did: the calls (executed ones carry results), the
    failures (each escalates), and whether the write-ahead record exists."""

    results: list[ToolCallResult]
    failures: list[Finding] = field(default_factory=list)
    begun: bool = False


def calls_to_run(guard: Guardrail, results: Sequence[ToolCallResult]) -> list[tuple[int, str]]:
    """``(index, tool)`` of the allowed calls that have a handler, in order."""
    handlers = guard.tools.registry.handlers
    return [(i, r.name) for i, r in enumerate(results) if r.allowed and r.name in handlers]


async def execute_calls(
    guard: Guardrail,
    ctx: CheckContext,
    results: list[ToolCallResult],
    begin: Callable[[], None] | None,
    *,
    sync: bool,
) -> Executed:
    """Record write-ahead (``begin``; None when it is already recorded, e.g. a retry),
    then run the handlers of :func:`calls_to_run`, recording each outcome."""
    store: Any = guard.audit
    out = Executed(list(results))
    if store is not None and begin is not None:
        try:
            await offload(sync, begin)
        except Exception as exc:  # nothing has run: fail closed
            log.error("audit_begin_failed", audit_id=ctx.audit_id, error=type(exc).__name__)
            out.failures.append(
                _finding(LayerName.audit, Code.LAYER_ERROR, "audit write before execution", exc)
            )
            return out
    out.begun = store is not None
    for index, name in calls_to_run(guard, results):
        if out.failures:
            break
        result = results[index]
        if store is not None:
            try:
                started = await offload(sync, store.start_execution, ctx.audit_id, index)
            except Exception as exc:
                out.failures.append(_finding(LayerName.audit, Code.LAYER_ERROR,
                                             "audit write before execution", exc))  # fmt: skip
                break
            if not started:  # this key ran (or is running) already: never twice
                log.error("execution_not_pending", audit_id=ctx.audit_id, index=index)
                out.failures.append(_failure(name, index, "AlreadyStarted", "was not pending"))
                break
        state, value, error = await _run_handler(guard, ctx, name, index, result, sync)
        if state == "executed":
            try:
                value = _JSON.validate_python(value)
            except ValidationError:
                state, value, error = "failed", None, "NotJSON"
        if store is not None:
            try:
                await offload(
                    sync,
                    store.finish_execution,
                    ctx.audit_id,
                    index,
                    state,
                    value,
                    error,
                )
            except Exception as exc:  # the row stays 'running': `audit pending` shows it
                log.error("audit_outcome_failed", audit_id=ctx.audit_id, index=index)
                out.failures.append(_finding(LayerName.audit, Code.LAYER_ERROR,
                                             "audit write after execution", exc))  # fmt: skip
        if state == "executed" or (state == "failed" and error == "NotJSON"):
            out.results[index] = result.model_copy(update={"executed": True, "result": value})
        if state != "executed":
            what = "returned a value that is not JSON" if error == "NotJSON" else state
            out.failures.append(_failure(name, index, error or state, what))
    return out


async def _run_handler(
    guard: Guardrail, ctx: CheckContext, name: str, index: int, result: ToolCallResult, sync: bool
) -> tuple[str, Any, str | None]:
    fn, wants = guard.tools.registry.handlers[name]
    kwargs: dict[str, Any] = dict(result.arguments)  # type: ignore[arg-type]
    if wants:
        kwargs["conversation"] = ctx.conversation
    if _accepts_key(fn):
        kwargs["idempotency_key"] = idempotency_key(ctx.audit_id, index)
    timeout = guard.handler_timeout_s
    try:
        if _is_async(fn):
            value = await asyncio.wait_for(fn(**kwargs), timeout)
        elif sync:
            value = handler_pool().submit(partial(fn, **kwargs)).result(timeout)
        else:
            future = asyncio.wrap_future(handler_pool().submit(partial(fn, **kwargs)))
            value = await asyncio.wait_for(future, timeout)
        if inspect.isawaitable(value):
            value = await asyncio.wait_for(value, timeout)
    except (TimeoutError, FutureTimeout):
        log.error("tool_timed_out", audit_id=ctx.audit_id, tool=name, index=index)
        return "timed_out", None, "TimeoutError"
    except Exception as exc:  # pinned: a handler failure is a finding, then escalate
        log.error("tool_failed", audit_id=ctx.audit_id, tool=name, index=index)
        return "failed", None, type(exc).__name__
    return "executed", value, None


def _accepts_key(fn: Callable[..., Any]) -> bool:
    try:
        return "idempotency_key" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _failure(tool: str, index: int, error: str, what: str) -> Finding:
    return Finding.of(
        LayerName.tools,
        Code.TOOL_FAILURE,
        f"{tool} {what} ({error}); the calls after it were not executed",
        tool=tool,
        call_index=index,
        error=error,
    )


def _finding(layer: LayerName, code: Code, what: str, exc: BaseException) -> Finding:
    return Finding.of(
        layer,
        code,
        f"{what} failed ({type(exc).__name__}); escalating rather than guessing",
        error=type(exc).__name__,
        detail=str(exc)[:300],
    )


def write_ahead(store: object) -> bool:
    return isinstance(store, WriteAheadStore)


def no_write_ahead() -> Finding:
    return Finding.of(
        LayerName.audit,
        Code.LAYER_ERROR,
        "the audit store cannot record tool executions before they run; nothing executed",
        error="NoWriteAhead",
    )


def drive(coro: Coroutine[Any, Any, Decision]) -> Decision:
    """Run a check coroutine that never needs a loop, in this thread. Anything that
    does await a loop gets a RuntimeError thrown in (its layer's boundary escalates)."""
    try:
        yielded = coro.send(None)
        while True:
            del yielded
            yielded = coro.throw(RuntimeError("awaited an event loop inside check(); use acheck()"))
    except StopIteration as stop:
        result: Decision = stop.value
        return result
