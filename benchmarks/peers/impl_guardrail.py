"""guardrail itself: ``Guardrail.check()`` (variant ``check``) or ``acheck()`` (``acheck``),
or ``acheck()`` on what the agent-framework hooks send (``hook``): W1 as before (the output
guardrail sends the reply), W2 as the tool-input guardrail sends it, the refund call with
an empty reply text (``integrations._core.check_tool_call``), which is also all the peers'
W2 sees.

The acme tenant of ``examples/acme/guardrail.toml`` with ``audit=None`` (deterministic
layers, no store), on the same W1/W2 inputs as ``benchmarks/bench_gate.py``. The no-op is
``Guardrail(tenant="acme")``: no layer configured, a short draft, release.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from workloads import (
    NOOP_TEXT,
    ORDER,
    REFUND_ARGS,
    REFUND_TOOL,
    W1_QUESTION,
    W1_TEXT,
    W2_QUESTION,
    W2_REPLY,
)

from guardrail import Action, Guardrail

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme" / "guardrail.toml"


def _conversation(cid: str, question: str, intent: str) -> dict[str, Any]:
    return {
        "tenant": "acme",
        "id": cid,
        "customer_id": f"u-{cid}",
        "as_of": "2026-11-20T10:00:00Z",
        "messages": [{"role": "customer", "text": question}],
        "context": {"order": dict(ORDER)},
        "intent": intent,
    }


W1 = (_conversation("w1", W1_QUESTION, "returns"), {"text": W1_TEXT, "confidence": 0.9})
W2 = (
    _conversation("w2", W2_QUESTION, "refunds"),
    {
        "text": W2_REPLY,
        "confidence": 0.9,
        "tool_calls": [{"name": REFUND_TOOL, "arguments": dict(REFUND_ARGS)}],
    },
)
W2_CALL = (W2[0], {**W2[1], "text": ""})
NOOP = (_conversation("noop", W1_QUESTION, "returns"), {"text": NOOP_TEXT, "confidence": 0.9})


def _verdicts(workload: str, decision: Any) -> str:
    codes = {f.code.value for f in decision.findings}
    if workload == "W1":
        failed = decision.action != Action.release and "POLICY_CONTRADICTION" in codes
        return "fail" if failed else "pass"
    if workload == "W2":
        blocked = decision.action != Action.release and "TOOL_POLICY_VIOLATION" in codes
        return "block" if blocked else "allow"
    return "pass" if decision.action == Action.release else "fail"


def build(variant: str = "check") -> dict[str, Callable[[], Any]]:
    guard = Guardrail.from_config(str(ACME), audit=None)
    bare = Guardrail(tenant="acme")
    w2 = W2_CALL if variant == "hook" else W2
    cases = {"W1": (guard, W1), "W2": (guard, w2), "noop": (bare, NOOP)}
    out: dict[str, Callable[[], Any]] = {}
    for name, (g, (conv, draft)) in cases.items():
        if variant in ("acheck", "hook"):

            async def run_async(
                g: Guardrail = g, c: Any = conv, d: Any = draft, n: str = name
            ) -> str:
                return _verdicts(n, await g.acheck(c, d))

            out[name] = run_async
        else:

            def run_sync(g: Guardrail = g, c: Any = conv, d: Any = draft, n: str = name) -> str:
                return _verdicts(n, g.check(c, d))

            out[name] = run_sync
    return out
