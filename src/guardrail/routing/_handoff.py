"""The handoff package: what a human needs to pick up where the AI stopped — the
conversation, what the AI considered (sources with versions, policy facts), the data it
pulled, what it was about to do (text, tool calls and their verdicts), every reason it
stopped, the QA reasoning, a priority and a one-paragraph summary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import JsonValue
from pydantic_core import to_jsonable_python

from ..models import Code, Finding, Handoff, Review, ToolCallResult, trusted
from ._config import RoutingConfig, intent_key

if TYPE_CHECKING:
    from ..knowledge import Fact
    from ..layers import CheckContext

__all__ = ["build_handoff", "is_money_tool", "priority", "reason"]

Priority = Literal["urgent", "high", "normal"]

#: how a human reads each code, as the start of a reason
_LABEL: dict[Code, str] = {
    Code.POLICY_CONTRADICTION: "Contradicts policy",
    Code.UNSUPPORTED_CLAIM: "Unsupported claim",
    Code.STALE_SOURCE: "Cites an outdated document",
    Code.UNKNOWN_SOURCE: "Cites an unknown document",
    Code.MISSING_CITATION: "Claims without a source",
    Code.QA_REJECTED: "QA reviewer rejected the reply",
    Code.QA_REWRITE: "QA reviewer asked for a rewrite",
    Code.QA_UNAVAILABLE: "QA review unavailable",
    Code.UNKNOWN_TOOL: "Unknown tool",
    Code.TOOL_SCHEMA_VIOLATION: "Malformed tool call",
    Code.TOOL_POLICY_VIOLATION: "Tool call breaks policy",
    Code.UNBACKED_COMMITMENT: "Promise no tool call backs",
    Code.TOOL_FAILURE: "A tool failed",
    Code.LOW_CONFIDENCE: "Low confidence",
    Code.SENSITIVE_INTENT: "Sensitive request",
    Code.HUMAN_REQUESTED: "Customer asked for a human",
    Code.BRAND_SAFETY: "Brand safety",
    Code.LAYER_ERROR: "Internal error",
}
_LOWER_LABEL = {code: label.lower() for code, label in _LABEL.items()}
#: the codes whose summary label names the finding's category
_CATEGORISED = frozenset({Code.SENSITIVE_INTENT, Code.BRAND_SAFETY})
_MONEY_NAME = re.compile(
    r"refund|credit|charge|pay|compensat|reimburs|discount|price|voucher|coupon|gift_?card"
    r"|transfer|payout|rebate|waive",
    re.IGNORECASE,
)
_MONEY_ARG = re.compile(r"amount|price|cents|credit|total|sum|value", re.IGNORECASE)
_URGENT_CATEGORIES = frozenset({"legal", "chargeback"})
_URGENT_INTENTS = frozenset({"legal", "chargeback", "dispute"})


def _extra(finding: Finding) -> dict[str, Any]:
    """A finding's evidence without copying it (read only). ``__pydantic_extra__`` is
    what the ``model_extra`` property returns, read without the property call."""
    return finding.__pydantic_extra__ or _NONE


_NONE: dict[str, Any] = {}


def reason(finding: Finding) -> str:
    """One human-readable line for a finding."""
    prefix = "In the rewrite: " if _extra(finding).get("recheck") else ""
    return f"{prefix}{_LABEL[finding.code]}: {finding.message}"


def is_money_tool(result: ToolCallResult, extra: Sequence[str] = ()) -> bool:
    """Whether a tool call moves money (by name, by an amount-like argument, or because
    the tenant lists it in ``[routing] money_tools``)."""
    if result.name in extra or _MONEY_NAME.search(result.name):
        return True
    args = result.arguments if isinstance(result.arguments, dict) else {}
    return any(_MONEY_ARG.search(k) for k in args)


def priority(
    findings: Sequence[Finding],
    tool_results: Sequence[ToolCallResult],
    money_tools: Sequence[str] = (),
) -> Priority:
    """urgent: legal language, a chargeback, a blocked or failed money movement;
    high: any other sensitive intent, a request for a human, a blocked tool call, a tool
    failure, a brand-safety stop; normal: the rest."""
    codes = {f.code for f in findings}
    blocked = [r for r in tool_results if not r.allowed]
    legal = any(
        f.code is Code.SENSITIVE_INTENT
        and (
            _extra(f).get("category") in _URGENT_CATEGORIES
            or intent_key(str(_extra(f).get("intent", ""))) in _URGENT_INTENTS
        )
        for f in findings
    )
    money_blocked = any(is_money_tool(r, money_tools) for r in blocked)
    # a handler failed while money tools were in play: money may have moved half-way
    money_failed = Code.TOOL_FAILURE in codes and any(
        is_money_tool(r, money_tools) for r in tool_results
    )
    if legal or money_blocked or money_failed:
        return "urgent"
    if blocked or not codes.isdisjoint(_HIGH):
        return "high"
    return "normal"


_HIGH = frozenset(
    {Code.SENSITIVE_INTENT, Code.HUMAN_REQUESTED, Code.TOOL_FAILURE, Code.BRAND_SAFETY}
)


def _json(value: Any) -> JsonValue:
    result: JsonValue = to_jsonable_python(value, fallback=repr)
    return result


def _result_json(r: ToolCallResult) -> dict[str, JsonValue]:
    """``r.model_dump(mode="json")``, built directly (a test pins the two equal)."""
    return {
        "name": r.name,
        "arguments": _json(r.arguments),
        "id": r.id,
        "allowed": r.allowed,
        "violations": [
            {"rule": v.rule, "message": v.message, "argument": v.argument} for v in r.violations
        ],
        "executed": r.executed,
        "result": None if r.result is None else _json(r.result),  # None dumps as None
    }


def _tool_calls(ctx: CheckContext, results: Sequence[ToolCallResult]) -> list[JsonValue]:
    if results:
        return [_result_json(r) for r in results]
    # the tools layer gave no verdicts (it failed): show the proposals, unvalidated
    return [
        {**c.model_dump(mode="json"), "allowed": None, "violations": [], "validated": False}
        for c in ctx.draft.tool_calls
    ]


def _sources(ctx: CheckContext) -> list[dict[str, JsonValue]]:
    out: list[dict[str, JsonValue]] = []
    docs = ctx.knowledge.documents
    for s in ctx.draft.sources:
        current = docs.in_force(s.id, ctx.as_of)
        known = docs.get(s.id, s.version) is not None
        status = (
            "current"
            if current is not None and current.version == s.version
            else ("superseded" if known else "unknown")
        )
        out.append(
            {
                "id": s.id,
                "version": s.version,
                "text": s.text,
                "status": status,
                "version_in_force": current.version if current is not None else None,
            }
        )
    return out


def _facts(ctx: CheckContext, findings: Sequence[Finding]) -> list[dict[str, JsonValue]]:
    golden = ctx.knowledge.golden
    texts = [*ctx.conversation.customer_texts(), ctx.draft.text]
    found: dict[str, Fact] = {}
    for f in findings:
        key = _extra(f).get("fact_key")
        if isinstance(key, str) and (fact := golden.fact(key, ctx.as_of)) is not None:
            found.setdefault(fact.key, fact)
    for fact in golden.relevant(" \n ".join(texts), ctx.as_of):
        found.setdefault(fact.key, fact)
    # brief() is JSON already (strings, numbers, booleans, None, a dict of strings)
    return [cast("dict[str, JsonValue]", golden.brief(fact)) for fact in found.values()]


#: how far past ``limit`` ``_clip`` reads a long text's head (any margin is exact: a head
#: too short after collapsing its whitespace falls back to the whole text)
_HEAD = 24


def _clip(text: str, limit: int = 160) -> str:
    """``text`` with its whitespace runs made single spaces, cut to ``limit`` characters.

    On a long text only a head is collapsed: ``" ".join(head.split())`` of a prefix
    ``head`` is a prefix of the whole text's (a word cut at the end is a prefix of the
    word), so once it is longer than ``limit`` the cut reads the same characters."""
    if len(text) > limit + _HEAD:
        head = " ".join(text[: limit + _HEAD].split())
        if len(head) > limit:
            return head[: limit - 1].rstrip() + "…"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _call_phrase(r: ToolCallResult) -> str:
    args = r.arguments if isinstance(r.arguments, dict) else {}
    shown = ", ".join([f"{k}={v}" for k, v in islice(args.items(), 3)])
    verdict = "allowed" if r.allowed else "blocked"
    return f"{r.name}({shown}) [{verdict}]"


def _summary(
    ctx: CheckContext,
    findings: Sequence[Finding],
    tool_results: Sequence[ToolCallResult],
    prio: Priority,
) -> str:
    conv, draft = ctx.conversation, ctx.draft
    last = conv.customer_texts(last=1)
    who = f"Customer {conv.customer_id}" if conv.customer_id else "The customer"
    about = f" (intent: {conv.intent.replace('_', ' ')})" if conv.intent else ""
    if last:
        quoted = _clip(last[0])
        stop = "" if quoted.endswith((".", "!", "?", "…")) else "."
        wants = f'{who}{about} wrote: "{quoted}"{stop}'
    else:
        wants = f"{who}{about} has not written."
    if tool_results:
        calls = "; ".join([_call_phrase(r) for r in tool_results[:3]])
        action = f"call {calls} and reply"
    elif draft.tool_calls:
        action = f"call {', '.join(c.name for c in draft.tool_calls[:3])} (not validated) and reply"
    else:
        action = "reply"
    sources = draft.sources
    cited = ", ".join([f"{s.id} v{s.version}" for s in sources[:3]]) if sources else ""
    sourced = f", citing {cited}" if cited else ", citing no source"
    labels: list[str] = []
    for f in findings:
        code = f.code
        label = _LOWER_LABEL[code]
        if code in _CATEGORISED:
            category = _extra(f).get("category")
            if category:
                label += f" ({str(category).replace('_', ' ')})"
        if label not in labels:
            labels.append(label)
    more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
    why = "; ".join(labels[:3]) + more if labels else "no specific finding"
    return (
        f'{wants} The AI was about to {action}: "{_clip(draft.text, 200)}"{sourced}. '
        f"It stopped because of: {why}. Priority {prio}; every reason is listed below."
    )


def _context(ctx: CheckContext) -> dict[str, Any]:
    """``{**ctx.conversation.context, **ctx.pulled}``; without pulled data (the common
    case) the conversation's own dict, read in the same order, not copied."""
    pulled = ctx.pulled
    return {**ctx.conversation.context, **pulled} if pulled else ctx.conversation.context


def build_handoff(
    ctx: CheckContext,
    findings: Sequence[Finding],
    tool_results: Sequence[ToolCallResult],
    review: Review | None,
    *,
    config: RoutingConfig | None = None,
) -> Handoff:
    """The package for the human who takes over an escalated conversation."""
    config = config or RoutingConfig()
    prio = priority(findings, tool_results, config.money_tools)
    reasons = list(dict.fromkeys([reason(f) for f in findings])) or [
        "Escalated without a specific finding"
    ]
    if review is not None and review.verdict != "approve" and review.reasoning:
        reasons.append(f"QA reasoning: {_clip(review.reasoning, 300)}")
    draft = ctx.draft
    # every value below is built here from validated inputs (or passed through _json):
    # validating them again (JsonValue fields) cost more than building them
    return trusted(
        Handoff,
        reasons=reasons,
        summary=_summary(ctx, findings, tool_results, prio),
        conversation=list(ctx.conversation.messages),
        draft={
            "text": draft.text,
            "tool_calls": _tool_calls(ctx, tool_results),
            "confidence": draft.confidence,
            "model": draft.model,
        },
        sources=_sources(ctx),
        facts=_facts(ctx, findings),
        context={k: _json(v) for k, v in _context(ctx).items()},
        findings=list(findings),
        review=review,
        priority=prio,
    )
