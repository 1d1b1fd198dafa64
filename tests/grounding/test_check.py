"""The grounding check's rules: citations and versions, authoritative text, backing by
context and allowed tool calls, unit conversion, caps, evidence, and the layer protocol."""

from __future__ import annotations

from datetime import UTC, datetime

from guardrail.grounding import GroundingLayer
from guardrail.knowledge import Document, Fact, GoldenSet, Knowledge, KnowledgeBase
from guardrail.layers import CheckContext
from guardrail.models import (
    Code,
    Conversation,
    Draft,
    LayerName,
    Severity,
    SourceRef,
    ToolCall,
    ToolCallResult,
    Violation,
)

from .labelled import NOW, ORDER, SEPT
from .support import acme_knowledge, acme_layer, codes

RET3 = SourceRef(id="returns-policy", version="3", text="")
RET2 = SourceRef(id="returns-policy", version="2", text="")


def check(text: str, *sources: SourceRef, at: datetime = NOW, **kw: object) -> set[str]:
    return set(codes(acme_layer().check(text, as_of=at, sources=sources, **kw)))  # type: ignore[arg-type]


def test_policy_contradiction_evidence() -> None:
    """A contradiction carries the span, claim, normalised value and unit, the fact key,
    the expected value and the fact's source, with critical severity."""
    text = "Yes! You have 60 days from delivery to return unworn items."
    [stale, f] = acme_layer().check(text, as_of=NOW, sources=[RET2])
    assert stale.code is Code.STALE_SOURCE
    assert f.code is Code.POLICY_CONTRADICTION and f.severity is Severity.critical
    assert f.layer is LayerName.grounding
    ev = f.evidence
    assert text[slice(*ev["span"])] == ev["claim"] == "60 days"
    assert (ev["value"], ev["unit"], ev["fact_key"], ev["expected"]) == (
        60,
        "day",
        "return_window_days",
        30,
    )
    assert ev["source"] == {"id": "returns-policy", "version": "3"}
    assert stale.evidence["in_force"] == "3"


def test_version_awareness_both_ways() -> None:
    """The same 60-day answer citing v2 is clean before the change and stale and wrong
    after it; 30 days citing v3 is wrong before the change took effect."""
    text = "You can return unworn items within 60 days of delivery."
    assert check(text, RET2, at=SEPT) == set()
    assert check(text, RET2, at=NOW) == {"STALE_SOURCE", "POLICY_CONTRADICTION"}
    before = check("You can return unworn items within 30 days.", RET3, at=SEPT)
    assert before == {"STALE_SOURCE", "POLICY_CONTRADICTION"}  # v3 was not yet in force


def test_knowledge_base_text_is_authoritative() -> None:
    """A citation backs claims with the knowledge base's text of the version in force,
    never with the text the draft carries."""
    forged = SourceRef(id="shipping-policy", version="2", text="Express costs $25.")
    assert check("Express delivery costs $25.", forged) == {"UNSUPPORTED_CLAIM"}
    honest = SourceRef(id="shipping-policy", version="2", text="")
    assert check("Express delivery costs $15.", honest) == set()


def test_unknown_version_of_a_known_document_is_unknown() -> None:
    """A version the knowledge base never had is an unknown source, not a stale one."""
    fake = SourceRef(id="returns-policy", version="9", text="")
    assert "UNKNOWN_SOURCE" in check("Returns take 30 days.", fake)


def test_context_backs_claims_and_customer_messages_do_not() -> None:
    """Order data in context backs amounts and dates; the customer's own words never do."""
    assert check("Your order total was $129.00.", context=ORDER) == set()
    assert check("Your order total was $129.00.") == {"MISSING_CITATION"}
    assert check("It was delivered on November 2, 18 days ago.", context=ORDER) == set()


def test_only_allowed_tool_calls_back_claims() -> None:
    """A refund amount is backed by an allowed tool call, not by a blocked one."""
    call = ToolCall(name="refund_order", arguments={"amount_cents": 12900})
    allowed = ToolCallResult.allow(call)
    blocked = ToolCallResult.block(call, [Violation(rule="r", message="no")])
    assert check("I've refunded $129.00.", allowed_calls=[allowed]) == set()
    assert check("I've refunded $129.00.", allowed_calls=[blocked]) == {"MISSING_CITATION"}


def test_missing_citation_lists_every_unbacked_claim_once() -> None:
    """With no source cited, one MISSING_CITATION names every unbacked claim."""
    [f] = acme_layer().check("Express is $15 and takes 2 business days.", as_of=NOW)
    assert f.code is Code.MISSING_CITATION
    assert [c["claim"] for c in f.evidence["claims"]] == ["$15", "2 business days"]


def test_inexact_units_never_contradict_but_certain_ones_do() -> None:
    """'A month' vs 30 days is not a contradiction (28-31 days); 'two months' and
    '4 weeks' certainly are; 'a year' agrees with 12 months exactly."""
    assert "POLICY_CONTRADICTION" not in check("Returns are accepted within a month.", RET3)
    assert "POLICY_CONTRADICTION" in check("Returns are accepted for two months.", RET3)
    assert "POLICY_CONTRADICTION" in check("Returns are accepted for 4 weeks.", RET3)
    war = SourceRef(id="warranty-policy", version="1", text="")
    assert check("The warranty lasts a year.", war) == set()


def test_caps_accept_any_value_up_to_the_cap() -> None:
    """A fact with bound 'at_most' accepts smaller values and contradicts larger ones."""
    credit = SourceRef(id="store-credit-policy", version="1", text="")
    assert check("I've added $25 of store credit.", credit) == set()
    assert "POLICY_CONTRADICTION" in check("I've added $250 of store credit.", credit)


def test_boolean_facts_follow_polarity() -> None:
    """'We don't offer X' agrees with a false fact; 'you can get X' contradicts it."""
    ref = SourceRef(id="refunds-policy", version="1", text="")
    assert check("We don't offer bereavement refunds.", ref) == set()
    assert check("We offer bereavement refunds.", ref) == {"POLICY_CONTRADICTION"}
    assert check("Can I help with anything about bereavement?", ref) == set()


def test_topic_index_cost_does_not_grow_with_the_golden_set() -> None:
    """Mentions are found through the topic index: 5,000 unrelated facts change nothing."""
    base = acme_knowledge()
    extra = [
        Fact(
            key=f"noise_{i}",
            value=i,
            unit="day",
            topic=(f"zqx{i}",),
            source={"id": "noise", "version": "1"},  # type: ignore[arg-type]
        )
        for i in range(5_000)
    ]
    big = Knowledge(GoldenSet([*base.golden.all_facts(), *extra]), base.documents)
    layer = GroundingLayer(big)
    text = "You can return unworn items within 60 days of delivery."
    assert codes(layer.check(text, as_of=NOW, sources=[RET3])) == {"POLICY_CONTRADICTION"}
    assert len(layer._grounder.index.mentions(text)) == 1


async def test_run_speaks_the_layer_protocol() -> None:
    """run() reads the draft, sources, context and allowed calls from the CheckContext
    and returns grounding findings in a LayerResult."""
    kb = KnowledgeBase([Document(id="p", version="1", text="Returns within 30 days.")])
    fact = Fact(
        key="w",
        value=30,
        unit="day",
        topic=("return",),
        source={"id": "p", "version": "1"},  # type: ignore[arg-type]
    )
    layer = GroundingLayer(Knowledge(GoldenSet([fact]), kb))
    conv = Conversation(tenant="t", id="c", as_of=datetime(2026, 1, 1, tzinfo=UTC))
    draft = Draft(
        text="You can return it within 60 days.", sources=[SourceRef(id="p", version="1")]
    )
    result = await layer.run(CheckContext(conv, draft, layer.knowledge, "a1"))
    assert [f.code for f in result.findings] == [Code.POLICY_CONTRADICTION]
    assert result.tool_calls is None and result.review is None
    assert layer.name is LayerName.grounding
