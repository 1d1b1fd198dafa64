"""``AnthropicReviewer``: the Messages API, answer requested through a forced tool call."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any, ClassVar

import anthropic
import httpx2
from pydantic import ValidationError

from ..models import Usage
from ._errors import MalformedReview
from ._prompt import ANSWER_SCHEMA, TOOL_DESCRIPTION, TOOL_NAME, parse_answer
from ._protocol import ReviewReply, ReviewRequest
from ._sdk import SDKReviewer, Wire

__all__ = ["AnthropicReviewer"]


class _Block(Wire):
    type: str
    name: str | None = None
    input: Any = None
    text: str | None = None


class _Usage(Wire):
    input_tokens: int = 0
    output_tokens: int = 0


class _Message(Wire):
    content: list[_Block]
    usage: _Usage = _Usage()
    model: str | None = None


#: The Messages API response as the gate reads it (shared with the eval judge).
MessagesResponse = _Message


_TOOLS = [{"name": TOOL_NAME, "description": TOOL_DESCRIPTION, "input_schema": ANSWER_SCHEMA}]
_TOOL_CHOICE = {"type": "tool", "name": TOOL_NAME}


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


#: what follows the user turn in every request body
_TAIL = f'}}],"tools":{_json(_TOOLS)},"tool_choice":{_json(_TOOL_CHOICE)}}}'


class AnthropicReviewer(SDKReviewer[anthropic.AsyncAnthropic]):
    """Reviews with a Claude model through the official ``anthropic`` SDK (retries off:
    the review layer's one retry policy owns them)."""

    provider = "anthropic"
    api = "the Messages API"
    sdk: ClassVar[ModuleType] = anthropic
    client_class = anthropic.AsyncAnthropic

    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout_s: float = 10.0,
        max_tokens: int = 2048,
    ) -> None:
        super().__init__(model, api_key=api_key, base_url=base_url, timeout_s=timeout_s)
        self.max_tokens = max_tokens

    def _body(self, request: ReviewRequest) -> bytes:
        """The JSON of ``{"model", "max_tokens", "system", "messages", "tools",
        "tool_choice"}`` (compact, UTF-8), byte for byte; the constant tail — the answer
        schema — is serialised once, at import, not once per review."""
        return "".join(
            (
                '{"model":',
                _json(self.model),
                ',"max_tokens":',
                _json(self.max_tokens),
                ',"system":',
                _json(request.system),
                ',"messages":[{"role":"user","content":',
                _json(request.prompt),
                _TAIL,
            )
        ).encode()

    async def review(self, request: ReviewRequest) -> ReviewReply:
        try:
            async with self._clients.lease() as client:
                # the body serialised once here, not walked and deep-copied by
                # ``messages.create`` (~0.5 ms of CPU per review; the same request)
                response = await client.post(
                    "/v1/messages", cast_to=httpx2.Response, content=self._body(request)
                )
        except anthropic.AnthropicError as exc:
            raise self.translate(exc) from exc
        try:
            message = _Message.model_validate_json(response.content)
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


def _answer_of(message: _Message) -> object:
    for block in message.content:
        if block.type == "tool_use" and block.name == TOOL_NAME:
            return block.input
    text = "".join(b.text or "" for b in message.content if b.type == "text")
    if not text.strip():
        raise MalformedReview("the response has neither the tool call nor text")
    return text
