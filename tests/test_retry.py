"""The one retry policy: one transient table, one retry-after reader, and a deadline that
the waits and the attempts both respect."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from tenacity import RetryCallState

from guardrail import _retry
from guardrail._retry import (
    DeadlineExceeded,
    retry_after_seconds,
    retry_call,
    transient_status,
)


class Flaky(Exception):
    """A transient failure for the tests."""


def test_transient_table() -> None:
    """408, 409, 425, 429 and every 5xx are transient; other 4xx and 2xx are not."""
    assert all(transient_status(s) for s in (408, 409, 425, 429, 500, 502, 503, 599))
    assert not any(transient_status(s) for s in (200, 400, 401, 403, 404, 422))


def test_retry_after_reader() -> None:
    """retry-after-ms wins over retry-after; seconds and HTTP dates are read; junk is None."""
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None
    date = "Wed, 21 Oct 2026 07:28:10 GMT"
    now = 1792567680.0  # 2026-10-21 07:28:00 UTC
    assert retry_after_seconds({"retry-after": date}, now=now) == pytest.approx(10.0)
    assert retry_after_seconds({"retry-after": "-5"}) == 0.0
    assert retry_after_seconds({"retry-after": "99999999"}) == _retry.MAX_HINT_S


async def test_the_wait_checked_against_the_deadline_is_the_wait_slept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The backoff is drawn once per retry: a long draw stops the retries instead of
    being slept after a short draw let them continue."""
    draws: Iterator[float] = iter([0.01, 1000.0, 1000.0, 1000.0])

    def backoff(_state: RetryCallState) -> float:
        return next(draws)

    monkeypatch.setattr(_retry, "_backoff", backoff)
    calls = 0

    async def fail() -> None:
        nonlocal calls
        calls += 1
        raise Flaky

    started = time.monotonic()
    async with asyncio.timeout(60):  # the old behaviour slept 1000 s here
        with pytest.raises(Flaky):
            await retry_call(
                fail,
                max_attempts=10,
                deadline_s=30.0,
                is_transient=lambda e: isinstance(e, Flaky),
            )
    assert calls == 2
    assert time.monotonic() - started < 30.0


async def test_an_attempt_is_cut_off_at_the_deadline() -> None:
    """An attempt that hangs past the deadline is cancelled with DeadlineExceeded."""

    async def hang() -> None:
        await asyncio.sleep(3600)

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        await retry_call(hang, max_attempts=3, deadline_s=0.2, is_transient=lambda _e: True)
    assert time.monotonic() - started < 20.0


async def test_hint_beyond_the_deadline_stops_at_once() -> None:
    """A server asking to wait longer than the time left ends the retries after one try."""
    calls = 0

    async def limited() -> None:
        nonlocal calls
        calls += 1
        raise Flaky

    with pytest.raises(Flaky):
        await retry_call(
            limited,
            max_attempts=5,
            deadline_s=5.0,
            is_transient=lambda e: isinstance(e, Flaky),
            retry_after=lambda _e: 60.0,
        )
    assert calls == 1


async def test_success_after_transient_failures_counts_attempts() -> None:
    """Two transient failures then a success return the result and 3 attempts."""
    outcomes = [Flaky(), Flaky(), "ok"]

    async def step() -> str:
        item = outcomes.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    result, attempts = await retry_call(
        step,
        max_attempts=5,
        deadline_s=30.0,
        is_transient=lambda e: isinstance(e, Flaky),
        retry_after=lambda _e: 0.0,
    )
    assert (result, attempts) == ("ok", 3)
