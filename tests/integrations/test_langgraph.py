"""The LangChain 1.x / LangGraph adapter, run through a real ``create_agent`` graph and a
hand-built ``StateGraph`` with LangChain's own fake chat model (no network)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from guardrail import Guardrail, InputError, Role, UserError
from guardrail.review import ReviewRequest

from .conftest import (
    CONTEXT,
    ESCALATE,
    REFUND_OK,
    REFUND_TOO_MUCH,
    RELEASE,
    REWRITTEN,
    SLOPPY,
    require,
)

require("langchain", "langgraph")
from langchain.agents import create_agent
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Command

from guardrail.integrations.langgraph import (
    ESCALATION,
    GuardrailMiddleware,
    guardrail_node,
)


class ToolModel(GenericFakeChatModel):
    """LangChain's fake chat model, accepting tools (the replies are scripted)."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        return self


@dataclass
class Ctx:
    conversation_id: str = "conv-42"
    customer_id: str = "cust-7"
    as_of: str = "2026-11-20T10:00:00Z"
    order: dict[str, Any] = field(default_factory=lambda: dict(CONTEXT["order"]))


def make_agent(guard: Guardrail, replies: list[AIMessage], ran: list[Any]) -> Any:
    @tool
    def refund_order(order_id: str, amount_cents: int, reason_code: str) -> str:
        """Refund an order."""
        ran.append({"order_id": order_id, "amount_cents": amount_cents})
        return "refunded"

    return create_agent(
        ToolModel(messages=iter(replies)),
        tools=[refund_order],
        middleware=[GuardrailMiddleware(guard)],
        context_schema=Ctx,
        checkpointer=InMemorySaver(),
    )


def refund(args: dict[str, Any], call_id: str) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": "refund_order", "args": args, "id": call_id}])


CFG: Any = {"configurable": {"thread_id": "t1"}}
ASK = {"messages": [HumanMessage("My boots arrived damaged. Order A-1001.")]}


async def test_a_released_reply_stays(guard: Guardrail, seen: list[ReviewRequest]) -> None:
    """Release: the last message is the draft; the runtime context and messages map exactly."""
    out = await make_agent(guard, [AIMessage(RELEASE)], []).ainvoke(ASK, CFG, context=Ctx())
    assert out["messages"][-1].text == RELEASE
    conv = seen[-1].conversation
    assert conv.id == "conv-42" and conv.context["order"] == CONTEXT["order"]
    assert [(m.role, m.text) for m in conv.messages] == [
        (Role.customer, "My boots arrived damaged. Order A-1001.")
    ]


def test_a_rewrite_replaces_the_draft_message_sync(guard: Guardrail) -> None:
    """Rewrite (sync invoke): the draft AI message is replaced in place by the rewrite."""
    out = make_agent(guard, [AIMessage(SLOPPY, id="m1")], []).invoke(ASK, CFG, context=Ctx())
    assert [m.text for m in out["messages"] if isinstance(m, AIMessage)] == [REWRITTEN]
    assert out["messages"][-1].id == "m1"


async def test_an_escalation_interrupts_and_resume_sends_the_humans_reply(
    guard: Guardrail,
) -> None:
    """Escalate: the graph pauses with the handoff package; resuming continues the graph
    with the human's reply in place of the draft."""
    agent = make_agent(guard, [AIMessage(ESCALATE, id="m1")], [])
    out = await agent.ainvoke(ASK, CFG, context=Ctx())
    (pause,) = out["__interrupt__"]
    assert pause.value["kind"] == ESCALATION
    assert pause.value["handoff"]["reasons"] and pause.value["holding_message"]
    done = await agent.ainvoke(Command(resume="A colleague here: I can help."), CFG, context=Ctx())
    assert done["messages"][-1].text == "A colleague here: I can help."
    assert done["messages"][-1].id == "m1"


async def test_resuming_without_a_reply_is_our_input_error(guard: Guardrail) -> None:
    """Resuming an escalation with a blank reply raises guardrail's InputError naming 'resume'."""
    agent = make_agent(guard, [AIMessage(ESCALATE)], [])
    await agent.ainvoke(ASK, CFG, context=Ctx())
    with pytest.raises(InputError) as caught:
        await agent.ainvoke(Command(resume="  "), CFG, context=Ctx())
    assert caught.value.field == "resume"


async def test_a_blocked_tool_call_returns_the_violation(guard: Guardrail) -> None:
    """A blocked call never runs; the model gets an error ToolMessage with the violation."""
    ran: list[Any] = []
    agent = make_agent(guard, [refund(REFUND_TOO_MUCH, "call_9"), AIMessage(RELEASE)], ran)
    out = await agent.ainvoke(ASK, CFG, context=Ctx())
    assert ran == []
    (result,) = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert result.tool_call_id == "call_9" and result.status == "error"
    assert "exceeds the order total" in result.text


def test_an_allowed_tool_call_runs_with_its_id(guard: Guardrail, seen: list[ReviewRequest]) -> None:
    """An allowed call runs once (sync invoke), and the gate saw the model's call id."""
    ran: list[Any] = []
    agent = make_agent(guard, [refund(REFUND_OK, "call_1"), AIMessage(RELEASE)], ran)
    agent.invoke(ASK, CFG, context=Ctx())
    assert ran == [{"order_id": "A-1001", "amount_cents": 12900}]
    assert seen[0].draft.tool_calls[0].id == "call_1"


async def test_the_node_checks_a_hand_built_graph(guard: Guardrail) -> None:
    """guardrail_node in a StateGraph rewrites the model node's reply."""
    model = ToolModel(messages=iter([AIMessage(SLOPPY)]))

    async def agent(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    graph = StateGraph(MessagesState, context_schema=Ctx)
    graph.add_node("agent", agent)
    graph.add_node("guardrail", guardrail_node(guard))
    graph.add_edge(START, "agent")
    graph.add_edge("agent", "guardrail")
    graph.add_edge("guardrail", END)
    out = await graph.compile().ainvoke(ASK, context=Ctx())
    assert out["messages"][-1].text == REWRITTEN


def test_a_guard_with_tool_handlers_is_refused(guard: Guardrail) -> None:
    """LangChain runs the tools: a guard that would also run them is a usage error."""
    guard.tool("refund_order")(lambda **kw: None)
    with pytest.raises(UserError, match="twice"):
        GuardrailMiddleware(guard)
