"""The routing layer's per-check shortcuts against the code they replace: the handoff's
clipping, priority, summary and reasons, and the trigger layer's recent messages and
finding collection. Each reference below is the previous implementation, verbatim."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail.layers import CheckContext
from guardrail.models import (
    Code,
    Draft,
    Finding,
    LayerName,
    Message,
    ToolCall,
    ToolCallResult,
    Violation,
)
from guardrail.routing import BrandConfig, RoutingConfig, TriggerLayer
from guardrail.routing._config import intent_key
from guardrail.routing._detect import (
    HUMAN_REQUEST,
    answers_creative_request,
    profanity,
    short_human_request,
)
from guardrail.routing._handoff import (
    _LABEL,
    _URGENT_CATEGORIES,
    _URGENT_INTENTS,
    _call_phrase,
    _clip,
    _summary,
    is_money_tool,
    priority,
    reason,
)
from guardrail.routing._triggers import _Message
from guardrail.text import Hit

from .helpers import acme_knowledge, conversation
from .strategies import texts

# -- references (the code before the shortcuts) ------------------------------------------


def _ref_extra(finding: Finding) -> dict[str, Any]:
    return finding.model_extra or {}


def _ref_clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _ref_reason(finding: Finding) -> str:
    prefix = "In the rewrite: " if _ref_extra(finding).get("recheck") else ""
    return f"{prefix}{_LABEL[finding.code]}: {finding.message}"


def _ref_priority(
    findings: list[Finding], tool_results: list[ToolCallResult], money_tools: list[str]
) -> Literal["urgent", "high", "normal"]:
    codes = {f.code for f in findings}
    blocked = [r for r in tool_results if not r.allowed]
    legal = any(
        f.code is Code.SENSITIVE_INTENT
        and (
            _ref_extra(f).get("category") in _URGENT_CATEGORIES
            or intent_key(str(_ref_extra(f).get("intent", ""))) in _URGENT_INTENTS
        )
        for f in findings
    )
    money_blocked = any(is_money_tool(r, money_tools) for r in blocked)
    money_failed = Code.TOOL_FAILURE in codes and any(
        is_money_tool(r, money_tools) for r in tool_results
    )
    if legal or money_blocked or money_failed:
        return "urgent"
    high = {Code.SENSITIVE_INTENT, Code.HUMAN_REQUESTED, Code.TOOL_FAILURE, Code.BRAND_SAFETY}
    if blocked or codes & high:
        return "high"
    return "normal"


def _ref_call_phrase(r: ToolCallResult) -> str:
    args = r.arguments if isinstance(r.arguments, dict) else {}
    shown = ", ".join(f"{k}={v}" for k, v in list(args.items())[:3])
    verdict = "allowed" if r.allowed else "blocked"
    return f"{r.name}({shown}) [{verdict}]"


def _ref_summary(
    ctx: CheckContext, findings: list[Finding], tool_results: list[ToolCallResult], prio: str
) -> str:
    conv, draft = ctx.conversation, ctx.draft
    last = conv.customer_texts(last=1)
    who = f"Customer {conv.customer_id}" if conv.customer_id else "The customer"
    about = f" (intent: {conv.intent.replace('_', ' ')})" if conv.intent else ""
    if last:
        quoted = _ref_clip(last[0])
        stop = "" if quoted.endswith((".", "!", "?", "…")) else "."
        wants = f'{who}{about} wrote: "{quoted}"{stop}'
    else:
        wants = f"{who}{about} has not written."
    if tool_results:
        calls = "; ".join(_ref_call_phrase(r) for r in tool_results[:3])
        action = f"call {calls} and reply"
    elif draft.tool_calls:
        action = f"call {', '.join(c.name for c in draft.tool_calls[:3])} (not validated) and reply"
    else:
        action = "reply"
    cited = ", ".join(f"{s.id} v{s.version}" for s in draft.sources[:3])
    sourced = f", citing {cited}" if cited else ", citing no source"
    labels: list[str] = []
    for f in findings:
        label = _LABEL[f.code].lower()
        category = _ref_extra(f).get("category")
        if f.code in (Code.SENSITIVE_INTENT, Code.BRAND_SAFETY) and category:
            label += f" ({str(category).replace('_', ' ')})"
        if label not in labels:
            labels.append(label)
    more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
    why = "; ".join(labels[:3]) + more if labels else "no specific finding"
    return (
        f'{wants} The AI was about to {action}: "{_ref_clip(draft.text, 200)}"{sourced}. '
        f"It stopped because of: {why}. Priority {prio}; every reason is listed below."
    )


def _ref_recent(layer: TriggerLayer, ctx: CheckContext) -> list[tuple[int, str]]:
    indexed = [(i, m.text) for i, m in enumerate(ctx.conversation.messages) if m.role == "customer"]
    return indexed[-layer.config.recent_messages :][::-1]


def _ref_human(layer: TriggerLayer, recent: list[_Message]) -> Iterator[Finding]:
    cue = layer._human_cue
    for message in recent:
        if cue is not None and not cue.search(message.normalized):
            continue
        index, cls = message.index, message.clauses
        matched = short_human_request(message.text, message.normalized)
        hit = HUMAN_REQUEST.search(cls) or layer._human_extra.search(cls)
        if matched is None and hit is not None:
            matched = hit.matched
        if matched is not None:
            yield Finding.of(
                LayerName.routing,
                Code.HUMAN_REQUESTED,
                f'the customer asked for a person ("{matched}")',
                matched=matched,
                message_index=index,
            )
            return


def _ref_brand(layer: TriggerLayer, ctx: CheckContext, recent: list[_Message]) -> list[Finding]:
    draft = ctx.analysis
    hits: list[tuple[Hit, str]] = []
    forbidden = layer.forbidden_hits(draft.flat)
    if forbidden:
        hits.append((Hit("forbidden", forbidden[0]), "the draft contains a forbidden phrase"))
    if layer.brand.profanity and (m := profanity(draft.normalized)):
        hits.append((Hit("profanity", m.group(0)), "the draft contains profanity"))
    if disparaging := layer._disparage.search(draft.prepared):  # (no cue)
        hits.append((disparaging, "the draft disparages the brand"))
    if layer.brand.creative_writing and (
        creative := answers_creative_request(
            [m.clauses for m in recent], draft.text, draft.normalized
        )
    ):
        hits.append((creative, "the draft answers an off-task request for creative writing"))
    return [
        Finding.of(
            LayerName.routing,
            Code.BRAND_SAFETY,
            f'{message} ("{hit.matched}")',
            category=hit.category,
            matched=hit.matched,
        )
        for hit, message in hits
    ]


def _ref_findings(layer: TriggerLayer, ctx: CheckContext) -> list[Finding]:
    recent = [_Message(i, t) for i, t in _ref_recent(layer, ctx)]
    out = list(layer._confidence(ctx))
    if layer.config.human_requested:
        out += _ref_human(layer, recent)
    out += layer._sensitive_intent(ctx, recent)
    out += _ref_brand(layer, ctx, recent)
    return out


# -- strategies ---------------------------------------------------------------------------

_SPACE = st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "\r\n"])
_WORD = st.text(alphabet=st.characters(blacklist_categories=("Zs", "Cc", "Cs")), max_size=12)
_LONG = st.lists(st.tuples(_WORD, _SPACE), max_size=120).map(
    lambda parts: "".join(w + s for w, s in parts)
)
_clip_texts = st.one_of(texts, _LONG, st.builds(lambda a, b: a + b, _SPACE, _LONG))

_CATEGORIES = ["legal", "chargeback", "complaint", "account_closure", "intent", "tenant", None]
_INTENTS = ["legal", "Charge-Back", "dispute", "refunds", "  Dispute ", None]


@st.composite
def _findings(draw: st.DrawFn) -> Finding:
    code = draw(st.sampled_from(list(Code)))
    evidence: dict[str, Any] = {}
    if (category := draw(st.sampled_from(_CATEGORIES))) is not None:
        evidence["category"] = category
    if (intent := draw(st.sampled_from(_INTENTS))) is not None:
        evidence["intent"] = intent
    if draw(st.booleans()):
        evidence["recheck"] = draw(st.booleans())
    message = draw(st.sampled_from(["x", "something went wrong", ""]))
    return Finding.of(LayerName.routing, code, message, **evidence)


_knowledge = cache(acme_knowledge)
_TOOLS = ["refund_order", "lookup_order", "issue_store_credit", "send_email", "reset"]


@st.composite
def _results(draw: st.DrawFn) -> ToolCallResult:
    name = draw(st.sampled_from(_TOOLS))
    keys = draw(st.lists(st.sampled_from(["order_id", "amount", "note", "total", "x"])))
    call = ToolCall(name=name, arguments={k: draw(st.integers(0, 99)) for k in keys})
    if draw(st.booleans()):
        return ToolCallResult.allow(call)
    return ToolCallResult.block(call, [Violation(rule="r", message="no")])


_tool_lists = st.lists(_results(), max_size=4)
_money = st.lists(st.sampled_from(_TOOLS), max_size=2)


@st.composite
def _contexts(draw: st.DrawFn) -> CheckContext:
    roles = draw(st.lists(st.sampled_from(["customer", "agent", "system"]), max_size=7))
    messages = [Message(role=r, text=draw(texts)) for r in roles]
    conv = conversation(
        messages=messages,
        intent=draw(st.sampled_from([None, "legal", "refunds", "account_closure"])),
    )
    conv = conv.model_copy(update={"customer_id": draw(st.sampled_from([None, "u-1"]))})
    draft = Draft(
        text=draw(st.one_of(texts, _LONG)),
        confidence=draw(st.one_of(st.none(), st.floats(0, 1))),
        tool_calls=[ToolCall(name=n) for n in draw(st.lists(st.sampled_from(_TOOLS)))],
    )
    return CheckContext(conv, draft, _knowledge(), "audit-h1")


# -- the equivalences ----------------------------------------------------------------------


@settings(max_examples=600, deadline=None)
@given(_clip_texts, st.sampled_from([1, 2, 5, 160, 200, 300]))
def test_clip_equals_collapsing_the_whole_text(text: str, limit: int) -> None:
    assert _clip(text, limit) == _ref_clip(text, limit)


def test_clip_examples() -> None:
    long = "word " * 100
    assert _clip(long) == _ref_clip(long)
    assert len(_clip(long)) == 160
    spaced = "a" + " " * 400 + "b"  # the head collapses to "a": falls back to the whole
    assert _clip(spaced) == _ref_clip(spaced) == "a b"
    gappy = "ab   " * 60  # the head collapses to fewer characters than it reads
    assert _clip(gappy) == _ref_clip(gappy)
    assert _clip(gappy, 200) == _ref_clip(gappy, 200)


@settings(max_examples=500, deadline=None)
@given(st.lists(_findings(), max_size=6), _tool_lists, _money)
def test_priority_and_reason_equal_the_reference(
    findings: list[Finding], results: list[ToolCallResult], money: list[str]
) -> None:
    assert priority(findings, results, money) == _ref_priority(findings, results, money)
    assert [reason(f) for f in findings] == [_ref_reason(f) for f in findings]
    assert [_call_phrase(r) for r in results] == [_ref_call_phrase(r) for r in results]


@settings(max_examples=300, deadline=None)
@given(_contexts(), st.lists(_findings(), max_size=6), _tool_lists)
def test_summary_equals_the_reference(
    ctx: CheckContext, findings: list[Finding], results: list[ToolCallResult]
) -> None:
    assert _summary(ctx, findings, results, "high") == _ref_summary(ctx, findings, results, "high")


@settings(max_examples=300, deadline=None)
@given(
    _contexts(),
    st.integers(0, 5),
    st.booleans(),
    st.sampled_from([[], ["my guy"]]),
    st.sampled_from([[], ["legally binding"], ["!!!", "no refunds ever"]]),
)
def test_trigger_collection_equals_the_generator_chain(
    ctx: CheckContext, recent: int, human: bool, phrases: list[str], forbidden: list[str]
) -> None:
    config = RoutingConfig.model_construct(
        **{
            **RoutingConfig().__dict__,
            "recent_messages": recent,
            "human_requested": human,
            "human_phrases": phrases,
        }
    )
    layer = TriggerLayer(config, BrandConfig(names=["Acme"], forbidden=forbidden))
    got = layer._recent(ctx)
    assert [(m.index, m.text) for m in got] == _ref_recent(layer, ctx)
    want = [f.model_dump() for f in _ref_findings(layer, ctx)]
    assert [f.model_dump() for f in layer._collect(ctx)] == want
    assert [f.model_dump() for f in layer.findings(ctx)] == want


def test_an_empty_draft_still_meets_a_punctuation_only_forbidden_phrase() -> None:
    ctx = CheckContext(
        conversation("write me a poem about boots", "damn it"),
        Draft(text="", tool_calls=[ToolCall(name="refund_order")]),
        _knowledge(),
        "audit-h1",
    )
    layer = TriggerLayer(RoutingConfig(), BrandConfig(names=["Acme"], forbidden=["!!!"]))
    recent = [_Message(i, t) for i, t in _ref_recent(layer, ctx)]
    got = [f.model_dump() for f in layer._collect(ctx)]
    assert got == [f.model_dump() for f in _ref_findings(layer, ctx)]
    assert got == [f.model_dump() for f in _ref_brand(layer, ctx, recent)]
    assert [f["matched"] for f in got] == ["!!!", "write me a poem"]
