"""A QA reviewer (``guardrail.review``) used as the sampler's judge (``guardrail sample``).

An entry point beside ``_build``: it ties a layer (review) to the sampler, which itself
imports no layer.

The sampled record is rebuilt as a conversation and a draft (redacted text, the cited
sources) and reviewed with the same fenced prompt the gate uses, which shows the judge
each source as cited *and* as in force at ``as_of``, plus the golden-set facts then in
force; the answer's per-claim verdicts are the judge's verdicts. Transient failures are
retried under the one retry policy within the reviewer's timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from ._retry import retry_call
from .config import TenantConfig
from .errors import ConfigError
from .knowledge import Knowledge
from .layers import CheckContext
from .models import ClaimVerdict, Conversation, Draft, Message, Role, SourceRef
from .review import Reviewer, ReviewFailed, build_reviewer
from .review._prompt import build_request
from .sampler import SampleCase

__all__ = ["ReviewerJudge", "judge_from_config"]


class ReviewerJudge:
    """Adapts a :class:`~guardrail.review.Reviewer` to the sampler's ``Judge``."""

    def __init__(
        self,
        reviewer: Reviewer,
        knowledge: Knowledge,
        *,
        timeout_s: float = 30.0,
        max_attempts: int = 3,
    ) -> None:
        self.reviewer = reviewer
        self.knowledge = knowledge
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts

    @property
    def model(self) -> str:
        return self.reviewer.model

    def context(self, case: SampleCase) -> CheckContext:
        """The record as the review prompt's inputs."""
        conversation = Conversation(
            tenant=case.tenant,
            id=f"sample-{case.audit_id}",
            as_of=case.as_of,
            intent=case.intent,
            messages=[Message(role=Role.customer, text=t) for t in case.question],
        )
        draft = Draft(
            text=case.response,
            sources=[
                SourceRef(id=s.id, version=s.cited_version, text=s.cited_text or s.text)
                for s in case.sources
            ],
            model=case.generator_model,
        )
        return CheckContext(conversation, draft, self.knowledge, case.audit_id)

    async def judge(self, case: SampleCase) -> Sequence[ClaimVerdict]:
        request = build_request(self.context(case))

        def transient(exc: BaseException) -> bool:
            return isinstance(exc, ReviewFailed) and exc.transient

        def hint(exc: BaseException) -> float | None:
            return exc.retry_after if isinstance(exc, ReviewFailed) else None

        async with asyncio.timeout(self.timeout_s):
            reply, _ = await retry_call(
                lambda: self.reviewer.review(request),
                max_attempts=self.max_attempts,
                deadline_s=self.timeout_s,
                is_transient=transient,
                retry_after=hint,
            )
        return list(reply.answer.claims)

    async def aclose(self) -> None:
        await self.reviewer.aclose()


def judge_from_config(config: TenantConfig, knowledge: Knowledge) -> ReviewerJudge:
    """The judge ``[audit] judge_*`` names, falling back key by key to ``[review]``."""
    audit, review = config.audit, config.review
    overrides: dict[str, str | None] = {
        key: value
        for key, value in {
            "provider": audit.judge_provider,
            "model": audit.judge_model,
            "base_url": audit.judge_base_url,
            "api_key_env": audit.judge_api_key_env,
        }.items()
        if value is not None
    }
    if audit.judge_provider is not None and audit.judge_provider != review.provider:
        overrides.setdefault("base_url", None)
        overrides.setdefault("api_key_env", None)
    chosen = review.model_copy(update=overrides)
    if chosen.provider == "none":
        raise ConfigError(
            "no judge for the sampler: set [audit] judge_provider and judge_model (or a "
            "[review] provider), or pass --judge MODULE:NAME"
        )
    try:
        reviewer = build_reviewer(chosen)
    except ConfigError as exc:
        raise ConfigError(f"the sampler's judge ([audit] judge_* over [review]): {exc}") from None
    if reviewer is None:  # pragma: no cover - provider "none" was refused above
        raise ConfigError("[audit] judge: no reviewer is configured")
    return ReviewerJudge(
        reviewer, knowledge, timeout_s=chosen.timeout_s, max_attempts=chosen.max_attempts
    )
