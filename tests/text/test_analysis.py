"""The shared reading of a draft: one money parser for grounding and the commitment scan,
and one analysis per check on the CheckContext."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardrail.grounding import GroundingLayer, extract_claims
from guardrail.knowledge import GoldenSet, Knowledge, KnowledgeBase
from guardrail.layers import CheckContext
from guardrail.models import Conversation, Draft
from guardrail.text import Analysis
from guardrail.tools import find_promises

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("$1.2k", 120_000),
        ("$76k", 7_600_000),
        ("$2 million", 200_000_000),
        ("120 CAD", 12_000),
        ("ten dollars", 1_000),
        ("50 cents", 50),
        ("¥1000", 1_000),
        ("€25,50", 2_550),
        ("$1,500", 150_000),
    ],
)
def test_the_commitment_scan_and_grounding_read_one_amount(amount: str, cents: int) -> None:
    """A promised amount is the cents grounding's claim reads from the same words."""
    text = f"I've refunded you {amount}."
    [claim] = extract_claims(text, NOW)
    [promise] = find_promises(text)
    assert claim.low == cents
    assert promise.amount_cents == cents


@given(
    dollars=st.integers(1, 9_999),
    cents=st.integers(0, 99),
    frame=st.sampled_from(
        [
            "I've refunded you {m}.",
            "We have issued a refund of {m} to your card.",
            "I've added {m} of store credit to your account.",
            "A refund of {m} has been processed.",
        ]
    ),
)
def test_every_promised_amount_is_the_claims_amount(dollars: int, cents: int, frame: str) -> None:
    """For any dollar amount in a promise, the scan's amount equals the money claim's."""
    text = frame.format(m=f"${dollars:,}.{cents:02d}")
    money = [c for c in extract_claims(text, NOW) if c.kind.value == "money"]
    [promise] = find_promises(text)
    assert [c.low for c in money] == [promise.amount_cents] == [dollars * 100 + cents]


def test_a_total_is_the_promised_amount() -> None:
    """The amount said to be the total is the one promised, read by the same parser."""
    [promise] = find_promises("I've refunded $60.00 for each rug, $120.50 in total.")
    assert promise.amount_cents == 12_050
    [of] = find_promises("I've refunded a total of $1.2k.")
    assert of.amount_cents == 120_000


def test_amounts_survive_text_whose_normal_form_moves_offsets() -> None:
    """Text whose NFKC form changes length ("ﬁne") still yields the amount at the right
    place in the normalised sentence."""
    [promise] = find_promises("The ﬁne print aside, I've refunded you $45.")
    assert promise.amount_cents == 4_500


def _ctx(text: str) -> CheckContext:
    knowledge = Knowledge(GoldenSet([]), KnowledgeBase([]))
    conversation = Conversation(tenant="t", id="c", as_of=NOW)
    return CheckContext(conversation, Draft(text=text), knowledge, "a-1")


def test_one_analysis_per_check_for_the_current_draft() -> None:
    """A context hands every layer the same analysis, and a new one when the draft
    changes (a rewrite's re-check)."""
    ctx = _ctx("You have 30 days.")
    first = ctx.analysis
    assert ctx.analysis is first
    assert first.claims() is ctx.analysis.claims()
    assert [c.text for c in first.claims()] == ["30 days"]
    ctx.draft = Draft(text="You have 45 days.")
    assert ctx.analysis is not first
    assert [c.text for c in ctx.analysis.claims()] == ["45 days"]


def test_grounding_reads_the_checks_analysis() -> None:
    """The grounding layer in the pipeline finds what it finds standalone, from the
    context's analysis (whose claims it computed once)."""

    golden = GoldenSet.load("examples/acme/policies.json")
    knowledge = Knowledge(golden, KnowledgeBase.load("examples/acme/knowledge"))
    layer = GroundingLayer(knowledge)
    text = "You have 60 days to return unworn items, and refunds take 5 business days."
    conversation = Conversation(tenant="acme", id="c", as_of=NOW)
    ctx = CheckContext(conversation, Draft(text=text), knowledge, "a-1")
    result = asyncio.run(layer.run(ctx))
    alone = layer.check(text, as_of=NOW)
    assert [f.code for f in result.findings] == [f.code for f in alone]
    assert "POLICY_CONTRADICTION" in {f.code.value for f in alone}
    assert ctx.analysis.claims() is ctx.analysis.claims()


def test_an_analysis_holds_no_text_beyond_its_check() -> None:
    """Two analyses of one text share nothing: no process-wide cache keeps customer text."""
    a, b = Analysis("I've refunded you $40."), Analysis("I've refunded you $40.")
    assert a.claims() is not b.claims()
    assert a.amounts == b.amounts
