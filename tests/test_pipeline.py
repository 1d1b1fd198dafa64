"""The pipeline: one fail-closed boundary, sync/async parity, wrap, pre-send hook,
review cancellation, rewrite re-check and the audit invariant — with stand-in layers so
that the pipeline's own behaviour is what is pinned."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from guardrail import (
    Action,
    CheckContext,
    Code,
    Conversation,
    Decision,
    Draft,
    Finding,
    Guardrail,
    InputError,
    LayerName,
    LayerResult,
    Review,
    UserError,
)

CONV = Conversation.model_validate(
    {
        "tenant": "acme",
        "id": "c-1",
        "customer_id": "u-1",
        "as_of": "2026-11-20T10:00:00Z",
        "messages": [{"role": "customer", "text": "Can I return my boots?"}],
    }
)
DRAFT = Draft(text="Yes, within 30 days.", confidence=0.9)


@dataclass
class StubLayer:
    """A layer whose behaviour the test sets: findings from a function of the context,
    an exception, or a delay."""

    name: LayerName
    find: Callable[[CheckContext], Sequence[Finding]] = lambda _ctx: ()
    raises: BaseException | None = None
    delay: float = 0.0
    review: Review | None = None
    calls: list[str] = field(default_factory=list)

    async def run(self, ctx: CheckContext) -> LayerResult:
        self.calls.append(ctx.draft.text)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.raises is not None:
            raise self.raises
        return LayerResult(findings=tuple(self.find(ctx)), review=self.review)


def finding(code: Code, layer: LayerName = LayerName.grounding) -> Finding:
    return Finding.of(layer, code, f"{code.value} (test)")


def guard(**layers: Any) -> Guardrail:
    return Guardrail(tenant="acme", **layers)


@pytest.mark.parametrize("slot", ["grounding", "triggers", "review"])
def test_a_layer_that_raises_escalates_and_names_the_layer(slot: str) -> None:
    """Any exception inside a layer becomes a critical LAYER_ERROR naming it: escalate."""
    name = {
        "grounding": LayerName.grounding,
        "triggers": LayerName.routing,
        "review": LayerName.review,
    }[slot]
    layer = StubLayer(name, raises=RuntimeError("boom"))
    decision = guard(**{slot: layer}).check(CONV, DRAFT)
    assert decision.action is Action.escalate
    assert decision.text is None
    errors = [f for f in decision.findings if f.code is Code.LAYER_ERROR]
    assert [f.layer for f in errors] == [name]
    assert errors[0].evidence["error"] == "RuntimeError"
    assert decision.handoff is not None and decision.holding_message


def test_a_layer_returning_the_wrong_type_fails_closed() -> None:
    """A layer that returns something other than a LayerResult is treated as a failure."""

    class Broken:
        name = LayerName.grounding

        async def run(self, ctx: CheckContext) -> Any:
            return ["not", "a", "result"]

    decision = guard(grounding=Broken()).check(CONV, DRAFT)
    assert decision.action is Action.escalate
    assert Code.LAYER_ERROR in decision.codes()


def test_clean_draft_is_released_with_its_text_and_latencies() -> None:
    """No blocking finding: the draft's text is released and per-layer latency recorded."""
    decision = guard(grounding=StubLayer(LayerName.grounding, delay=0.01)).check(CONV, DRAFT)
    assert decision.action is Action.release
    assert decision.text == DRAFT.text
    assert decision.handoff is None and decision.holding_message is None
    assert decision.latency_ms.grounding >= 10.0
    assert decision.latency_ms.total >= decision.latency_ms.grounding
    assert len(decision.audit_id) == 32


def test_a_blocking_finding_escalates() -> None:
    """A major or critical finding from a deterministic layer keeps the draft back."""
    layer = StubLayer(LayerName.grounding, find=lambda _c: [finding(Code.MISSING_CITATION)])
    decision = guard(grounding=layer).check(CONV, DRAFT)
    assert decision.action is Action.escalate
    assert decision.codes() == {Code.MISSING_CITATION}


def _comparable(decision: Decision) -> dict[str, Any]:
    data = decision.model_dump(mode="json", exclude={"audit_id", "latency_ms"})
    return data


async def test_sync_and_async_give_the_same_decision() -> None:
    """check() and acheck() return the same decision (ids and timings aside), and check()
    works even when called from inside a running event loop."""
    layer = StubLayer(LayerName.grounding, find=lambda _c: [finding(Code.STALE_SOURCE)])
    g = guard(grounding=layer)
    async_decision = await g.acheck(CONV, DRAFT)
    sync_decision = g.check(CONV, DRAFT)  # inside this test's running loop
    assert _comparable(async_decision) == _comparable(sync_decision)
    assert async_decision.action is Action.escalate


def test_plain_dicts_are_accepted_and_bad_fields_named() -> None:
    """The Python API takes dicts too; a malformed field raises InputError naming it."""
    g = guard()
    decision = g.check(CONV.model_dump(mode="json"), {"text": "hi"})
    assert decision.action is Action.release
    with pytest.raises(InputError) as info:
        g.check(CONV.model_dump(mode="json"), {"text": "hi", "confidence": "very"})
    assert info.value.field == "draft.confidence"
    bad = {**CONV.model_dump(mode="json"), "as_of": "2026-11-20T10:00:00"}
    with pytest.raises(InputError) as info:
        g.check(bad, {"text": "hi"})
    assert info.value.field == "conversation.as_of"


def test_another_tenants_conversation_is_refused() -> None:
    """A guard checks its own tenant's conversations only."""
    other = CONV.model_copy(update={"tenant": "globex"})
    with pytest.raises(InputError) as info:
        guard().check(other, DRAFT)
    assert info.value.field == "conversation.tenant"


def test_wrap_a_sync_reply_function() -> None:
    """A wrapped sync reply function returns the Decision on its Draft."""
    g = guard(grounding=StubLayer(LayerName.grounding))

    @g.wrap
    def reply(conversation: Conversation) -> Draft:
        return Draft(text=f"Hello {conversation.customer_id}")

    decision = reply(CONV)
    assert isinstance(decision, Decision)
    assert decision.text == "Hello u-1"
    assert reply.__name__ == "reply"


async def test_wrap_an_async_reply_function() -> None:
    """A wrapped async reply function is still async and resolves to a Decision."""
    layer = StubLayer(LayerName.grounding, find=lambda c: [finding(Code.UNSUPPORTED_CLAIM)])
    g = guard(grounding=layer)

    @g.wrap
    async def reply(conversation: Conversation, *, tone: str = "warm") -> Draft:
        await asyncio.sleep(0)
        return Draft(text=f"{tone} reply")

    decision = await reply(CONV, tone="brisk")
    assert decision.action is Action.escalate
    assert layer.calls == ["brisk reply"]


def test_wrap_rejects_a_function_that_does_not_return_a_draft() -> None:
    """Returning anything but a Draft is a UserError, not a silent release."""
    g = guard()

    @g.wrap
    def reply(conversation: Conversation) -> Any:
        return "just a string"

    with pytest.raises(UserError, match=r"must return a guardrail\.Draft"):
        reply(CONV)
    with pytest.raises(UserError, match="Conversation"):
        g.wrap(lambda text: Draft(text=text))("no conversation here")


async def test_pre_send_hook_sync_and_async() -> None:
    """The pre-send hook answers both as a plain call and as an awaitable."""
    hook = guard().pre_send_hook()
    assert (await hook.acall(CONV, DRAFT)).action is Action.release
    assert hook(CONV, DRAFT).text == DRAFT.text


async def test_critical_deterministic_finding_cancels_a_slow_review() -> None:
    """The review is not awaited once a critical deterministic finding settles it (a
    review that never finishes would otherwise hit the 30 s safety net)."""
    slow = StubLayer(LayerName.review, delay=3600.0)
    crit = StubLayer(LayerName.grounding, find=lambda _c: [finding(Code.POLICY_CONTRADICTION)])
    async with asyncio.timeout(30):
        decision = await guard(grounding=crit, review=slow).acheck(CONV, DRAFT)
    assert decision.action is Action.escalate
    assert decision.review is None


async def test_review_sees_what_the_deterministic_layers_found() -> None:
    """The review is requested after grounding, with grounding's findings in its context
    (so the reviewer can be asked about soft findings)."""
    review = Review(verdict="approve", reasoning="ok", model="m", provider="p", latency_ms=1)
    seen: list[list[Code]] = []

    def record(ctx: CheckContext) -> list[Finding]:
        seen.append([f.code for f in ctx.findings])
        return []

    gl = StubLayer(LayerName.grounding, find=lambda _c: [finding(Code.UNSUPPORTED_CLAIM)])
    rl = StubLayer(LayerName.review, find=record, review=review)
    decision = await guard(grounding=gl, review=rl).acheck(CONV, DRAFT)
    assert seen == [[Code.UNSUPPORTED_CLAIM]]
    assert decision.review == review


async def test_a_critical_deterministic_finding_skips_the_review() -> None:
    """A critical finding settles the outcome: no review is requested, the gate escalates."""
    gl = StubLayer(LayerName.grounding, find=lambda _c: [finding(Code.POLICY_CONTRADICTION)])
    rl = StubLayer(LayerName.review)
    decision = await guard(grounding=gl, review=rl).acheck(CONV, DRAFT)
    assert rl.calls == [] and decision.review is None
    assert decision.action is Action.escalate


def _rewrite_review(text: str) -> StubLayer:
    review = Review(
        verdict="rewrite", reasoning="tone", rewrite=text, model="m", provider="p", latency_ms=1
    )
    return StubLayer(
        LayerName.review,
        review=review,
        find=lambda _c: [finding(Code.QA_REWRITE, LayerName.review)],
    )


def test_a_clean_rewrite_is_released_as_rewrite() -> None:
    """A QA rewrite that passes the deterministic re-check goes out as the new text."""
    gl = StubLayer(LayerName.grounding)
    decision = guard(grounding=gl, review=_rewrite_review("Better text.")).check(CONV, DRAFT)
    assert decision.action is Action.rewrite
    assert decision.text == "Better text."
    assert gl.calls == [DRAFT.text, "Better text."]  # the rewrite was re-checked


def test_a_rewrite_that_fails_the_recheck_escalates() -> None:
    """A rewrite that introduces a contradiction is never released (invariant 4)."""

    def contradicts(ctx: CheckContext) -> list[Finding]:
        return [finding(Code.POLICY_CONTRADICTION)] if "60" in ctx.draft.text else []

    gl = StubLayer(LayerName.grounding, find=contradicts)
    review = _rewrite_review("You have 60 days.")
    decision = guard(grounding=gl, review=review).check(CONV, DRAFT)
    assert decision.action is Action.escalate
    assert decision.text is None
    recheck = [f for f in decision.findings if f.evidence.get("recheck")]
    assert [f.code for f in recheck] == [Code.POLICY_CONTRADICTION]


def test_tenant_rewriter_hook_is_used_and_its_failure_escalates() -> None:
    """Without a QA rewrite text the tenant's hook supplies one; if it raises: escalate."""
    review = _rewrite_review("")
    g = guard(review=review, rewriter=lambda conv, draft, findings: "Hook text.")
    assert g.check(CONV, DRAFT).text == "Hook text."

    def broken(conv: Conversation, draft: Draft, findings: Sequence[Finding]) -> str:
        raise ValueError("hook bug")

    decision = guard(review=review, rewriter=broken).check(CONV, DRAFT)
    assert decision.action is Action.escalate
    assert Code.LAYER_ERROR in decision.codes()


class RecordingStore:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.written: list[Decision] = []

    def write(self, conversation: Conversation, draft: Draft, decision: Decision) -> None:
        if self.fail:
            raise OSError("disk full")
        self.written.append(decision)

    def record_delivery(self, audit_id: str, sink: str, ok: bool, error: str | None) -> None:
        raise AssertionError("not used here")


def test_every_decision_is_written_before_it_is_returned() -> None:
    """The audit store receives exactly the decision the caller gets (invariant 5)."""
    store = RecordingStore()
    decision = guard(audit=store).check(CONV, DRAFT)
    assert [d.audit_id for d in store.written] == [decision.audit_id]
    assert store.written[0].action is decision.action


def test_a_failed_audit_write_escalates() -> None:
    """If the record cannot be written the decision becomes an escalation, never a release."""
    decision = guard(audit=RecordingStore(fail=True)).check(CONV, DRAFT)
    assert decision.action is Action.escalate
    errors = [f for f in decision.findings if f.code is Code.LAYER_ERROR]
    assert [f.layer for f in errors] == [LayerName.audit]
    assert decision.handoff is not None


def test_logs_carry_ids_never_customer_or_draft_text(
    caplog: pytest.LogCaptureFixture, acme_config: Any
) -> None:
    """A whole check — every real layer plus one that raises — logs ids, not text."""
    secret_customer = "my card is 4111 1111 1111 1111 and I live at 12 Elm Street"
    secret_draft = "Zanzibar-unique-draft-phrase: you have 60 days"
    conv = CONV.model_copy(
        update={"messages": [CONV.messages[0].model_copy(update={"text": secret_customer})]}
    )
    draft = Draft(text=secret_draft, confidence=0.2)
    failing = StubLayer(LayerName.routing, raises=RuntimeError(secret_draft))
    g = Guardrail.from_config(str(acme_config), audit=RecordingStore(), extra_layers=[failing])
    with caplog.at_level("DEBUG", logger="guardrail"):
        decision = g.check(conv, draft)
    assert decision.action is Action.escalate
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert decision.audit_id in logged
    for fragment in ("4111", "Elm Street", "Zanzibar", "60 days"):
        assert fragment not in logged


class OddLayer:
    """A custom layer with a name that is not a built-in LayerName (issue 16)."""

    def __init__(self, name: object, behaviour: str) -> None:
        self._name = name
        self.behaviour = behaviour

    @property
    def name(self) -> Any:
        if self.behaviour == "name_raises":
            raise RuntimeError("no name")
        return self._name

    async def run(self, ctx: CheckContext) -> Any:
        if self.behaviour == "raises":
            raise ValueError("custom layer broke")
        if self.behaviour == "garbage":
            return {"findings": "not a LayerResult"}
        return LayerResult()


@pytest.mark.parametrize("name", ["pii-scanner", "", "x" * 500, 42, LayerName.audit])
@pytest.mark.parametrize("behaviour", ["raises", "garbage", "name_raises"])
async def test_an_extra_layer_with_any_name_fails_closed(name: object, behaviour: str) -> None:
    """A custom layer that raises, returns garbage or has an odd (or failing) name never
    makes check()/acheck() raise: the decision escalates with a LAYER_ERROR."""
    g = guard(extra_layers=[OddLayer(name, behaviour)])
    for decision in (await g.acheck(CONV, DRAFT), g.check(CONV, DRAFT)):
        assert decision.action is Action.escalate
        assert [f.code for f in decision.findings] == [Code.LAYER_ERROR]


async def test_a_well_behaved_extra_layer_with_a_custom_name_is_released() -> None:
    """A custom-named layer that finds nothing does not disturb the decision."""
    decision = await guard(extra_layers=[OddLayer("pii-scanner", "ok")]).acheck(CONV, DRAFT)
    assert decision.action is Action.release and decision.latency_ms.total > 0


def test_check_without_review_runs_without_an_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """With only built-in deterministic layers, check() runs in the caller's thread and
    never starts an event loop."""
    from guardrail.grounding import GroundingLayer
    from guardrail.knowledge import Knowledge

    def no_loop(*args: object, **kwargs: object) -> None:
        raise AssertionError("check() started an event loop")

    monkeypatch.setattr(asyncio, "run", no_loop)
    monkeypatch.setattr(asyncio, "new_event_loop", no_loop)
    decision = guard(grounding=GroundingLayer(Knowledge())).check(CONV, DRAFT)
    assert decision.action in (Action.release, Action.escalate)
    assert decision.audit_id
