"""``AnthropicReviewer``: the Messages API, answer requested through a forced tool call."""

from __future__ import annotations

from typing import Any

import anthropic
from pydantic import BaseModel, ConfigDict, ValidationError

from ..models import Usage
from ._clients import ClientPool, preset_platform, resolve_platform, shared_ssl_context
from ._errors import MalformedReview, ReviewFailed
from ._prompt import ANSWER_SCHEMA, TOOL_DESCRIPTION, TOOL_NAME, parse_answer
from ._protocol import ReviewReply, ReviewRequest
from ._transport import status_failure

__all__ = ["AnthropicReviewer"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Block(_Wire):
    type: str
    name: str | None = None
    input: Any = None
    text: str | None = None


class _Usage(_Wire):
    input_tokens: int = 0
    output_tokens: int = 0


class _Message(_Wire):
    content: list[_Block]
    usage: _Usage = _Usage()
    model: str | None = None


def translate(exc: anthropic.AnthropicError) -> ReviewFailed:
    """An SDK exception as a review failure (transient ones are retried)."""
    if isinstance(exc, anthropic.APIStatusError):
        return status_failure(exc.status_code, exc.response.headers)
    if isinstance(exc, anthropic.APIResponseValidationError):
        return MalformedReview("the response did not match the Messages API")
    if isinstance(exc, anthropic.APITimeoutError):
        return ReviewFailed("attempt_timeout", "one attempt timed out", transient=True)
    if isinstance(exc, anthropic.APIConnectionError):
        return ReviewFailed("connection_error", "could not reach the provider", transient=True)
    return ReviewFailed("client_error", f"anthropic SDK: {type(exc).__name__}")


class AnthropicReviewer:
    """Reviews with a Claude model through the official ``anthropic`` SDK (retries off:
    the review layer's one retry policy owns them)."""

    provider = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 10.0,
        max_tokens: int = 2048,
    ) -> None:
        self.model = model
        self.max_tokens = max_tokens
        self._api_key = api_key
        self._base_url = base_url
        self._timeout_s = timeout_s
        self._platform = resolve_platform("anthropic")
        self._clients: ClientPool[anthropic.AsyncAnthropic] = ClientPool(
            self._client, lambda client: client.close()
        )

    def _client(self) -> anthropic.AsyncAnthropic:
        client = anthropic.AsyncAnthropic(
            api_key=self._api_key,
            base_url=self._base_url,
            timeout=self._timeout_s,
            max_retries=0,
            http_client=anthropic.DefaultAsyncHttpxClient(verify=shared_ssl_context()),
        )
        preset_platform(client, self._platform)
        return client

    async def review(self, request: ReviewRequest) -> ReviewReply:
        try:
            async with self._clients.lease() as client:
                raw = await client.messages.with_raw_response.create(
                    model=self.model,
                    max_tokens=self.max_tokens,
                    system=request.system,
                    messages=[{"role": "user", "content": request.prompt}],
                    tools=[
                        {
                            "name": TOOL_NAME,
                            "description": TOOL_DESCRIPTION,
                            "input_schema": ANSWER_SCHEMA,
                        }
                    ],
                    tool_choice={"type": "tool", "name": TOOL_NAME},
                )
        except anthropic.AnthropicError as exc:
            raise translate(exc) from exc
        try:
            message = _Message.model_validate_json(raw.http_response.content)
        except ValidationError:
            raise MalformedReview("the response body is not a Messages API message") from None
        return ReviewReply(
            answer=parse_answer(_answer_of(message)),
            usage=Usage(
                input_tokens=message.usage.input_tokens,
                output_tokens=message.usage.output_tokens,
            ),
            model=message.model,
        )

    async def aclose(self) -> None:
        await self._clients.aclose()


def _answer_of(message: _Message) -> object:
    for block in message.content:
        if block.type == "tool_use" and block.name == TOOL_NAME:
            return block.input
    text = "".join(b.text or "" for b in message.content if b.type == "text")
    if not text.strip():
        raise MalformedReview("the response has neither the tool call nor text")
    return text
