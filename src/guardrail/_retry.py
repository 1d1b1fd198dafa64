"""The one retry policy (tenacity), shared by the QA reviewer and the handoff webhook.

Transient failures — HTTP 429 and 5xx, connection errors, timeouts of one attempt — are
retried with jittered exponential backoff, honouring a server's ``Retry-After``, up to
``max_attempts`` and never past ``deadline_s`` from the first attempt. Whoever calls it
says what is transient (``is_transient``) and how to read a retry-after from an
exception (``retry_after``); the SDKs' own retries are switched off (``max_retries=0``).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    wait_random_exponential,
)

T = TypeVar("T")

__all__ = ["retry_call"]

_backoff = wait_random_exponential(multiplier=0.2, max=4.0)


async def retry_call(
    fn: Callable[[], Awaitable[T]],
    *,
    max_attempts: int,
    deadline_s: float,
    is_transient: Callable[[BaseException], bool],
    retry_after: Callable[[BaseException], float | None] = lambda _exc: None,
    on_retry: Callable[[int, BaseException], None] | None = None,
) -> tuple[T, int]:
    """Call ``fn`` until it succeeds, a non-transient error is raised, ``max_attempts``
    is reached, or the next wait would cross ``deadline_s``. Returns the result and the
    number of attempts; re-raises the last exception otherwise."""
    started = time.monotonic()

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after(exc) if exc is not None else None
        return hinted if hinted is not None else _backoff(state)

    def stop(state: RetryCallState) -> bool:
        if state.attempt_number >= max_attempts:
            return True
        remaining = deadline_s - (time.monotonic() - started)
        return wait(state) >= remaining

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if on_retry is not None and exc is not None:
            on_retry(state.attempt_number, exc)

    attempts = 0
    async for attempt in AsyncRetrying(
        stop=stop,
        wait=wait,
        retry=retry_if_exception(is_transient),
        before_sleep=before_sleep,
        reraise=True,
    ):
        with attempt:
            attempts = attempt.retry_state.attempt_number
            result = await fn()
    return result, attempts
