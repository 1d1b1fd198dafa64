"""How a reviewer says it could not answer. Never escapes ``guardrail.review``: the
review layer turns these into a ``QA_UNAVAILABLE`` finding.

::

    ReviewUnavailable (guardrail.errors)
    └── ReviewFailed        one attempt failed; ``reason`` names why, ``transient`` says
        │                   whether the retry policy may try again, ``retry_after`` is the
        │                   server's hint in seconds
        └── MalformedReview the provider answered, but not with a valid ReviewAnswer
                            (retried once, then QA_UNAVAILABLE)
"""

from __future__ import annotations

from ..errors import ReviewUnavailable

__all__ = ["MalformedReview", "ReviewFailed"]


class ReviewFailed(ReviewUnavailable):
    """One review attempt failed. ``reason`` is a short machine-readable tag
    (``rate_limited``, ``server_error``, ``connection_error``, ``rejected``,
    ``malformed_output`` …); the message never carries customer or draft text."""

    def __init__(
        self,
        reason: str,
        message: str = "",
        *,
        transient: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message or reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after
        self.status = status


class MalformedReview(ReviewFailed):
    """The provider answered with something that is not a valid ReviewAnswer."""

    def __init__(self, message: str) -> None:
        super().__init__("malformed_output", message, transient=True)
