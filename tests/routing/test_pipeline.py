"""Routing through the real pipeline: the rewrite re-check (a QA rewrite that introduces
a policy contradiction escalates), the tenant rewriter hook, the example tenant with the
real layers, and the routing scenarios in examples/acme/scenarios/6?-*.json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from guardrail import Guardrail
from guardrail.layers import CheckContext, LayerResult
from guardrail.models import Action, Code, Conversation, Draft, Finding, LayerName
from guardrail.routing import BrandConfig, Router, RoutingConfig, TriggerLayer

from .helpers import (
    ACME,
    PhraseGrounding,
    ScriptedReview,
    acme_knowledge,
    conversation,
    finding,
    review,
)

GOOD = "Unworn items can be returned within 30 days of delivery."
BAD = "Good news: you can return unworn items within 60 days of delivery."
SOURCES = [{"id": "returns-policy", "version": "3", "text": "... within 30 days of delivery."}]


def _qa(rewrite: str | None) -> ScriptedReview:
    return ScriptedReview(
        review("rewrite", rewrite, reasoning="Tone is curt; soften it."),
        [finding(Code.QA_REWRITE)],
    )


def _guard(qa: ScriptedReview, grounding: PhraseGrounding | None = None, **kw: object) -> Guardrail:
    cfg = RoutingConfig(**kw.pop("routing", {}))  # type: ignore[arg-type]
    return Guardrail(
        tenant="acme",
        knowledge=acme_knowledge(),
        grounding=grounding or PhraseGrounding(),
        review=qa,
        triggers=TriggerLayer(cfg, BrandConfig(names=["Acme"], forbidden=["legally binding"])),
        router=Router(cfg),
        **kw,  # type: ignore[arg-type]
    )


async def test_rewrite_that_introduces_a_contradiction_escalates() -> None:
    """The QA rewrite says 60 days; re-checked by grounding it contradicts policy, so the
    decision escalates, the finding is tagged as the rewrite's, and the handoff says so."""
    grounding = PhraseGrounding("60 days")
    guard = _guard(_qa(BAD), grounding)
    decision = await guard.acheck(conversation("Can I return my boots?"), {"text": GOOD})
    assert decision.action is Action.escalate
    assert decision.text is None
    assert grounding.seen == [(GOOD, False), (BAD, True)]
    rechecked = [f for f in decision.findings if f.evidence.get("recheck")]
    assert [f.code for f in rechecked] == [Code.POLICY_CONTRADICTION]
    assert decision.handoff is not None
    assert any(r.startswith("In the rewrite: Contradicts policy") for r in decision.handoff.reasons)
    assert decision.handoff.review is not None and decision.handoff.review.rewrite == BAD
    assert "return_window_days" in {f["key"] for f in decision.handoff.facts}


async def test_clean_rewrite_is_released_as_rewritten() -> None:
    """A rewrite that passes the deterministic layers is what may be sent."""
    guard = _guard(_qa(GOOD))
    decision = await guard.acheck(conversation("Can I return my boots?"), {"text": "Yes."})
    assert decision.action is Action.rewrite
    assert decision.text == GOOD
    assert decision.handoff is None


async def test_rewrite_is_rechecked_by_the_triggers_too() -> None:
    """A rewrite that swears is stopped by BRAND_SAFETY on the re-check."""
    guard = _guard(_qa("Damn, sorry about that. Anything else?"))
    decision = await guard.acheck(conversation("Is that final?"), {"text": "Yes."})
    assert decision.action is Action.escalate
    assert [f.code for f in decision.findings if f.evidence.get("recheck")] == [Code.BRAND_SAFETY]


async def test_rewrite_verdict_without_text_escalates() -> None:
    """QA asks for a rewrite but supplies none and there is no hook: escalate."""
    decision = await _guard(_qa(None)).acheck(conversation("hi"), {"text": "Hello."})
    assert decision.action is Action.escalate
    assert decision.handoff is not None and decision.holding_message


async def test_rewrite_not_asked_when_a_trigger_fires() -> None:
    """A QA rewrite never overrides a human request: the draft escalates, no re-check."""
    grounding = PhraseGrounding()
    guard = _guard(_qa(GOOD), grounding)
    decision = await guard.acheck(conversation("agent please"), {"text": "Hello."})
    assert decision.action is Action.escalate
    assert [recheck for _, recheck in grounding.seen] == [False]


def _hook(text: str | None) -> object:
    seen: list[Sequence[Finding]] = []

    def rewriter(conv: Conversation, draft: Draft, findings: Sequence[Finding]) -> str | None:
        seen.append(findings)
        return text

    rewriter.seen = seen  # type: ignore[attr-defined]
    return rewriter


class MissingCitation(PhraseGrounding):
    """A stand-in for grounding: MISSING_CITATION when the draft states a number and
    cites nothing."""

    async def run(self, ctx: CheckContext) -> LayerResult:
        base = await super().run(ctx)
        if ctx.draft.sources or not any(ch.isdigit() for ch in ctx.draft.text):
            return base
        return LayerResult(findings=(finding(Code.MISSING_CITATION), *base.findings))


@pytest.mark.parametrize(
    ("hook_text", "action"),
    [("Let me check the policy and get back to you.", Action.rewrite), (None, Action.escalate)],
)
async def test_tenant_rewriter_hook_for_missing_citations(
    hook_text: str | None, action: Action
) -> None:
    """With MISSING_CITATION in rewrite_codes, the tenant hook's text is re-checked and
    released; a hook that returns nothing escalates."""
    hook = _hook(hook_text)
    grounding = MissingCitation("never")
    qa = ScriptedReview(review("approve"))
    guard = _guard(
        qa,
        grounding,
        routing={"rewrite_codes": ["QA_REWRITE", "MISSING_CITATION"]},
        rewriter=hook,
    )
    decision = await guard.acheck(conversation("how fast?"), {"text": "It takes 2 days."})
    assert decision.action is action
    assert hook.seen and hook.seen[0][0].code is Code.MISSING_CITATION  # type: ignore[attr-defined]


async def test_rewrite_that_still_lacks_a_citation_escalates() -> None:
    """The hook's rewrite still has the gap it was meant to fix: the re-check escalates."""
    guard = _guard(
        ScriptedReview(review("approve")),
        MissingCitation("never"),
        routing={"rewrite_codes": ["MISSING_CITATION"]},
        rewriter=_hook("It takes 3 days."),
    )
    decision = await guard.acheck(conversation("how fast?"), {"text": "It takes 2 days."})
    assert decision.action is Action.escalate
    assert [f.code for f in decision.findings if f.evidence.get("recheck")] == [
        Code.MISSING_CITATION
    ]


async def test_real_grounding_rechecks_a_contradicting_rewrite(acme_config: Path) -> None:
    """With the example tenant's real layers, a QA rewrite claiming the superseded 60-day
    window is caught by grounding on the re-check and escalates."""
    qa = _qa("Good news: unworn items can be returned within 60 days of delivery.")
    guard = Guardrail.from_config(str(acme_config), audit=None, review=qa)
    case = json.loads((ACME / "scenarios" / "02-correct-30-day-window.json").read_text())
    decision = await guard.acheck(case["conversation"], case["draft"])
    assert Code.LAYER_ERROR not in decision.codes()
    assert decision.action is Action.escalate
    rechecked = [f for f in decision.findings if f.evidence.get("recheck")]
    assert Code.POLICY_CONTRADICTION in {f.code for f in rechecked}
    assert all(f.layer is not LayerName.routing for f in rechecked)


async def test_real_layers_release_a_clean_rewrite(acme_config: Path) -> None:
    """With the real layers, a correct rewrite of a correct draft is released as rewritten."""
    rewrite = "Yes. Unworn items can be returned within 30 days of delivery."
    guard = Guardrail.from_config(str(acme_config), audit=None, review=_qa(rewrite))
    case = json.loads((ACME / "scenarios" / "02-correct-30-day-window.json").read_text())
    decision = await guard.acheck(case["conversation"], case["draft"])
    assert (decision.action, decision.text) == (Action.rewrite, rewrite)


SCENARIOS = sorted((ACME / "scenarios").glob("6?-*.json"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_routing_scenarios(path: Path, acme_config: Path) -> None:
    """Each routing scenario of the example tenant gets its expected action and codes
    through the full gate."""
    case = json.loads(path.read_text(encoding="utf-8"))
    guard = Guardrail.from_config(str(acme_config), audit=None)
    decision = guard.check(case["conversation"], case["draft"])
    assert decision.action.value == case["expect"]["action"], sorted(decision.codes())
    assert {Code(c) for c in case["expect"].get("codes", [])} <= decision.codes()
    if decision.action is Action.release:
        assert decision.findings == [] or all(not f.severity.blocks for f in decision.findings)


def test_scenario_files_exist() -> None:
    """The routing scenarios cover false triggers that must be released and real ones."""
    actions = [json.loads(p.read_text())["expect"]["action"] for p in SCENARIOS]
    assert actions.count("release") >= 4 and actions.count("escalate") >= 4
