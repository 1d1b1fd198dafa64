"""Reviewers for tests: a strict script, or just a function.

Both plug into :class:`guardrail.review.ReviewLayer` like a real reviewer, so a test
exercises the layer's retries, timeout and findings without any network::

    reviewer = ScriptedReviewer([{"verdict": "approve", "reasoning": "ok", "claims": []}])
    guard = Guardrail(tenant="acme", review=ReviewLayer(reviewer))
    ...
    reviewer.assert_done()      # every step used, no extra call

A step is a :class:`~guardrail.ReviewAnswer`, a dict or a JSON string (validated like a
provider's answer: an invalid one is malformed output), or an exception to raise (e.g.
``ReviewFailed("rate_limited", transient=True)``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from ..models import ReviewAnswer, Usage
from ..review import ReviewReply, ReviewRequest
from ..review._prompt import parse_answer

__all__ = ["FunctionReviewer", "ScriptExhausted", "ScriptedReviewer", "answer"]

Step = ReviewAnswer | dict[str, Any] | str | BaseException
ReviewFn = Callable[[ReviewRequest], Step | Awaitable[Step]]


class ScriptExhausted(AssertionError):
    """A scripted reviewer was called more (or fewer) times than scripted."""


def answer(
    verdict: str = "approve",
    reasoning: str = "scripted review",
    *,
    claims: Iterable[dict[str, str]] = (),
    rewrite: str | None = None,
) -> ReviewAnswer:
    """A valid ReviewAnswer in one line."""
    return ReviewAnswer.model_validate(
        {"verdict": verdict, "reasoning": reasoning, "claims": list(claims), "rewrite": rewrite}
    )


def _reply(step: Step, model: str) -> ReviewReply:
    if isinstance(step, BaseException):
        raise step
    parsed = step if isinstance(step, ReviewAnswer) else parse_answer(step)
    return ReviewReply(answer=parsed, usage=Usage(), model=model)


class ScriptedReviewer:
    """Answers from a fixed script, one step per call; strict both ways: a call past the
    end raises :class:`ScriptExhausted` (and is remembered), and :meth:`assert_done`
    fails if steps are left or a call overran. Usable as a context manager that asserts
    on exit. ``requests`` holds every request it received."""

    provider = "scripted"

    def __init__(self, steps: Iterable[Step], *, model: str = "scripted-reviewer") -> None:
        self.model = model
        self._steps = list(steps)
        self._used = 0
        self._overrun = 0
        self.requests: list[ReviewRequest] = []

    @property
    def remaining(self) -> int:
        return len(self._steps) - self._used

    async def review(self, request: ReviewRequest) -> ReviewReply:
        self.requests.append(request)
        if self._used >= len(self._steps):
            self._overrun += 1
            raise ScriptExhausted(
                f"ScriptedReviewer called {self._used + self._overrun} times; "
                f"only {len(self._steps)} step(s) scripted"
            )
        step = self._steps[self._used]
        self._used += 1
        return _reply(step, self.model)

    def assert_done(self) -> None:
        """Fail unless every step was used and no call went past the script."""
        if self._overrun:
            raise ScriptExhausted(
                f"ScriptedReviewer was called {self._overrun} more time(s) than scripted"
            )
        if self.remaining:
            raise ScriptExhausted(
                f"ScriptedReviewer has {self.remaining} unused step(s) of {len(self._steps)}"
            )

    async def aclose(self) -> None:
        return None

    def __enter__(self) -> ScriptedReviewer:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.assert_done()


class FunctionReviewer:
    """A reviewer that is just a function (sync or async) of the :class:`ReviewRequest`,
    returning or raising a step."""

    provider = "function"

    def __init__(self, fn: ReviewFn, *, model: str = "function-reviewer") -> None:
        self.fn = fn
        self.model = model
        self.calls = 0

    async def review(self, request: ReviewRequest) -> ReviewReply:
        self.calls += 1
        step = self.fn(request)
        if inspect.isawaitable(step):
            step = await step
        return _reply(step, self.model)

    async def aclose(self) -> None:
        return None
