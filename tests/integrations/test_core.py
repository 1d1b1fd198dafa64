"""What every adapter shares: run context → Conversation, and one tool call's verdict."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import BaseModel

from guardrail import Guardrail, InputError, Role, ToolCall
from guardrail.integrations._core import (
    HELD,
    UNVERIFIED,
    check_tool_call,
    conversation_from,
    parse_arguments,
)

from .conftest import CONTEXT, REFUND_OK, REFUND_TOO_MUCH


@dataclass
class DataclassDeps:
    conversation_id: str
    tier: str


class ModelDeps(BaseModel):
    conversation_id: str
    intent: str


def test_a_dataclass_or_pydantic_context_becomes_conversation_context(guard: Guardrail) -> None:
    """Dataclass and pydantic deps become conversation.context whole, filling id/intent."""
    conv = conversation_from(guard, DataclassDeps("c-1", "gold"), [])
    assert (conv.id, conv.context) == ("c-1", {"conversation_id": "c-1", "tier": "gold"})
    conv = conversation_from(guard, ModelDeps(conversation_id="c-2", intent="returns"), [])
    assert (conv.id, conv.intent, conv.tenant) == ("c-2", "returns", "acme")


def test_a_context_that_is_not_a_mapping_is_an_input_error(guard: Guardrail) -> None:
    """A run context that is not an object (here a list) is an InputError naming it."""
    with pytest.raises(InputError) as caught:
        conversation_from(guard, ["c-1"], [])
    assert caught.value.field == "context"


def test_a_naive_as_of_in_the_context_is_an_input_error(guard: Guardrail) -> None:
    """A naive as_of in the context is an InputError naming context.as_of."""
    with pytest.raises(InputError, match="timezone") as caught:
        conversation_from(guard, {"conversation_id": "c", "as_of": "2026-11-20T10:00:00"}, [])
    assert caught.value.field == "context.as_of"


def test_arguments_that_are_not_json_pass_through_to_be_blocked() -> None:
    """A JSON string is parsed; text that is not JSON stays a string for the tools layer."""
    assert parse_arguments('{"a": 1}') == {"a": 1}
    assert parse_arguments("not json") == "not json"
    assert parse_arguments("") == {}


async def test_an_allowed_and_a_blocked_call(guard: Guardrail) -> None:
    """Allowed: no message; blocked: the violation's message, the call id kept."""
    conv = conversation_from(guard, CONTEXT, [(Role.customer, "Refund please")])
    ok = await check_tool_call(guard, conv, ToolCall(name="refund_order", arguments=REFUND_OK))
    assert ok.allowed and ok.message is None
    call = ToolCall(name="refund_order", arguments=REFUND_TOO_MUCH, id="x1")
    blocked = await check_tool_call(guard, conv, call)
    assert not blocked.allowed and blocked.message is not None
    assert "exceeds the order total" in blocked.message
    assert blocked.decision.tool_calls[0].id == "x1"


async def test_an_allowed_call_in_an_escalated_check_does_not_run(guard: Guardrail) -> None:
    """When the check escalates for another reason (the customer asked for a human), an
    allowed call is held too, as the gate itself would not run it."""
    conv = conversation_from(guard, CONTEXT, [(Role.customer, "I want to speak to a human, now.")])
    verdict = await check_tool_call(guard, conv, ToolCall(name="refund_order", arguments=REFUND_OK))
    assert verdict.decision.tool_calls[0].allowed
    assert not verdict.allowed and verdict.message == HELD


async def test_an_unknown_tool_is_rejected(guard: Guardrail) -> None:
    """A tool the tenant has no schema for is rejected, never allowed."""
    conv = conversation_from(guard, CONTEXT, [])
    verdict = await check_tool_call(guard, conv, ToolCall(name="launch_rocket", arguments={}))
    assert not verdict.allowed and verdict.message not in (None, UNVERIFIED)
