"""What an HTTP failure means for the retry policy — one table for both providers."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping

from ._errors import ReviewFailed

__all__ = ["retry_after", "status_failure"]

#: Retried besides 5xx: request timeout, lock conflict, rate limit (as the SDKs do).
_TRANSIENT = {408, 409, 429}
_MAX_HINT_S = 3600.0


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The server's hint in seconds: ``retry-after-ms``, else ``retry-after`` as seconds
    or as an HTTP date; None when absent or unreadable."""
    try:
        millis = headers.get("retry-after-ms")
        if millis is not None:
            return min(max(float(millis) / 1000.0, 0.0), _MAX_HINT_S)
    except ValueError:
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), _MAX_HINT_S)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return min(max(float(email.utils.mktime_tz(parsed)) - time.time(), 0.0), _MAX_HINT_S)


def status_failure(status: int, headers: Mapping[str, str]) -> ReviewFailed:
    """The failure an HTTP error status stands for."""
    hint = retry_after(headers)
    if status == 429:
        return ReviewFailed(
            "rate_limited", "HTTP 429", transient=True, retry_after=hint, status=status
        )
    if status >= 500 or status in _TRANSIENT:
        return ReviewFailed(
            "server_error", f"HTTP {status}", transient=True, retry_after=hint, status=status
        )
    if status in (401, 403):
        return ReviewFailed("auth", f"HTTP {status}: check the API key", status=status)
    return ReviewFailed(
        "rejected", f"HTTP {status}: the provider refused the request", status=status
    )
