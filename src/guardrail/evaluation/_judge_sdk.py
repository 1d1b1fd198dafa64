"""The SDK judges: the same client construction and error translation as the QA
reviewers (``guardrail.review._sdk.SDKReviewer``), a different forced tool.

Per request they hand the SDK the body already serialised (``content=``), so the SDK
neither deep-copies nor re-serialises the tool schema each time, and they lease from a
pool of clients carrying at most :data:`PER_CLIENT` requests each (httpcore scans every
connection of a client on every request: at 32 in flight on one client that scan is a
third of the SDK's CPU).
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any, ClassVar

import anthropic
import httpx2
import openai
from pydantic import ValidationError

from ..models import Usage
from ..review._anthropic import MessagesResponse
from ..review._clients import ClientPool
from ..review._errors import MalformedReview, ReviewFailed
from ..review._openai import ChatCompletion, ChatUsage
from ..review._sdk import SDKReviewer
from ._scores import JUDGE_SCHEMA, JUDGE_TOOL, InvalidScores, JudgeReply, parse_scores

__all__ = ["PER_CLIENT", "AnthropicJudge", "OpenAIJudge"]

_DESCRIPTION = "Submit the scores for every dimension."
#: Requests in flight per SDK client before the pool opens another client.
PER_CLIENT = 8


def _body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def _close(client: Any) -> None:
    await client.close()


def _scores(raw: object) -> Any:
    try:
        return parse_scores(raw)
    except InvalidScores as exc:
        raise MalformedReview(f"invalid scores: {exc}") from None


class AnthropicJudge(SDKReviewer[anthropic.AsyncAnthropic]):
    """Scores with a Claude model through the official ``anthropic`` SDK."""

    provider = "anthropic"
    api = "the Messages API"
    sdk: ClassVar[ModuleType] = anthropic
    client_class = anthropic.AsyncAnthropic
    max_tokens = 2048

    def __init__(self, model: str, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        self._clients = ClientPool(self._client, _close, per_client=PER_CLIENT)

    async def score(self, system: str, prompt: str) -> JudgeReply:
        body = _body(
            {
                "model": self.model,
                "max_tokens": self.max_tokens,
                "system": system,
                "messages": [{"role": "user", "content": prompt}],
                "tools": [
                    {"name": JUDGE_TOOL, "description": _DESCRIPTION, "input_schema": JUDGE_SCHEMA}
                ],
                "tool_choice": {"type": "tool", "name": JUDGE_TOOL},
            }
        )
        try:
            async with self._clients.lease() as client:
                response = await client.post("/v1/messages", cast_to=httpx2.Response, content=body)
        except anthropic.AnthropicError as exc:
            raise self.translate(exc) from exc
        try:
            message = MessagesResponse.model_validate_json(response.content)
        except ValidationError:
            raise MalformedReview("the response body is not a Messages API message") from None
        for block in message.content:
            if block.type == "tool_use" and block.name == JUDGE_TOOL:
                usage = Usage(
                    input_tokens=message.usage.input_tokens,
                    output_tokens=message.usage.output_tokens,
                )
                return JudgeReply(_scores(block.input), usage, message.model)
        raise MalformedReview("the response has no submit_scores call")


class OpenAIJudge(SDKReviewer[openai.AsyncOpenAI]):
    """Scores through the official ``openai`` SDK's Chat Completions (any compatible
    server via ``base_url``)."""

    provider = "openai"
    api = "Chat Completions"
    sdk: ClassVar[ModuleType] = openai
    client_class = openai.AsyncOpenAI

    def __init__(self, model: str, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        self._clients = ClientPool(self._client, _close, per_client=PER_CLIENT)

    async def score(self, system: str, prompt: str) -> JudgeReply:
        body = _body(
            {
                "model": self.model,
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": prompt},
                ],
                "tools": [
                    {
                        "type": "function",
                        "function": {
                            "name": JUDGE_TOOL,
                            "description": _DESCRIPTION,
                            "parameters": JUDGE_SCHEMA,
                            "strict": True,
                        },
                    }
                ],
                "tool_choice": {"type": "function", "function": {"name": JUDGE_TOOL}},
            }
        )
        options: openai.RequestOptions = {"security": {"bearer_auth": True}}
        try:
            async with self._clients.lease() as client:
                response = await client.post(
                    "/chat/completions", cast_to=httpx2.Response, content=body, options=options
                )
        except openai.OpenAIError as exc:
            raise self.translate(exc) from exc
        try:
            completion = ChatCompletion.model_validate_json(response.content)
        except ValidationError:
            raise MalformedReview("the response body is not a chat completion") from None
        message = completion.choices[0].message
        usage = completion.usage or ChatUsage()
        for call in message.tool_calls or ():
            if call.function is not None and call.function.name == JUDGE_TOOL:
                return JudgeReply(
                    _scores(call.function.arguments or ""),
                    Usage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens),
                    completion.model,
                )
        if message.refusal:
            raise ReviewFailed("refused", "the judge model refused to score")
        raise MalformedReview("the response has no submit_scores call")
