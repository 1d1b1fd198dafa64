"""The review inside the real pipeline: started concurrently, cancelled by a
deterministic block, and clean across event loops."""

from __future__ import annotations

import time

from guardrail import Action, Code, Guardrail
from guardrail.review import ReviewLayer
from guardrail.testing._fake_provider import FakeProvider, Step
from guardrail.testing._reviewers import ScriptedReviewer, answer

from .conftest import Blocker, conversation, draft, gate, reviewer


async def test_deterministic_block_cancels_an_in_flight_review(
    fake: FakeProvider, provider: str
) -> None:
    """A critical deterministic finding returns the decision without waiting for a slow
    reviewer: the request was in flight, the review is cancelled, the gate escalates."""
    fake.script(Step.answer("approve", latency=5.0))
    in_flight: list[float] = []

    def review_in_flight() -> bool:
        if fake.requests and not in_flight:
            in_flight.append(time.perf_counter())
        return bool(in_flight)

    guard = gate(reviewer(provider, fake.url), Blocker(until=review_in_flight), timeout_s=10.0)
    decision = await guard.acheck(conversation(), draft())
    waited = time.perf_counter() - in_flight[0]
    assert waited < 1.0, f"waited {waited:.2f}s for a review that cannot change the outcome"
    assert len(fake.requests) == 1  # the review had started: it was cancelled, not skipped
    assert decision.action is Action.escalate and decision.review is None
    assert Code.POLICY_CONTRADICTION in decision.codes()
    assert Code.QA_UNAVAILABLE not in decision.codes()


async def test_a_cancelled_review_leaves_the_reviewer_usable(fake: FakeProvider) -> None:
    """After a cancellation mid-request the same reviewer serves the next check."""
    shared = reviewer("anthropic", fake.url)
    fake.script(Step.hang(), Step.answer("approve"))
    blocker = Blocker(until=lambda: fake.requests)
    blocked = await gate(shared, blocker).acheck(conversation(), draft())
    assert blocked.action is Action.escalate
    clean = await gate(shared).acheck(conversation(), draft())
    assert clean.action is Action.release
    assert clean.review is not None and clean.review.verdict == "approve"
    await shared.aclose()


def test_sync_checks_in_fresh_event_loops_reuse_nothing_stale(fake: FakeProvider) -> None:
    """``Guardrail.check`` runs each check in a new event loop; the reviewer makes a
    client per loop and closes it with the loop (no warnings, no stale connection)."""
    fake.script(Step.answer("approve"), Step.answer("escalate"), Step.answer("approve"))
    guard = gate(reviewer("openai", fake.url))
    actions = [guard.check(conversation(), draft()).action for _ in range(3)]
    assert actions == [Action.release, Action.escalate, Action.release]
    fake.assert_done()


async def test_many_concurrent_checks_share_a_few_clients(fake: FakeProvider) -> None:
    """Concurrent reviews all complete, spread over a handful of sharded SDK clients."""
    import asyncio

    fake.default = Step.answer("approve", latency=1.0)
    rev = reviewer("anthropic", fake.url)
    guard = gate(rev)
    decisions = await asyncio.gather(*(guard.acheck(conversation(), draft()) for _ in range(80)))
    assert all(d.action is Action.release for d in decisions)
    assert 2 <= rev._clients.clients() <= 4  # type: ignore[attr-defined]
    await rev.aclose()


async def test_fresh_clients_start_with_the_platform_resolved(
    fake: FakeProvider, provider: str
) -> None:
    """A burst of reviews on freshly made shards starts no worker thread per request to
    resolve the SDK's platform headers: each new client is handed the platform."""
    rev = reviewer(provider, fake.url)
    async with rev._clients.lease() as client:  # type: ignore[attr-defined]
        assert client._platform is not None
    await rev.aclose()


async def test_scripted_reviewer_drives_the_gate_for_users_tests() -> None:
    """A ScriptedReviewer plugs into ReviewLayer and the gate like a real reviewer."""
    with ScriptedReviewer([answer("rewrite", rewrite="Fixed reply.")]) as scripted:
        guard = Guardrail(tenant="acme", review=ReviewLayer(scripted))
        decision = await guard.acheck(conversation(), draft())
    assert decision.action is Action.rewrite and decision.text == "Fixed reply."
