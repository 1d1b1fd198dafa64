"""NeMo Guardrails 0.24.1: an output rail (W1) and a tool-call rail (W2), each a Colang 1.0
subflow that executes a registered Python action; no LLM is configured or called.

* W1: ``await rails.check_async([user, assistant], rail_types=[RailType.OUTPUT])``: the
  ``check policy numbers`` output rail runs ``check_policy_numbers`` on ``$bot_message``;
  a violation makes the flow say its refusal and ``stop``: ``RailStatus.BLOCKED``.
* W2: the assistant message carries the ``refund_order`` tool call and the order arrives
  as a ``context`` message; ``await rails.generate_async(messages, options={"rails":
  ["tool_output"], "log": {"activated_rails": True}})`` runs the ``check refund bound``
  rail (NeMo's rails on the bot's tool calls, before execution); a stopped rail is a block.
  ``check_async`` accepts only input/output rails, hence ``generate_async`` here.

Every flow answers with a predefined bot message, so no generation is needed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from nemoguardrails import LLMRails, RailsConfig
from nemoguardrails.actions import action
from nemoguardrails.rails.llm.options import RailStatus, RailType
from workloads import (
    NOOP_TEXT,
    ORDER,
    REFUND_ARGS,
    REFUND_TOOL,
    W1_EXPECTED,
    W1_QUESTION,
    W1_TEXT,
    W2_EXPECTED,
    W2_QUESTION,
    check_refund,
    check_reply,
    expect,
)

YAML = """
rails:
  output:
    flows:
      - {output_flow}
  tool_output:
    flows:
      - check refund bound
"""
COLANG = """
define subflow check policy numbers
  $violations = execute check_policy_numbers
  if $violations
    bot refuse wrong policy
    stop

define subflow always pass
  $violations = execute always_pass
  if $violations
    bot refuse wrong policy
    stop

define subflow check refund bound
  $reason = execute check_refund_bound
  if $reason
    bot refuse tool call
    stop

define bot refuse wrong policy
  "I can't send that reply."

define bot refuse tool call
  "I can't make that refund."
"""


@action(is_system_action=True)
async def check_policy_numbers(context: dict[str, Any] | None = None) -> list[str]:
    return check_reply((context or {}).get("bot_message") or "")


@action(is_system_action=True)
async def always_pass(context: dict[str, Any] | None = None) -> list[str]:
    return []


@action(is_system_action=True)
async def check_refund_bound(context: dict[str, Any] | None = None) -> str | None:
    context = context or {}
    for call in context.get("tool_calls") or []:
        function = call["function"]
        if function["name"] == REFUND_TOOL:
            args = function["arguments"]
            args = json.loads(args) if isinstance(args, str) else args
            reason = check_refund(args, context["order"])
            if reason:
                return reason
    return None


def _rails(output_flow: str) -> LLMRails:
    config = RailsConfig.from_content(
        yaml_content=YAML.format(output_flow=output_flow), colang_content=COLANG
    )
    rails = LLMRails(config)
    for fn in (check_policy_numbers, always_pass, check_refund_bound):
        rails.register_action(fn)
    return rails


W1_MESSAGES = [{"role": "user", "content": W1_QUESTION}, {"role": "assistant", "content": W1_TEXT}]
NOOP_MESSAGES = [
    {"role": "user", "content": W1_QUESTION},
    {"role": "assistant", "content": NOOP_TEXT},
]
W2_MESSAGES: list[dict[str, Any]] = [
    {"role": "context", "content": {"order": ORDER}},
    {"role": "user", "content": W2_QUESTION},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {
                "id": "call-1",
                "type": "function",
                "function": {"name": REFUND_TOOL, "arguments": dict(REFUND_ARGS)},
            }
        ],
    },
]
W1_OPTIONS = {"rails": ["output"], "log": {"activated_rails": True}}
W2_OPTIONS = {"rails": ["tool_output"], "log": {"activated_rails": True}}


def _stopped_with(response: Any) -> Any:
    """The return value of the first action of the rail that stopped, or None."""
    for rail in response.log.activated_rails:
        if rail.stop:
            return rail.executed_actions[0].return_value
    return None


def build(variant: str = "") -> dict[str, Callable[[], Any]]:
    rails, noop_rails = _rails("check policy numbers"), _rails("always pass")

    async def verify() -> None:
        w1 = await rails.generate_async(messages=W1_MESSAGES, options=W1_OPTIONS)
        expect("nemo W1", _stopped_with(w1), W1_EXPECTED)
        w2 = await rails.generate_async(messages=W2_MESSAGES, options=W2_OPTIONS)
        expect("nemo W2", _stopped_with(w2), W2_EXPECTED)

    async def w1() -> str:
        result = await rails.check_async(W1_MESSAGES, rail_types=[RailType.OUTPUT])
        return "fail" if result.status == RailStatus.BLOCKED else "pass"

    async def w2() -> str:
        response = await rails.generate_async(messages=W2_MESSAGES, options=W2_OPTIONS)
        return "block" if any(r.stop for r in response.log.activated_rails) else "allow"

    async def noop() -> str:
        result = await noop_rails.check_async(NOOP_MESSAGES, rail_types=[RailType.OUTPUT])
        return "pass" if result.status == RailStatus.PASSED else "fail"

    asyncio.run(verify())
    return {"W1": w1, "W2": w2, "noop": noop}
