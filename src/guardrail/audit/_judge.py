"""A QA reviewer (``guardrail.review``) used as the sampler's judge.

The sampled record is rebuilt as a conversation and a draft (redacted text, the cited
sources) and reviewed with the same fenced prompt the gate uses, which shows the judge
each source as cited *and* as in force at ``as_of``, plus the golden-set facts then in
force; the answer's per-claim verdicts are the judge's verdicts. Transient failures are
retried under the one retry policy within the reviewer's timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._retry import retry_call
from ..errors import ConfigError
from ..knowledge import Knowledge
from ..layers import CheckContext
from ..models import ClaimVerdict, Conversation, Draft, Message, Role, SourceRef
from ._sampler import SampleCase

if TYPE_CHECKING:
    from ..config import TenantConfig
    from ..review import Reviewer


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
        from ..review import ReviewFailed, build_request

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
    from ..review import ReviewLayer, build_review_layer

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
        layer = build_review_layer(chosen, knowledge)
    except ConfigError as exc:
        raise ConfigError(f"the sampler's judge ([audit] judge_* over [review]): {exc}") from None
    if not isinstance(layer, ReviewLayer):  # pragma: no cover - build_review_layer's contract
        raise ConfigError("[audit] judge: the configured reviewer cannot act as a judge")
    return ReviewerJudge(
        layer.reviewer, knowledge, timeout_s=chosen.timeout_s, max_attempts=chosen.max_attempts
    )
