"""Tickets: historical cases read from JSONL, and the user's agent that redrafts them.

A ticket line is a case as ``guardrail check`` takes it (``conversation`` and ``draft``,
the reply the agent actually gave) plus an optional ``id`` (default: the conversation's
id). With ``--agent module:fn`` the draft may be absent: the agent writes a fresh one.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, UserError
from ..models import Conversation, Draft
from ..pipeline import parse_inputs

__all__ = ["Agent", "LoadResult", "Ticket", "load_agent", "load_tickets", "redraft"]

TICKET_KEYS = {"id", "conversation", "draft", "name", "description", "expect"}

#: The user's reply function: ``fn(conversation) -> Draft`` (sync or async).
Agent = Callable[[Conversation], Any]


@dataclass(frozen=True)
class Ticket:
    """One historical ticket: its id, the conversation, and the draft to score."""

    id: str
    conversation: Conversation
    draft: Draft | None

    @property
    def intent(self) -> str:
        return self.conversation.intent or "unknown"


@dataclass(frozen=True)
class LoadResult:
    tickets: list[Ticket]
    skipped: int


def load_tickets(path: str | Path, *, need_draft: bool, skip_bad: bool = False) -> LoadResult:
    """Read a tickets JSONL file. A bad line raises :class:`InputError` naming the line
    and the field, unless ``skip_bad`` (then it is counted in ``skipped``)."""
    tickets: list[Ticket] = []
    seen: set[str] = set()
    skipped = 0
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                ticket = _parse_line(line, need_draft=need_draft)
                if ticket.id in seen:
                    raise InputError("duplicate ticket id", field="id")
            except InputError as exc:
                if skip_bad:
                    skipped += 1
                    continue
                raise InputError(f"line {number}: {exc}") from None
            seen.add(ticket.id)
            tickets.append(ticket)
    return LoadResult(tickets, skipped)


def _parse_line(line: str, *, need_draft: bool) -> Ticket:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON at column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError("a ticket is a JSON object with 'conversation' and 'draft'")
    unknown = sorted(set(data) - TICKET_KEYS)
    if unknown:
        raise InputError("unknown top-level field", field=unknown[0])
    if "conversation" not in data:
        raise InputError("required field is missing", field="conversation")
    if need_draft and "draft" not in data:
        raise InputError("required field is missing (or pass --agent)", field="draft")
    raw_draft = data.get("draft")
    if raw_draft is None:
        conversation, _ = parse_inputs(data["conversation"], {"text": ""})
        draft = None
    else:
        conversation, draft = parse_inputs(data["conversation"], raw_draft)
    ticket_id = data.get("id", conversation.id)
    if not isinstance(ticket_id, str) or not ticket_id.strip():
        raise InputError("must be a non-empty string", field="id")
    return Ticket(ticket_id, conversation, draft)


def load_agent(spec: str) -> Agent:
    """Import ``module:function``; a bad spec is an :class:`InputError` naming it."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise InputError("expected module:function", field="--agent")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError(f"cannot import {module_name}: {exc}", field="--agent") from None
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise InputError(f"{module_name} has no callable {attr}", field="--agent")
    agent: Agent = fn
    return agent


async def redraft(agent: Agent, conversation: Conversation) -> Draft:
    """A fresh draft from the agent (a sync agent runs in a worker thread)."""
    if inspect.iscoroutinefunction(agent):
        result = await agent(conversation)
    else:
        result = await asyncio.to_thread(agent, conversation)
        if inspect.isawaitable(result):
            result = await result
    if isinstance(result, Draft):
        return result
    if isinstance(result, dict):
        return parse_inputs(conversation, result)[1]
    raise UserError(f"the agent returned {type(result).__name__}, not a Draft")
