"""``ReviewLayer``: runs one reviewer under the hard timeout and the one retry policy,
and turns every outcome into data — a Review and findings, never an exception the
reviewer anticipated.

* approve → no finding; rewrite → ``QA_REWRITE``; escalate → ``QA_REJECTED``.
* transient failures (429 honouring ``retry-after``, 5xx, connection errors) are retried
  up to ``max_attempts`` within ``timeout_s``; malformed output is retried once; then
  ``QA_UNAVAILABLE`` — critical (escalate), or minor when the tenant configured
  ``on_unavailable = "deterministic_only"`` so the deterministic verdict stands.
* a draft written by the reviewer's own model is refused (``QA_UNAVAILABLE``, critical,
  naming the config fix) unless ``allow_same_model``; the same provider is only logged.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from .._log import get_logger
from .._retry import retry_call
from ..layers import CheckContext, LayerResult
from ..models import Code, Finding, LayerName, Review, Severity
from ._errors import MalformedReview, ReviewFailed
from ._prompt import build_request
from ._protocol import Reviewer, ReviewReply

__all__ = ["ReviewLayer", "model_family", "provider_of"]

log = get_logger("guardrail.review")

OnUnavailable = Literal["escalate", "deterministic_only"]

_SNAPSHOT = re.compile(r"[-@](\d{8}|\d{4}-\d{2}-\d{2})$")


def model_family(name: str) -> str:
    """A model name without provider prefix, ``-latest`` or a snapshot date, so that
    ``openai/gpt-4o-2024-08-06`` and ``gpt-4o`` compare equal."""
    base = name.strip().lower().rsplit("/", 1)[-1]
    return _SNAPSHOT.sub("", base.removesuffix("-latest"))


def provider_of(model: str) -> str | None:
    """The provider a model name belongs to, when it is recognisable."""
    base = model.strip().lower().rsplit("/", 1)[-1]
    if "claude" in base:
        return "anthropic"
    if base.startswith(("gpt-", "gpt4", "chatgpt", "o1", "o3", "o4")):
        return "openai"
    return None


def _replay(
    failed: Exception, attempt: Callable[[], Awaitable[ReviewReply]]
) -> Callable[[], Awaitable[ReviewReply]]:
    """``attempt`` for the retry policy, whose first call re-raises the first attempt's
    exception (that attempt already ran) and whose later calls are real attempts."""
    pending: list[Exception] = [failed]

    async def call() -> ReviewReply:
        if pending:
            raise pending.pop()
        return await attempt()

    return call


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, ReviewFailed) and exc.transient


def _hint(exc: BaseException) -> float | None:
    return exc.retry_after if isinstance(exc, ReviewFailed) else None


class ReviewLayer:
    """Layer 2 of the gate: the QA review of a draft by a second model."""

    name = LayerName.review

    def __init__(
        self,
        reviewer: Reviewer,
        *,
        timeout_s: float = 10.0,
        max_attempts: int = 3,
        on_unavailable: OnUnavailable = "escalate",
        allow_same_model: bool = False,
    ) -> None:
        if timeout_s <= 0 or max_attempts < 1:
            raise ValueError("timeout_s must be > 0 and max_attempts >= 1")
        self.reviewer = reviewer
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.on_unavailable: OnUnavailable = on_unavailable
        self.allow_same_model = allow_same_model
        self._warned: set[str] = set()

    async def run(self, ctx: CheckContext) -> LayerResult:
        started = time.perf_counter()
        refused = self._check_author(ctx)
        if refused is not None:
            return LayerResult(findings=(refused,))
        request = build_request(ctx)
        attempts = malformed = 0

        async def attempt() -> ReviewReply:
            nonlocal attempts, malformed
            attempts += 1
            try:
                reply = await self.reviewer.review(request)
                _check_coherent(reply)
                return reply
            except MalformedReview as exc:
                malformed += 1
                if malformed > 1:  # retried once already
                    raise ReviewFailed("malformed_output", str(exc)) from exc
                raise

        def on_retry(number: int, exc: BaseException) -> None:
            log.info(
                "review_retry",
                audit_id=ctx.audit_id,
                attempt=number,
                reason=getattr(exc, "reason", type(exc).__name__),
            )

        try:
            async with asyncio.timeout(self.timeout_s):
                first = time.monotonic()
                try:
                    # The first attempt runs bare: entering tenacity costs ~0.1 ms of CPU,
                    # and most reviews succeed at once. retry_call would cut this attempt
                    # off at its own deadline, which starts after (so falls after) the
                    # one this ``asyncio.timeout`` enforces: nothing is lost.
                    reply = await attempt()
                except Exception as exc:
                    # A failed first attempt: hand it to the one retry policy as its own
                    # attempt 1 (replayed, not re-run), with the deadline it would have had.
                    spent = time.monotonic() - first
                    reply, _ = await retry_call(
                        _replay(exc, attempt),
                        max_attempts=self.max_attempts,
                        deadline_s=self.timeout_s - spent,
                        is_transient=_is_transient,
                        retry_after=_hint,
                        on_retry=on_retry,
                    )
        except TimeoutError:
            why = f"no valid answer within timeout_s = {self.timeout_s:g}"
            return LayerResult(findings=(self._unavailable(ctx, "timeout", attempts, why),))
        except ReviewFailed as exc:
            return LayerResult(findings=(self._unavailable(ctx, exc.reason, attempts, str(exc)),))
        return self._result(ctx, reply, attempts, started)

    async def aclose(self) -> None:
        """Close the reviewer's connections in the running event loop."""
        await self.reviewer.aclose()

    # -- outcomes -------------------------------------------------------------------

    def _result(
        self, ctx: CheckContext, reply: ReviewReply, attempts: int, started: float
    ) -> LayerResult:
        answer = reply.answer
        model = reply.model or self.reviewer.model
        review = Review(
            verdict=answer.verdict,
            reasoning=answer.reasoning,
            claims=list(answer.claims),
            rewrite=answer.rewrite,
            model=model,
            provider=self.reviewer.provider,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            usage=reply.usage,
            attempts=attempts,
        )
        evidence: dict[str, Any] = {
            "provider": self.reviewer.provider,
            "model": model,
            "inconsistent_claims": sum(c.verdict == "INCONSISTENT" for c in answer.claims),
        }
        findings: tuple[Finding, ...] = ()
        if answer.verdict == "escalate":
            findings = (
                Finding.of(
                    LayerName.review,
                    Code.QA_REJECTED,
                    f"the QA reviewer escalated: {_clip(answer.reasoning)}",
                    **evidence,
                ),
            )
        elif answer.verdict == "rewrite":
            offered = "" if answer.rewrite else " (it offered no replacement text)"
            findings = (
                Finding.of(
                    LayerName.review,
                    Code.QA_REWRITE,
                    f"the QA reviewer asked for a rewrite{offered}: {_clip(answer.reasoning)}",
                    has_rewrite=bool(answer.rewrite),
                    **evidence,
                ),
            )
        log.info(
            "review_done",
            audit_id=ctx.audit_id,
            conversation_id=ctx.conversation.id,
            provider=self.reviewer.provider,
            model=model,
            verdict=answer.verdict,
            attempts=attempts,
            latency_ms=round(review.latency_ms, 3),
        )
        return LayerResult(findings=findings, review=review)

    def _unavailable(self, ctx: CheckContext, reason: str, attempts: int, detail: str) -> Finding:
        deterministic_only = self.on_unavailable == "deterministic_only"
        then = (
            "releasing on the deterministic verdict (on_unavailable = deterministic_only)"
            if deterministic_only
            else "escalating rather than releasing unreviewed"
        )
        log.warning(
            "review_unavailable",
            audit_id=ctx.audit_id,
            conversation_id=ctx.conversation.id,
            provider=self.reviewer.provider,
            reason=reason,
            attempts=attempts,
        )
        return Finding.of(
            LayerName.review,
            Code.QA_UNAVAILABLE,
            f"QA review unavailable ({reason} after {attempts} attempt(s): {detail}); {then}",
            severity=Severity.minor if deterministic_only else None,
            reason=reason,
            attempts=attempts,
            provider=self.reviewer.provider,
            model=self.reviewer.model,
        )

    def _check_author(self, ctx: CheckContext) -> Finding | None:
        """Refuse to let a model review its own draft; warn when one provider does both."""
        author = ctx.draft.model
        if not author:
            return None
        if not self.allow_same_model and model_family(author) == model_family(self.reviewer.model):
            log.warning(
                "review_same_model",
                audit_id=ctx.audit_id,
                conversation_id=ctx.conversation.id,
                model=self.reviewer.model,
            )
            return Finding.of(
                LayerName.review,
                Code.QA_UNAVAILABLE,
                f"the reviewer model {self.reviewer.model!r} wrote this draft and may not "
                "review it: set [review] model to a different model (ideally another "
                "provider's), or allow_same_model = true to accept self-review",
                reason="same_model",
                attempts=0,
                provider=self.reviewer.provider,
                model=self.reviewer.model,
            )
        if provider_of(author) == self.reviewer.provider and author not in self._warned:
            self._warned.add(author)
            log.warning(
                "review_same_provider",
                audit_id=ctx.audit_id,
                provider=self.reviewer.provider,
                reviewer_model=self.reviewer.model,
                draft_model=author,
            )
        return None


def _check_coherent(reply: ReviewReply) -> None:
    """An approval that calls one of the draft's claims INCONSISTENT contradicts itself:
    treat it as malformed output rather than let the approval through."""
    answer = reply.answer
    if answer.verdict == "approve" and any(c.verdict == "INCONSISTENT" for c in answer.claims):
        raise MalformedReview("the answer approves a draft it marks INCONSISTENT")


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
