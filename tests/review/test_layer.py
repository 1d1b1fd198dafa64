"""ReviewLayer with test reviewers: verdicts to findings, the retry rules, the hard
timeout, the same-model rule, and what the logs may carry."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from guardrail import Action, Code, Guardrail, ReviewAnswer, Severity
from guardrail.review import MalformedReview, ReviewFailed, ReviewLayer, ReviewRequest
from guardrail.testing._reviewers import FunctionReviewer, ScriptedReviewer, answer

from .conftest import conversation, draft

SECRET = "SECRET-CUSTOMER-TEXT-4471"


def guard(reviewer: ScriptedReviewer | FunctionReviewer, **options: object) -> Guardrail:
    return Guardrail(tenant="acme", review=ReviewLayer(reviewer, **options))  # type: ignore[arg-type]


def transient(reason: str = "server_error") -> ReviewFailed:
    return ReviewFailed(reason, "HTTP 503", transient=True, retry_after=0.0)


async def test_transient_failure_then_answer_counts_attempts() -> None:
    """A transient failure is retried and the review records how many attempts it took."""
    with ScriptedReviewer([transient(), transient(), answer("approve")]) as scripted:
        decision = await guard(scripted, max_attempts=3).acheck(conversation(), draft())
    assert decision.action is Action.release
    assert decision.review is not None and decision.review.attempts == 3


async def test_transient_failures_stop_at_max_attempts() -> None:
    """Transient failures are retried up to max_attempts, then QA_UNAVAILABLE escalates."""
    with ScriptedReviewer([transient("rate_limited")] * 2) as scripted:
        decision = await guard(scripted, max_attempts=2).acheck(conversation(), draft())
    assert decision.action is Action.escalate
    (finding,) = decision.findings
    assert finding.code is Code.QA_UNAVAILABLE
    assert finding.evidence == {
        "reason": "rate_limited",
        "attempts": 2,
        "provider": "scripted",
        "model": "scripted-reviewer",
    }


async def test_malformed_output_is_retried_exactly_once() -> None:
    """Two malformed answers in a row end the review (no third call) as QA_UNAVAILABLE,
    even with attempts to spare."""
    steps: list[Any] = [{"verdict": "approve"}, "not json at all"]
    with ScriptedReviewer(steps) as scripted:
        decision = await guard(scripted, max_attempts=5).acheck(conversation(), draft())
    (finding,) = decision.findings
    assert finding.evidence["reason"] == "malformed_output" and finding.evidence["attempts"] == 2
    assert decision.action is Action.escalate


async def test_malformed_then_valid_answer_is_used() -> None:
    """One malformed answer followed by a valid one reviews normally."""
    with ScriptedReviewer(['{"verdict": "approve"', answer("escalate")]) as scripted:
        decision = await guard(scripted).acheck(conversation(), draft())
    assert decision.review is not None and decision.review.verdict == "escalate"
    assert Code.QA_REJECTED in decision.codes()


async def test_permanent_failure_is_not_retried() -> None:
    """A non-transient failure (e.g. an auth error) ends the review at once."""
    with ScriptedReviewer([ReviewFailed("auth", "HTTP 401")]) as scripted:
        decision = await guard(scripted, max_attempts=3).acheck(conversation(), draft())
    assert decision.findings[0].evidence["reason"] == "auth"


async def test_approval_contradicting_its_own_claims_is_not_trusted() -> None:
    """An approve that marks a claim INCONSISTENT is treated as malformed output, so it
    cannot release the draft."""
    bad = answer(
        "approve", claims=[{"text": "60 days", "verdict": "INCONSISTENT", "reason": "is 30"}]
    )
    with ScriptedReviewer([bad, bad]) as scripted:
        decision = await guard(scripted).acheck(conversation(), draft())
    assert decision.action is Action.escalate
    assert decision.findings[0].evidence["reason"] == "malformed_output"


async def test_hard_timeout_bounds_the_whole_review_including_retries() -> None:
    """timeout_s bounds every attempt and wait together: a slow reviewer is cut off and
    the decision escalates with reason 'timeout'."""

    async def slow(request: ReviewRequest) -> ReviewAnswer:
        await asyncio.sleep(3600)
        return answer()

    async with asyncio.timeout(30):  # safety net: without the bound this would hang
        decision = await guard(FunctionReviewer(slow), timeout_s=0.2).acheck(
            conversation(), draft()
        )
    assert decision.action is Action.escalate
    assert decision.findings[0].evidence["reason"] == "timeout"


async def test_retry_after_longer_than_the_timeout_gives_up_at_once() -> None:
    """A retry-after hint that would cross timeout_s stops the retries immediately
    instead of sleeping into the timeout."""
    hint = ReviewFailed("rate_limited", transient=True, retry_after=3600.0)
    with ScriptedReviewer([hint]) as scripted:
        async with asyncio.timeout(30):  # safety net: sleeping on the hint would hang
            decision = await guard(scripted, timeout_s=600.0).acheck(conversation(), draft())
    assert decision.findings[0].evidence["reason"] == "rate_limited"


@pytest.mark.parametrize(
    ("author", "reviewer_model"),
    [
        ("reviewer-x", "reviewer-x"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("openai/gpt-4o", "gpt-4o-2024-08-06"),
        ("GPT-4o-latest", "gpt-4o"),
    ],
)
async def test_same_model_is_refused_naming_the_fix(author: str, reviewer_model: str) -> None:
    """A draft written by the reviewer's own model (snapshot dates and provider prefixes
    aside) is not reviewed: QA_UNAVAILABLE (critical, even in deterministic-only mode)
    names the config fix."""
    with ScriptedReviewer([], model=reviewer_model) as scripted:
        layer_guard = guard(scripted, on_unavailable="deterministic_only")
        decision = await layer_guard.acheck(conversation(), draft(model=author))
    (finding,) = decision.findings
    assert finding.code is Code.QA_UNAVAILABLE and finding.severity is Severity.critical
    assert finding.evidence["reason"] == "same_model"
    assert "allow_same_model" in finding.message and "[review] model" in finding.message
    assert decision.action is Action.escalate


async def test_same_model_reviews_when_allowed() -> None:
    """allow_same_model = true lets a model review its own draft."""
    with ScriptedReviewer([answer("approve")], model="agent-model-1") as scripted:
        decision = await guard(scripted, allow_same_model=True).acheck(conversation(), draft())
    assert decision.action is Action.release


async def test_same_provider_is_only_a_warning_with_ids(caplog: pytest.LogCaptureFixture) -> None:
    """A draft from the reviewer's provider is reviewed, with one warning that carries ids
    and model names but no customer or draft text."""

    class ClaudeReviewer(ScriptedReviewer):
        provider = "anthropic"

    caplog.set_level(logging.INFO, logger="guardrail.review")
    with ClaudeReviewer([answer(), answer()], model="claude-opus-4-1") as scripted:
        g = guard(scripted)
        for _ in range(2):
            d = await g.acheck(conversation(SECRET), draft(SECRET, model="claude-haiku-4-5"))
            assert d.action is Action.release
    warnings = [r for r in caplog.records if "review_same_provider" in r.getMessage()]
    assert len(warnings) == 1 and "claude-haiku-4-5" in warnings[0].getMessage()
    assert SECRET not in caplog.text


async def test_logs_never_carry_customer_or_draft_text(caplog: pytest.LogCaptureFixture) -> None:
    """Retry, failure and verdict logs carry ids and reasons, never the conversation."""
    caplog.set_level(logging.DEBUG)
    steps: list[Any] = [transient(), f'{{"x": "{SECRET}"}}', ReviewFailed("auth")]
    with ScriptedReviewer(steps) as scripted:
        await guard(scripted).acheck(conversation(SECRET), draft(SECRET))
    with ScriptedReviewer([answer("escalate")]) as scripted:
        await guard(scripted).acheck(conversation(SECRET), draft(SECRET))
    assert "review_retry" in caplog.text and "review_unavailable" in caplog.text
    assert "review_done" in caplog.text
    assert SECRET not in caplog.text


async def test_programming_errors_are_not_swallowed_by_the_layer() -> None:
    """The layer catches only review failures: a bug in a reviewer reaches the pipeline's
    one fail-closed boundary (LAYER_ERROR, escalate) rather than a QA finding."""

    def broken(request: ReviewRequest) -> ReviewAnswer:
        raise KeyError("bug")

    decision = await guard(FunctionReviewer(broken)).acheck(conversation(), draft())
    assert decision.action is Action.escalate
    assert [f.code for f in decision.findings] == [Code.LAYER_ERROR]


async def test_function_reviewer_sees_the_request_and_may_return_a_dict() -> None:
    """FunctionReviewer passes the ReviewRequest and validates a plain dict answer."""
    seen: list[ReviewRequest] = []

    async def judge(request: ReviewRequest) -> dict[str, object]:
        seen.append(request)
        return {"verdict": "escalate", "reasoning": "no", "claims": [], "rewrite": None}

    decision = await guard(FunctionReviewer(judge)).acheck(conversation("hello"), draft())
    assert decision.review is not None and decision.review.provider == "function"
    assert seen[0].conversation.messages[0].text == "hello"


def test_layer_rejects_nonsense_settings() -> None:
    """A non-positive timeout or zero attempts is refused when the layer is built."""
    with pytest.raises(ValueError, match="timeout_s"):
        ReviewLayer(ScriptedReviewer([]), timeout_s=0)
    with pytest.raises(ValueError, match="max_attempts"):
        ReviewLayer(ScriptedReviewer([]), max_attempts=0)


def test_malformed_review_messages_do_not_echo_the_answer() -> None:
    """MalformedReview names where the answer broke the schema, not what it said."""
    from guardrail.review._prompt import parse_answer

    with pytest.raises(MalformedReview) as info:
        parse_answer({"verdict": SECRET, "reasoning": SECRET})
    assert SECRET not in str(info.value) and "verdict" in str(info.value)
