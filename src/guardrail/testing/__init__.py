"""Fakes and assertions for guardrail users' own tests (and ours).

* ``ScriptedReviewer`` — a strict scripted QA reviewer: fails if called more or fewer
  times than scripted; ``answer(...)`` builds a scripted step.
* ``FunctionReviewer(fn)`` — the reviewer is just a function.
* ``FakeProvider`` — a loopback server speaking the Anthropic Messages and OpenAI Chat
  Completions wire formats, scripted per request with a verdict, a latency or a fault;
  point the real SDKs at it with ``base_url``.
* ``assert_tool_blocked`` / ``assert_tool_allowed`` / ``check_tool_call`` — run a tool call
  through the real gate and fail with the violations (also pytest fixtures, via the
  ``guardrail`` pytest plugin).
* ``no_network()`` / ``NetworkBlocked`` — refuse every connection but loopback (also the
  opt-in pytest fixture ``guardrail_no_network``).

Imports are lazy so that the pytest plugin does not load the provider SDKs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._fake_provider import FakeProvider
    from ._fake_wire import ReceivedRequest, Step
    from ._network import NetworkBlocked, no_network
    from ._reviewers import FunctionReviewer, ScriptedReviewer, ScriptExhausted, answer
    from ._tools import assert_tool_allowed, assert_tool_blocked, check_tool_call

_WHERE = {
    "FakeProvider": "_fake_provider",
    "ReceivedRequest": "_fake_wire",
    "Step": "_fake_wire",
    "FunctionReviewer": "_reviewers",
    "NetworkBlocked": "_network",
    "no_network": "_network",
    "ScriptExhausted": "_reviewers",
    "ScriptedReviewer": "_reviewers",
    "answer": "_reviewers",
    "assert_tool_allowed": "_tools",
    "assert_tool_blocked": "_tools",
    "check_tool_call": "_tools",
}

__all__ = [
    "FakeProvider",
    "FunctionReviewer",
    "NetworkBlocked",
    "ReceivedRequest",
    "ScriptExhausted",
    "ScriptedReviewer",
    "Step",
    "answer",
    "assert_tool_allowed",
    "assert_tool_blocked",
    "check_tool_call",
    "no_network",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
