"""The acme gate every adapter test runs against: acme's real tool rules and golden set,
and a function reviewer that asks for a rewrite of any draft saying "sloppy"."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from guardrail import Guardrail
from guardrail.review import ReviewLayer, ReviewRequest
from guardrail.testing import FunctionReviewer, answer

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme" / "guardrail.toml"
BOOTS = {"id": "A-1001", "total_cents": 12900, "status": "delivered", "delivered_at": "2026-11-02"}
#: the run context / deps every framework passes: it becomes conversation.context
CONTEXT: dict[str, Any] = {
    "conversation_id": "conv-42",
    "customer_id": "cust-7",
    "as_of": "2026-11-20T10:00:00Z",
    "order": BOOTS,
}
RELEASE = "Thanks for waiting: I have opened order A-1001 and will keep you posted here."
SLOPPY = "sloppy reply about your order"
REWRITTEN = "Thanks for your message: I am looking into order A-1001 now."
ESCALATE = "Good news: these boots are guaranteed forever."
REFUND_OK = {"order_id": "A-1001", "amount_cents": 12900, "reason_code": "damaged"}
REFUND_TOO_MUCH = {"order_id": "A-1001", "amount_cents": 50000, "reason_code": "damaged"}


def require(module: str, extra: str) -> ModuleType:
    """Import a framework; without it skip, naming the extra, except under CI
    (``CI=true``), where every extra is installed and a missing one must fail."""
    if os.environ.get("CI", "").lower() in ("1", "true"):
        return importlib.import_module(module)
    return pytest.importorskip(
        module, reason=f"the {extra} extra is not installed: pip install -e '.[{extra}]'"
    )


def build_guard(seen: list[ReviewRequest] | None = None) -> Guardrail:
    """The acme gate; every review request is appended to ``seen``."""

    def judge(request: ReviewRequest) -> Any:
        if seen is not None:
            seen.append(request)
        if "sloppy" in request.draft.text:
            return answer("rewrite", "tone", rewrite=REWRITTEN)
        return answer("approve")

    return Guardrail.from_config(str(ACME), audit=None, review=ReviewLayer(FunctionReviewer(judge)))


@pytest.fixture
def seen() -> list[ReviewRequest]:
    return []


@pytest.fixture
def guard(seen: list[ReviewRequest]) -> Guardrail:
    return build_guard(seen)
