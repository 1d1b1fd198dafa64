"""What every adapter shares: the framework's run context → ``Conversation``, one
proposed tool call → a verdict, and the one exception an escalation raises where the
framework has no escalation mechanism of its own.

Adapters never catch a framework's exceptions, and the gate never raises one: an error
of ours stays a :class:`~guardrail.GuardrailError`, theirs stays theirs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticSerializationError, to_jsonable_python

from ..errors import InputError, UserError
from ..models import (
    Action,
    Code,
    Conversation,
    Decision,
    Draft,
    Message,
    Role,
    ToolCall,
    ToolCallResult,
)
from ..pipeline import parse_inputs

if TYPE_CHECKING:
    from ..pipeline import Guardrail

_EMPTY = Draft(text="")

__all__ = ["Escalation", "ToolVerdict", "check_tool_call", "conversation_from", "parse_arguments"]


#: What the model is told when a call could not be verified (the gate failed closed).
UNVERIFIED = "This action could not be verified right now, so it was not carried out."
#: ... and when the check escalated for another reason (e.g. the customer asked for a human).
HELD = "This action is held for a person to review, so it was not carried out."


class Escalation(Exception):
    """The gate escalated a reply: hand the conversation to a person. Raised only where
    the framework has no stop/hand-over mechanism of its own; ``decision`` holds the
    handoff package and the holding message to send."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(f"escalated to a human (audit id {decision.audit_id})")
        self.decision = decision


def require_no_handlers(guard: Guardrail, framework: str) -> None:
    """The framework executes the tools; a guard that also executes them would run each
    allowed call twice."""
    if guard.tools.has_handlers:
        raise UserError(
            f"this guard has tool handlers registered (guard.tool(...)); with {framework} the "
            "framework runs the tools, so register them there and build the guard without "
            "handlers, or each allowed call would run twice"
        )


def context_dict(obj: object) -> dict[str, Any]:
    """The framework's run context / deps as JSON: a mapping, pydantic model or dataclass;
    ``None`` is empty. Anything else is an InputError naming ``context``."""
    if obj is None:
        return {}
    try:
        value = to_jsonable_python(obj)
    except PydanticSerializationError as exc:
        raise InputError(f"run context is not JSON-serialisable ({exc})", field="context") from None
    if not isinstance(value, dict):
        raise InputError(
            f"run context must be a mapping, pydantic model or dataclass, not {type(obj).__name__}",
            field="context",
        )
    return value


def conversation_from(
    guard: Guardrail, context: object, messages: Iterable[tuple[Role, str]]
) -> Conversation:
    """Build the Conversation: ``context`` becomes ``conversation.context`` whole; its
    ``conversation_id`` (required), ``customer_id``, ``as_of`` and ``intent`` keys, when
    present, also fill those fields. ``as_of`` defaults to now (UTC)."""
    ctx = context_dict(context)
    conv_id = ctx.get("conversation_id")
    if not isinstance(conv_id, str) or not conv_id:
        raise InputError(
            "the run context must carry the conversation's id as a non-empty string "
            "(it keys the audit trail)",
            field="context.conversation_id",
        )
    data: dict[str, Any] = {
        "tenant": guard.tenant,
        "id": conv_id,
        "as_of": ctx.get("as_of") or datetime.now(UTC),
        "messages": [Message(role=role, text=text) for role, text in messages],
        "context": ctx,
    }
    for key in ("customer_id", "intent"):
        if ctx.get(key) is not None:
            data[key] = ctx[key]
    try:
        conversation, _ = parse_inputs(data, _EMPTY)
    except InputError as exc:  # a field we filled from the context: name it there
        top = (exc.field or "").removeprefix("conversation.").split(".")[0]
        if top == "messages":
            raise
        origin = "context" if top in ("context", "tenant") else f"context.{top}"
        raise InputError(str(exc).removeprefix(f"{exc.field}: "), field=origin) from None
    return conversation


def parse_arguments(raw: str | Mapping[str, Any] | None) -> Any:
    """Tool arguments as the model produced them: a JSON string is parsed; text that is
    not JSON is passed on as a string (the tools layer blocks a non-object)."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        try:
            return json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return raw
    return to_jsonable_python(raw)


@dataclass(frozen=True)
class ToolVerdict:
    """One proposed call's verdict: ``allowed``, and the ``message`` for the model when
    it is not (the violations' messages, or :data:`UNVERIFIED`)."""

    allowed: bool
    message: str | None
    decision: Decision


async def check_tool_call(
    guard: Guardrail, conversation: Conversation, call: ToolCall
) -> ToolVerdict:
    """Gate one call on its own (an empty-text draft). As in the gate itself, a call runs
    only if the tools layer allows it and the check does not escalate; anything else is
    rejected (fail closed), with the violations, or why, as the message."""
    decision = await guard.acheck(conversation, Draft(text="", tool_calls=[call]))
    result = _result_for(decision.tool_calls, call)
    if result is not None and result.allowed and decision.action is not Action.escalate:
        return ToolVerdict(True, None, decision)
    if result is not None and result.violations:
        message = "; ".join(v.message for v in result.violations)
    elif result is None or Code.LAYER_ERROR in decision.codes():
        message = UNVERIFIED
    else:
        message = HELD
    return ToolVerdict(False, message, decision)


def _result_for(results: list[ToolCallResult], call: ToolCall) -> ToolCallResult | None:
    for result in results:
        if result.id == call.id and result.name == call.name:
            return result
    return None
