"""The reviewer protocol: one attempt at a review, given the fenced prompt.

A :class:`Reviewer` gets a :class:`ReviewRequest` (the structured inputs and the prompt
already rendered with the untrusted material fenced) and returns a :class:`ReviewReply`,
or raises :class:`~guardrail.review.ReviewFailed` (``transient`` for the retry policy).
Retries, the hard timeout and the mapping to findings belong to the review layer, not
to reviewers; any other exception is a bug and reaches the pipeline's fail-closed
boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..knowledge import Fact
from ..models import Conversation, Draft, ReviewAnswer, ToolCallResult, Usage

__all__ = ["ReviewReply", "ReviewRequest", "Reviewer"]


@dataclass(frozen=True)
class ReviewRequest:
    """What one review is about, and the prompt that says it.

    ``system`` holds the reviewer's instructions (trusted); ``prompt`` the user turn, in
    which customer, draft, tool-call and source text sits inside the fence
    ``<untrusted-{nonce}>…</untrusted-{nonce}>`` as JSON."""

    conversation: Conversation
    draft: Draft
    tool_results: tuple[ToolCallResult, ...]
    facts: tuple[Fact, ...]
    sources: tuple[dict[str, Any], ...]
    system: str
    prompt: str
    nonce: str
    audit_id: str = ""

    @property
    def fence(self) -> tuple[str, str]:
        """The opening and closing markers around the untrusted material."""
        return f"<untrusted-{self.nonce}>", f"</untrusted-{self.nonce}>"


@dataclass(frozen=True)
class ReviewReply:
    """A valid answer, with what it cost."""

    answer: ReviewAnswer
    usage: Usage = field(default_factory=Usage)
    model: str | None = None


@runtime_checkable
class Reviewer(Protocol):
    """A second model (or a fake) that reviews one draft per call."""

    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...

    async def review(self, request: ReviewRequest) -> ReviewReply: ...

    async def aclose(self) -> None: ...
