"""What an HTTP failure means for the retry policy — one table for both providers."""

from __future__ import annotations

from collections.abc import Mapping

from .._retry import retry_after_seconds, transient_status
from ._errors import ReviewFailed

__all__ = ["retry_after", "status_failure"]

#: The server's hint in seconds (one reader for every HTTP caller; see ``guardrail._retry``).
retry_after = retry_after_seconds


def status_failure(status: int, headers: Mapping[str, str]) -> ReviewFailed:
    """The failure an HTTP error status stands for."""
    hint = retry_after(headers)
    if status == 429:
        return ReviewFailed(
            "rate_limited", "HTTP 429", transient=True, retry_after=hint, status=status
        )
    if transient_status(status):
        return ReviewFailed(
            "server_error", f"HTTP {status}", transient=True, retry_after=hint, status=status
        )
    if status in (401, 403):
        return ReviewFailed("auth", f"HTTP {status}: check the API key", status=status)
    return ReviewFailed(
        "rejected", f"HTTP {status}: the provider refused the request", status=status
    )
