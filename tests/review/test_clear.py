"""Soft grounding findings meet the reviewer: ``clear_soft_findings`` (a pure function)
clears an UNSUPPORTED_CLAIM or MISSING_CITATION only on a CONSISTENT verdict that quotes
the cited source's in-force knowledge-base text verbatim; hard codes are never touched.
The last two tests run the whole gate (grounding + a real SDK reviewer against the fake
provider) and need the pipeline wiring (grounding before the review request)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from guardrail import Code, Finding, Guardrail, LayerName
from guardrail.grounding import GroundingLayer
from guardrail.knowledge import GoldenSet, Knowledge, KnowledgeBase
from guardrail.models import ClaimVerdict, ReviewAnswer, Severity
from guardrail.review import ReviewLayer
from guardrail.review._clear import clear_soft_findings
from guardrail.testing._fake_provider import FakeProvider
from guardrail.testing._fake_wire import Step

from .conftest import conversation, draft, reviewer

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
KNOWLEDGE = Knowledge(
    GoldenSet.load(ACME / "policies.json"), KnowledgeBase.load(ACME / "knowledge")
)
#: a sentence of returns-policy v3 (in force at NOW), as the knowledge base has it
QUOTE = "Return shipping within the US is free; use the prepaid label in your order confirmation."
RET3 = [{"id": "returns-policy", "version": "3"}]


def unsupported(claim: str = "prepaid label", cited: list[dict[str, str]] = RET3) -> Finding:
    return Finding.of(
        LayerName.grounding, Code.UNSUPPORTED_CLAIM, "unsupported", claim=claim, cited=cited
    )


def answer(*claims: tuple[str, str, str]) -> ReviewAnswer:
    return ReviewAnswer(
        verdict="approve",
        reasoning="ok",
        claims=[ClaimVerdict(text=t, verdict=v, reason=r) for t, v, r in claims],  # type: ignore[arg-type]
    )


def test_a_consistent_verdict_with_a_verbatim_quote_clears() -> None:
    """CONSISTENT plus a quote found in the cited in-force KB text clears the finding:
    it stays, with cleared_by "review", the quote and source, and no longer blocks."""
    review = answer(("prepaid label", "CONSISTENT", f'returns-policy says "{QUOTE}"'))
    [f] = clear_soft_findings([unsupported()], review, KNOWLEDGE, NOW)
    assert f.code is Code.UNSUPPORTED_CLAIM
    assert f.severity is Severity.info and not f.severity.blocks
    ev = f.evidence
    assert (ev["cleared_by"], ev["review_source"]) == ("review", "returns-policy")
    assert ev["claim"] == "prepaid label"


def test_a_quote_not_in_the_source_does_not_clear() -> None:
    """A CONSISTENT verdict whose quote is not in the cited source's in-force text (made
    up, or from a superseded version) leaves the finding blocking."""
    for quote in ("Return shipping is always free, forever.", "within 60 days of delivery"):
        review = answer(("prepaid label", "CONSISTENT", f'"{quote}"'))
        [f] = clear_soft_findings([unsupported()], review, KNOWLEDGE, NOW)
        assert f.severity is Severity.major and "cleared_by" not in f.evidence


def test_the_quote_must_come_from_a_cited_source() -> None:
    """For UNSUPPORTED_CLAIM the quote must be in a document the draft cites."""
    review = answer(("prepaid label", "CONSISTENT", f'"{QUOTE}"'))
    other = unsupported(cited=[{"id": "shipping-policy", "version": "2"}])
    [f] = clear_soft_findings([other], review, KNOWLEDGE, NOW)
    assert f.severity.blocks


def test_other_verdicts_and_short_quotes_do_not_clear() -> None:
    """UNVERIFIABLE, INCONSISTENT, a missing entry or a too-short quote leave it as is."""
    for review in (
        answer(("prepaid label", "UNVERIFIABLE", f'"{QUOTE}"')),
        answer(("prepaid label", "INCONSISTENT", f'"{QUOTE}"')),
        answer(("something else", "CONSISTENT", f'"{QUOTE}"')),
        answer(("prepaid label", "CONSISTENT", '"is free"')),
        answer(
            ("prepaid label", "CONSISTENT", f'"{QUOTE}"'),
            ("the prepaid label is free", "INCONSISTENT", "contradicts"),
        ),
    ):
        [f] = clear_soft_findings([unsupported()], review, KNOWLEDGE, NOW)
        assert f.severity.blocks, review


def test_hard_codes_and_no_review_are_untouched() -> None:
    """POLICY_CONTRADICTION, STALE_SOURCE and UNKNOWN_SOURCE are never cleared, and with
    no review every finding is returned unchanged."""
    hard = [
        Finding.of(LayerName.grounding, code, "hard", claim="prepaid label", cited=RET3)
        for code in (Code.POLICY_CONTRADICTION, Code.STALE_SOURCE, Code.UNKNOWN_SOURCE)
    ]
    review = answer(("prepaid label", "CONSISTENT", f'"{QUOTE}"'))
    assert clear_soft_findings(hard, review, KNOWLEDGE, NOW) == hard
    soft = [unsupported()]
    assert clear_soft_findings(soft, None, KNOWLEDGE, NOW) == soft


def test_missing_citation_clears_only_when_every_claim_does() -> None:
    """A MISSING_CITATION is cleared only when each of its claims is supported by a
    quote from some document in force."""
    finding = Finding.of(
        LayerName.grounding,
        Code.MISSING_CITATION,
        "missing",
        claims=[{"claim": "prepaid label"}, {"claim": "15%"}],
    )
    one = answer(("prepaid label", "CONSISTENT", f'"{QUOTE}"'))
    [f] = clear_soft_findings([finding], one, KNOWLEDGE, NOW)
    assert f.severity.blocks
    both = answer(
        ("prepaid label", "CONSISTENT", f'"{QUOTE}"'),
        ("15%", "CONSISTENT", '"Opened electronics carry a 15% restocking fee."'),
    )
    [f] = clear_soft_findings([finding], both, KNOWLEDGE, NOW)
    assert not f.severity.blocks and f.evidence["review_sources"] == ["returns-policy"]


# -- end to end (needs the pipeline wiring: grounding before the review request) ---------


def _gate(fake: FakeProvider) -> Guardrail:
    return Guardrail(
        tenant="acme",
        knowledge=KNOWLEDGE,
        grounding=GroundingLayer(KNOWLEDGE),
        review=ReviewLayer(reviewer("anthropic", fake.url)),
    )


def _case() -> tuple[dict[str, object], dict[str, object]]:
    text = "Return shipping is on us: the prepaid label costs you $0.00 within the US."
    sources = [{"id": "returns-policy", "version": "3", "text": ""}]
    return conversation("Do I pay for return shipping?"), draft(text, sources=sources)


def test_the_reviewer_is_asked_about_the_soft_claims_and_clears_them() -> None:
    """With a reviewer, grounding's unsupported claim is put to it in the request, and a
    CONSISTENT verdict quoting the cited source releases the draft with the finding kept
    as cleared."""
    conv, dft = _case()
    claims = [{"text": "$0.00", "verdict": "CONSISTENT", "reason": f'"{QUOTE}"'}]
    with FakeProvider(Step.answer("approve", claims=claims)) as fake:
        decision = _gate(fake).check(conv, dft)
        assert '"claims_to_check"' in fake.requests[0].prompt_text
    [f] = [f for f in decision.findings if f.code is Code.UNSUPPORTED_CLAIM]
    assert f.evidence["cleared_by"] == "review" and f.severity is Severity.info
    assert decision.action.value == "release"


def test_without_a_supporting_quote_the_draft_still_escalates() -> None:
    """A reviewer that approves without a verbatim quote clears nothing: the unsupported
    claim still blocks."""
    conv, dft = _case()
    claims = [{"text": "$0.00", "verdict": "CONSISTENT", "reason": "looks right"}]
    with FakeProvider(Step.answer("approve", claims=claims)) as fake:
        decision = _gate(fake).check(conv, dft)
    [f] = [f for f in decision.findings if f.code is Code.UNSUPPORTED_CLAIM]
    assert f.severity.blocks and "cleared_by" not in f.evidence
    assert decision.action.value == "escalate"
