"""The one retry policy (tenacity) and its one vocabulary, shared by the QA reviewer and
the handoff webhook.

Transient failures — HTTP 408, 409, 425, 429 and 5xx, connection errors, timeouts of one
attempt — are retried with jittered exponential backoff, honouring a server's
``retry-after-ms`` / ``Retry-After``, up to ``max_attempts`` and never past
``deadline_s`` from the first attempt: the wait that decides whether another attempt
fits is the wait that is slept (tenacity's ``upcoming_sleep``), and each attempt is cut
off at the deadline. Callers say which of their exceptions are transient
(``is_transient``) and how to read a hint from one (``retry_after``), using
:func:`transient_status` and :func:`retry_after_seconds` for HTTP. The SDKs' own retries
are switched off (``max_retries=0``).
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    wait_random_exponential,
)

T = TypeVar("T")

__all__ = ["DeadlineExceeded", "retry_after_seconds", "retry_call", "transient_status"]

#: Retried besides 5xx: request timeout, lock conflict, too early, rate limited.
TRANSIENT_STATUSES = frozenset({408, 409, 425, 429})
#: The longest server hint honoured (a larger one is clipped, then the deadline decides).
MAX_HINT_S = 3600.0
_backoff = wait_random_exponential(multiplier=0.2, max=4.0)


class DeadlineExceeded(TimeoutError):
    """An attempt was cut off because the retry deadline passed."""


def transient_status(status: int) -> bool:
    """Whether an HTTP status is worth another attempt."""
    return status >= 500 or status in TRANSIENT_STATUSES


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The server's hint in seconds: ``retry-after-ms``, else ``retry-after`` as seconds
    or as an HTTP date; None when absent or unreadable. Clipped to ``[0, MAX_HINT_S]``."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return min(max(float(millis) / 1000.0, 0.0), MAX_HINT_S)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_HINT_S)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        at = time.time() if now is None else now
        return min(max(float(email.utils.mktime_tz(parsed)) - at, 0.0), MAX_HINT_S)


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
    is reached, or the next wait would cross ``deadline_s``. An attempt still running at
    the deadline is cancelled and :class:`DeadlineExceeded` raised. Returns the result
    and the number of attempts; re-raises the last exception otherwise."""
    started = time.monotonic()

    def remaining() -> float:
        return deadline_s - (time.monotonic() - started)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after(exc) if exc is not None else None
        return hinted if hinted is not None else _backoff(state)

    def stop(state: RetryCallState) -> bool:
        # tenacity computes the wait first (``upcoming_sleep``) and sleeps exactly that
        return state.attempt_number >= max_attempts or state.upcoming_sleep >= remaining()

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
            try:
                async with asyncio.timeout(max(remaining(), 0.0)):
                    result = await fn()
            except TimeoutError as exc:
                if remaining() <= 0:
                    raise DeadlineExceeded(f"deadline of {deadline_s} s passed") from exc
                raise
    return result, attempts
