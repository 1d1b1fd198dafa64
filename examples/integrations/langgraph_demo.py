"""The gate in a LangChain 1.x agent (LangGraph underneath), offline (LangChain's fake
chat model). An escalation pauses the graph; a human's reply resumes it.

    pip install -e '.[langgraph]' && python examples/integrations/langgraph_demo.py
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from _acme_gate import CONTEXT, ESCALATE, REFUND_TOO_MUCH, RELEASE, SLOPPY, acme_guard
from langchain.agents import create_agent
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from guardrail.integrations.langgraph import GuardrailMiddleware


class ScriptedChatModel(GenericFakeChatModel):
    """LangChain's fake chat model, accepting tools (its replies are scripted)."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        return self


@tool
def refund_order(order_id: str, amount_cents: int, reason_code: str) -> str:
    """Refund (part of) an order."""
    return f"refunded {amount_cents} cents on {order_id}"


def run(replies: list[AIMessage], thread: str) -> None:
    agent = create_agent(
        ScriptedChatModel(messages=iter(replies)),
        tools=[refund_order],
        middleware=[GuardrailMiddleware(acme_guard())],
        context_schema=dict,
        checkpointer=InMemorySaver(),  # interrupt/resume needs a checkpointer
    )
    config: Any = {"configurable": {"thread_id": thread}}
    ask = {"messages": [HumanMessage("My boots arrived damaged.")]}
    out = agent.invoke(ask, config, context=dict(CONTEXT))
    if "__interrupt__" in out:
        package = out["__interrupt__"][0].value
        print(f"  escalate -> paused; send {package['holding_message']!r}")
        print(f"  handoff reasons: {package['handoff']['reasons']}")
        out = agent.invoke(
            Command(resume="Hi, Sam here from Acme: let me sort this out for you."),
            config,
            context=dict(CONTEXT),
        )
        print("  resumed with the human's reply:")
    for message in out["messages"]:
        if isinstance(message, ToolMessage):
            print(
                f"  tool {message.name} ({message.tool_call_id}) {message.status}: {message.text}"
            )
    print(f"  send {out['messages'][-1].text!r}")


def main() -> None:
    print("release:")
    run([AIMessage(RELEASE)], "t1")
    print("rewrite:")
    run([AIMessage(SLOPPY)], "t2")
    print("escalate:")
    run([AIMessage(ESCALATE)], "t3")
    print("blocked tool call (an error ToolMessage tells the model why, then it answers):")
    call = {"name": "refund_order", "args": REFUND_TOO_MUCH, "id": "call_9"}
    run([AIMessage("", tool_calls=[call]), AIMessage(RELEASE)], "t4")


if __name__ == "__main__":
    main()
