"""An example agent for ``guardrail eval --agent examples.eval.agent:reply``-style use.

Run from the repository root with ``PYTHONPATH=examples/eval`` and
``--agent agent:reply``. A real agent would call its model here; this one answers from
the golden set so the evaluation has something to score. Sync or async both work.
"""

from __future__ import annotations

from guardrail import Conversation, Draft, SourceRef


async def reply(conversation: Conversation) -> Draft:
    """A fresh draft for the conversation (the recorded reply is ignored)."""
    if conversation.intent == "returns":
        return Draft(
            text="You can return unworn items within 30 days of delivery.",
            sources=[SourceRef(id="returns-policy", version="3")],
            confidence=0.9,
            model="example-agent-1",
        )
    return Draft(
        text="Thanks for reaching out: a colleague will look into this for you.",
        confidence=0.5,
        model="example-agent-1",
    )
