"""The layer tells the commitment scan which allowed calls back nothing, so an unbacked
promise beside such a call names it and the fix (issue 13)."""

from __future__ import annotations

import asyncio

from guardrail.knowledge import Knowledge
from guardrail.tools import ToolsLayer, ToolSpec

from ._helpers import ROOT, ctx_for, refund


def test_unbacked_promise_names_the_allowed_call_without_a_commitment() -> None:
    """A refund promise beside an allowed refund_order whose spec lacks 'commitment'
    says that the spec declares none and how to add one."""
    data = ToolSpec.from_file(ROOT / "tool_schemas" / "refund_order.json").to_dict()
    data.pop("commitment")
    data["policy"] = []
    layer = ToolsLayer([ToolSpec.from_dict(data)])
    ctx = ctx_for(Knowledge(), "I've refunded $129.00 to your card.", [refund(12900)])
    result = asyncio.run(layer.run(ctx))
    [finding] = result.findings
    assert finding.code.value == "UNBACKED_COMMITMENT"
    assert "'refund_order' could back it, but its spec declares no 'commitment'" in finding.message
    assert '"commitment": {"kind": "refund"' in finding.message
