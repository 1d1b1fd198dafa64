"""``ScriptedCLI``: a scripted stand-in for the Claude Code CLI for offline tests, plugged
in through the SDK's public ``transport=`` parameter. It speaks the CLI's stream-JSON
control protocol (initialize, ``hook_callback`` requests, assistant and result messages)
so the real ``query()`` runs offline, and plays one turn: the proposed tool calls (each
sent to the registered ``PreToolUse`` hooks as the CLI would), then the final reply."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
from claude_agent_sdk import Transport

__all__ = ["ScriptedCLI"]


class ScriptedCLI(Transport):
    """``query(prompt, options=..., transport=ScriptedCLI(tool_calls, reply))``.
    ``tool_calls`` are ``(tool_use_id, tool_name, input)``; ``hook_outputs`` records what
    the SDK answered each ``PreToolUse`` hook request; ``prompts`` what it was sent.
    Every call goes to every registered hook: matchers are the real CLI's job."""

    def __init__(self, tool_calls: list[tuple[str, str, dict[str, Any]]], reply: str) -> None:
        self.tool_calls = tool_calls  # (tool_use_id, tool name, input)
        self.reply = reply
        self.prompts: list[Any] = []
        self.hook_outputs: list[dict[str, Any]] = []
        self._send, self._recv = anyio.create_memory_object_stream[dict[str, Any]](100)
        self._responses: dict[str, Any] = {}
        self._answered = anyio.Event()
        self._hooks: list[str] = []
        self._ready = True
        self._turn: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        return None

    def is_ready(self) -> bool:
        return self._ready

    async def end_input(self) -> None:
        return None

    async def close(self) -> None:
        self._ready = False
        self._send.close()
        self._recv.close()

    async def write(self, data: str) -> None:
        for line in data.splitlines():
            msg = json.loads(line)
            if msg["type"] == "control_request" and msg["request"]["subtype"] == "initialize":
                for matchers in (msg["request"].get("hooks") or {}).get("PreToolUse", []):
                    self._hooks += matchers["hookCallbackIds"]
                await self._respond(msg["request_id"], {"commands": []})
            elif msg["type"] == "control_request":
                await self._respond(msg["request_id"], {})
            elif msg["type"] == "control_response":
                self._responses[msg["response"]["request_id"]] = msg["response"]
                self._answered.set()
            elif msg["type"] == "user":
                self.prompts.append(msg["message"]["content"])
                # the SDK answers hook requests with write(): play the turn concurrently
                self._turn = asyncio.create_task(self._play_turn())

    async def _respond(self, request_id: str, response: dict[str, Any]) -> None:
        await self._send.send(
            {
                "type": "control_response",
                "response": {"subtype": "success", "request_id": request_id, "response": response},
            }
        )

    async def _play_turn(self) -> None:
        for n, (tool_use_id, name, tool_input) in enumerate(self.tool_calls):
            for callback_id in self._hooks:
                request_id = f"hook-{n}-{callback_id}"
                self._answered = anyio.Event()
                await self._send.send(
                    {
                        "type": "control_request",
                        "request_id": request_id,
                        "request": {
                            "subtype": "hook_callback",
                            "callback_id": callback_id,
                            "tool_use_id": tool_use_id,
                            "input": {
                                "session_id": "s1",
                                "transcript_path": "/dev/null",
                                "cwd": "/",
                                "hook_event_name": "PreToolUse",
                                "tool_name": name,
                                "tool_input": tool_input,
                                "tool_use_id": tool_use_id,
                            },
                        },
                    }
                )
                while request_id not in self._responses:
                    await self._answered.wait()
                    self._answered = anyio.Event()
                self.hook_outputs.append(self._responses[request_id]["response"])
        await self._send.send(
            {
                "type": "assistant",
                "message": {"content": [{"type": "text", "text": self.reply}], "model": "m"},
                "parent_tool_use_id": None,
            }
        )
        await self._send.send(
            {
                "type": "result",
                "subtype": "success",
                "duration_ms": 1,
                "duration_api_ms": 1,
                "is_error": False,
                "num_turns": 1,
                "session_id": "s1",
                "result": self.reply,
            }
        )
        self._send.close()  # one turn: the CLI exits after its result

    async def read_messages(self) -> AsyncIterator[dict[str, Any]]:
        async for msg in self._recv:
            yield msg
