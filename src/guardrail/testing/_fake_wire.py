"""The fake provider's script steps and the two wire formats it speaks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 429: "Too Many Requests"}

__all__ = ["ReceivedRequest", "Step", "completion", "error_body", "head", "tool_name"]

Kind = Literal["answer", "status", "hang", "non_json", "prose", "truncated"]


@dataclass(frozen=True)
class Step:
    """What the fake server does with one request. Build with the class methods."""

    kind: Kind
    latency: float = 0.0
    payload: Any = None
    status: int = 200
    retry_after: float | None = None
    as_text: bool = False
    usage: tuple[int, int] = (1200, 150)

    @classmethod
    def answer(
        cls,
        verdict: str = "approve",
        *,
        reasoning: str = "All claims match the policy facts in force.",
        claims: list[dict[str, str]] | None = None,
        rewrite: str | None = None,
        latency: float = 0.0,
        as_text: bool = False,
    ) -> Step:
        """A valid answer, as the tool call's arguments (or as message text)."""
        payload = {
            "verdict": verdict,
            "reasoning": reasoning,
            "claims": claims or [],
            "rewrite": rewrite,
        }
        return cls("answer", latency=latency, payload=payload, as_text=as_text)

    @classmethod
    def invalid(cls, payload: Any, *, latency: float = 0.0, as_text: bool = False) -> Step:
        """A well-formed response whose answer is ``payload`` (e.g. schema-violating)."""
        return cls("answer", latency=latency, payload=payload, as_text=as_text)

    @classmethod
    def rate_limited(cls, retry_after: float | None = 0.05, *, latency: float = 0.0) -> Step:
        """HTTP 429 with a ``retry-after`` header (seconds; none when None)."""
        return cls("status", latency=latency, status=429, retry_after=retry_after)

    @classmethod
    def server_error(
        cls, status: int = 500, *, retry_after: float | None = None, latency: float = 0.0
    ) -> Step:
        """An HTTP error status (5xx by default; 529 is Anthropic's overloaded), with a
        ``retry-after`` header when given."""
        return cls("status", latency=latency, status=status, retry_after=retry_after)

    @classmethod
    def hang(cls) -> Step:
        """Accept the request and never answer."""
        return cls("hang")

    @classmethod
    def non_json(cls, *, latency: float = 0.0) -> Step:
        """HTTP 200 whose body is not JSON at all (an HTML error page)."""
        return cls("non_json", latency=latency)

    @classmethod
    def prose(cls, text: str = "Looks fine to me!", *, latency: float = 0.0) -> Step:
        """A well-formed response in which the model wrote prose instead of the answer."""
        return cls("prose", latency=latency, payload=text)

    @classmethod
    def truncated(cls, *, latency: float = 0.0) -> Step:
        """HTTP 200 that promises a body and closes the connection halfway through it."""
        return cls("truncated", latency=latency)


@dataclass(frozen=True)
class ReceivedRequest:
    """One request the fake server received."""

    provider: Literal["anthropic", "openai", "unknown"]
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def prompt_text(self) -> str:
        """Every system and message text of the request, joined."""
        parts: list[str] = []
        system = self.body.get("system")
        if isinstance(system, str):
            parts.append(system)
        for message in self.body.get("messages") or []:
            content = message.get("content") if isinstance(message, dict) else None
            if isinstance(content, str):
                parts.append(content)
            elif isinstance(content, list):
                parts += [c.get("text", "") for c in content if isinstance(c, dict)]
        return "\n".join(parts)

    def message(self, role: str) -> str:
        """The text of the first message with ``role`` (``system`` reads Anthropic's
        top-level ``system`` too)."""
        if role == "system" and isinstance(self.body.get("system"), str):
            return str(self.body["system"])
        for message in self.body.get("messages") or []:
            if isinstance(message, dict) and message.get("role") == role:
                return str(message.get("content"))
        return ""


def completion(
    provider: str, body: dict[str, Any], step: Step, prose: str | None, n: int
) -> dict[str, Any]:
    """The provider's success body carrying ``step``'s answer (or ``prose`` as text)."""
    model = str(body.get("model", "fake-model"))
    tool = tool_name(body)
    answer = json.dumps(step.payload)
    text = prose if prose is not None else answer if step.as_text else None
    if provider == "anthropic":
        content: dict[str, Any] = (
            {"type": "text", "text": text}
            if text is not None
            else {"type": "tool_use", "id": f"toolu_{n}", "name": tool, "input": step.payload}
        )
        return {
            "id": f"msg_fake_{n}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [content],
            "stop_reason": "end_turn" if text is not None else "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": step.usage[0], "output_tokens": step.usage[1]},
        }
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if text is None:
        message["tool_calls"] = [
            {
                "id": f"call_{n}",
                "type": "function",
                "function": {"name": tool, "arguments": answer},
            }
        ]
    return {
        "id": f"chatcmpl-fake-{n}",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "stop" if text is not None else "tool_calls",
            }
        ],
        "usage": {
            "prompt_tokens": step.usage[0],
            "completion_tokens": step.usage[1],
            "total_tokens": sum(step.usage),
        },
    }


def head(status: int, length: int, content_type: str, extra: dict[str, str] | None = None) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}",
        f"content-type: {content_type}",
        f"content-length: {length}",
        "connection: keep-alive",
        *(f"{k}: {v}" for k, v in (extra or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def error_body(provider: str, kind: str, message: str) -> dict[str, Any]:
    if provider == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"type": kind, "message": message, "code": None, "param": None}}


def tool_name(body: dict[str, Any]) -> str:
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = choice.get("name") or (choice.get("function") or {}).get("name")
        if isinstance(name, str):
            return name
    for tool in body.get("tools") or []:
        if isinstance(tool, dict):
            name = tool.get("name") or (tool.get("function") or {}).get("name")
            if isinstance(name, str):
                return name
    return "submit_review"
