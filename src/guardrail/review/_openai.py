"""``OpenAIReviewer``: Chat Completions (the API every OpenAI-compatible server — vLLM,
Ollama, llama.cpp — speaks), answer requested through a forced strict function call.

The request goes through the official SDK client's own ``post`` (its URL building, auth
headers, timeouts, status errors and connection errors) with a body this module builds,
rather than through ``chat.completions.create``: ``create`` walks the whole body — the
answer schema included — against its TypedDict annotations to transform it, which costs
more CPU than the rest of the request and is the identity for the plain JSON sent here.
The response body is parsed here as well (:class:`_Completion`), not into SDK models.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, ClassVar

import httpx2
import openai
from pydantic import Field, ValidationError

from ..models import Usage
from ._errors import MalformedReview, ReviewFailed
from ._prompt import ANSWER_SCHEMA, TOOL_DESCRIPTION, TOOL_NAME, parse_answer
from ._protocol import ReviewReply, ReviewRequest
from ._sdk import SDKReviewer, Wire

__all__ = ["OpenAIReviewer"]

#: What ``chat.completions.create(tools=..., tool_choice=...)`` sends for the forced
#: strict function call (the SDK copies the body before sending it).
_TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": TOOL_NAME,
            "description": TOOL_DESCRIPTION,
            "parameters": ANSWER_SCHEMA,
            "strict": True,
        },
    }
]
_TOOL_CHOICE: dict[str, Any] = {"type": "function", "function": {"name": TOOL_NAME}}
#: The authentication ``chat.completions.create`` asks the client for (the API key as a
#: bearer token).
_OPTIONS: openai.RequestOptions = {"security": {"bearer_auth": True}}


class _Function(Wire):
    name: str | None = None
    arguments: str | None = None


class _ToolCall(Wire):
    function: _Function | None = None


class _Message(Wire):
    content: str | list[Any] | None = None
    tool_calls: list[_ToolCall] | None = None
    refusal: str | None = None


class _Choice(Wire):
    message: _Message


class _Usage(Wire):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Completion(Wire):
    choices: list[_Choice] = Field(min_length=1)
    usage: _Usage | None = None
    model: str | None = None


#: The Chat Completions response as the gate reads it (shared with the eval judge).
ChatCompletion = _Completion
ChatUsage = _Usage


class OpenAIReviewer(SDKReviewer[openai.AsyncOpenAI]):
    """Reviews through the official ``openai`` SDK's Chat Completions; ``base_url``
    points it at any OpenAI-compatible server (retries off: the review layer owns them)."""

    provider = "openai"
    api = "Chat Completions"
    sdk: ClassVar[ModuleType] = openai
    client_class = openai.AsyncOpenAI

    async def review(self, request: ReviewRequest) -> ReviewReply:
        try:
            async with self._clients.lease() as client:
                response = await client.post(
                    "/chat/completions",
                    cast_to=httpx2.Response,
                    body={
                        "model": self.model,
                        "messages": [
                            {"role": "system", "content": request.system},
                            {"role": "user", "content": request.prompt},
                        ],
                        "tool_choice": _TOOL_CHOICE,
                        "tools": _TOOLS,
                    },
                    options=_OPTIONS,
                )
        except openai.OpenAIError as exc:
            raise self.translate(exc) from exc
        try:
            completion = _Completion.model_validate_json(response.content)
        except ValidationError:
            raise MalformedReview("the response body is not a chat completion") from None
        usage = completion.usage or _Usage()
        return ReviewReply(
            answer=parse_answer(_answer_of(completion.choices[0].message)),
            usage=Usage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens),
            model=completion.model,
        )


def _answer_of(message: _Message) -> object:
    for call in message.tool_calls or ():
        if call.function is not None and call.function.name == TOOL_NAME:
            return call.function.arguments or ""
    if message.refusal:
        raise ReviewFailed("refused", "the reviewer model refused to review")
    content = message.content
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict)]
        content = "".join(p for p in parts if isinstance(p, str))
    if not content or not content.strip():
        raise MalformedReview("the response has neither the function call nor text")
    return content
