"""What the two SDK reviewers share: the client pool and its construction (retries off:
the review layer's one retry policy owns them; one TLS context; the platform resolved
once), and the translation of SDK exceptions into review failures. Both official SDKs
expose the same exception family (``APIStatusError``, ``APITimeoutError``, …)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from ._clients import ClientPool, preset_platform, resolve_platform, shared_ssl_context
from ._errors import MalformedReview, ReviewFailed
from ._transport import status_failure

__all__ = ["SDKReviewer", "Wire"]

C = TypeVar("C")


class Wire(BaseModel):
    """Base of the response-body models each reviewer parses (unknown keys ignored)."""

    model_config = ConfigDict(extra="ignore")


class SDKReviewer(Generic[C]):
    """A reviewer over one official SDK: a subclass names the SDK module (``sdk``), its
    async client class, the API it calls, and implements ``review``."""

    provider: ClassVar[str]
    api: ClassVar[str]
    sdk: ClassVar[ModuleType]
    client_class: ClassVar[Callable[..., Any]]

    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.model = model
        self._api_key = api_key
        self._base_url = base_url
        self._timeout_s = timeout_s
        self._platform = resolve_platform(self.provider)
        self._clients: ClientPool[C] = ClientPool(self._client, _close)

    def _client(self) -> C:
        client: C = type(self).client_class(
            api_key=self._api_key,
            base_url=self._base_url,
            timeout=self._timeout_s,
            max_retries=0,
            http_client=self.sdk.DefaultAsyncHttpxClient(verify=shared_ssl_context()),
        )
        preset_platform(client, self._platform)
        return client

    def translate(self, exc: Exception) -> ReviewFailed:
        """An SDK exception as a review failure (transient ones are retried)."""
        sdk = self.sdk
        if isinstance(exc, sdk.APIStatusError):
            return status_failure(exc.status_code, exc.response.headers)
        if isinstance(exc, sdk.APIResponseValidationError):
            return MalformedReview(f"the response did not match {self.api}")
        if isinstance(exc, sdk.APITimeoutError):
            return ReviewFailed("attempt_timeout", "one attempt timed out", transient=True)
        if isinstance(exc, sdk.APIConnectionError):
            return ReviewFailed("connection_error", "could not reach the provider", transient=True)
        return ReviewFailed("client_error", f"{self.provider} SDK: {type(exc).__name__}")

    async def aclose(self) -> None:
        await self._clients.aclose()


async def _close(client: Any) -> None:
    await client.close()
