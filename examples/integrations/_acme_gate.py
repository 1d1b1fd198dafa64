"""The gate the integration examples share: Acme's real tenant config (tool rules, golden
set, brand rules) plus a stand-in QA reviewer, so each example runs offline.

The reviewer here is ``guardrail.testing.FunctionReviewer``: it asks for a rewrite of any
draft containing "sloppy". In production, set ``[review] provider`` in guardrail.toml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guardrail import Guardrail
from guardrail.review import ReviewLayer, ReviewRequest
from guardrail.testing import FunctionReviewer, answer

ACME = Path(__file__).resolve().parents[1] / "acme" / "guardrail.toml"

#: what the host passes as the framework's run context / deps (→ conversation.context)
CONTEXT: dict[str, Any] = {
    "conversation_id": "demo-1",
    "customer_id": "cust-7",
    "as_of": "2026-11-20T10:00:00Z",
    "order": {
        "id": "A-1001",
        "total_cents": 12900,
        "status": "delivered",
        "delivered_at": "2026-11-02",
    },
}
RELEASE = "Thanks for waiting: I have opened order A-1001 and will keep you posted here."
SLOPPY = "sloppy reply about ur order lol"
ESCALATE = "Good news: these boots are guaranteed forever."
REFUND_TOO_MUCH = {"order_id": "A-1001", "amount_cents": 50000, "reason_code": "damaged"}


def _judge(request: ReviewRequest) -> Any:
    if "sloppy" in request.draft.text:
        return answer("rewrite", "tone", rewrite="I'm looking into order A-1001 for you now.")
    return answer("approve")


def acme_guard() -> Guardrail:
    """Acme's gate with no audit file (the examples leave nothing behind)."""
    return Guardrail.from_config(
        str(ACME), audit=None, review=ReviewLayer(FunctionReviewer(_judge))
    )
