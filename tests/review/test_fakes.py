"""The fakes users test with: strict scripted reviewers and the fake provider server."""

from __future__ import annotations

import httpx2
import pytest

from guardrail.review import MalformedReview, ReviewRequest
from guardrail.review._prompt import build_request
from guardrail.testing._fake_provider import FakeProvider, Step
from guardrail.testing._reviewers import (
    FunctionReviewer,
    ScriptedReviewer,
    ScriptExhausted,
    answer,
)

from .conftest import conversation, draft
from .test_prompt import context


async def test_scripted_reviewer_fails_when_called_too_often() -> None:
    """A call past the script raises, and assert_done reports the overrun afterwards."""
    scripted = ScriptedReviewer([answer()])
    request = _request()
    await scripted.review(request)
    with pytest.raises(ScriptExhausted):
        await scripted.review(request)
    with pytest.raises(ScriptExhausted, match="1 more time"):
        scripted.assert_done()


def test_scripted_reviewer_fails_when_steps_are_left() -> None:
    """Leaving the context manager with unused steps fails the test."""
    with pytest.raises(ScriptExhausted, match="1 unused step"), ScriptedReviewer([answer()]):
        pass


async def test_scripted_steps_raise_and_validate() -> None:
    """An exception step is raised; a dict step is validated like a provider's answer."""
    boom = RuntimeError("boom")
    scripted = ScriptedReviewer([boom, {"verdict": "nope"}])
    with pytest.raises(RuntimeError, match="boom"):
        await scripted.review(_request())
    with pytest.raises(MalformedReview):
        await scripted.review(_request())
    scripted.assert_done()
    assert len(scripted.requests) == 2


async def test_function_reviewer_accepts_sync_functions() -> None:
    """A plain (sync) function works as a reviewer too."""
    reviewer = FunctionReviewer(lambda request: answer("escalate"))
    reply = await reviewer.review(_request())
    assert reply.answer.verdict == "escalate" and reviewer.calls == 1


async def test_fake_provider_flags_unscripted_requests() -> None:
    """A request with nothing scripted gets HTTP 400 and makes assert_done fail."""
    async with FakeProvider() as fake, httpx2.AsyncClient() as client:
        response = await client.post(f"{fake.url}/v1/messages", json={"model": "m"})
        assert response.status_code == 400
        with pytest.raises(AssertionError, match="1 unscripted"):
            fake.assert_done()


async def test_fake_provider_serves_its_default_and_reports_unused_steps() -> None:
    """The default step answers when the script is empty; unused steps fail assert_done."""
    async with FakeProvider(default=Step.answer("escalate")) as fake, httpx2.AsyncClient() as c:
        body = {"model": "m", "tools": [{"name": "judge"}]}
        response = await c.post(f"{fake.url}/v1/messages", json=body)
        block = response.json()["content"][0]
        assert (block["name"], block["input"]["verdict"]) == ("judge", "escalate")
        fake.assert_done()
        fake.script(Step.answer())
        with pytest.raises(AssertionError, match="1 scripted step"):
            fake.assert_done()


async def test_fake_provider_rate_limit_carries_retry_after() -> None:
    """A scripted 429 carries the retry-after header in the provider's error shape."""
    async with FakeProvider(Step.rate_limited(retry_after=1.5)) as fake, httpx2.AsyncClient() as c:
        response = await c.post(f"{fake.url}/v1/chat/completions", json={})
        assert response.status_code == 429 and response.headers["retry-after"] == "1.5"
        assert response.json()["error"]["type"] == "rate_limit_error"


def _request() -> ReviewRequest:
    return build_request(context(conversation(), draft()))
