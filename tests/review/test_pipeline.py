"""The review inside the real pipeline: started concurrently, cancelled by a
deterministic block, and clean across event loops."""

from __future__ import annotations

import asyncio
import contextlib

from guardrail import Action, Code, Guardrail
from guardrail.review import ReviewLayer
from guardrail.testing._fake_provider import FakeProvider, Step
from guardrail.testing._reviewers import ScriptedReviewer, answer

from .conftest import Blocker, conversation, draft, gate, reviewer


async def test_deterministic_block_sends_no_review_request(
    fake: FakeProvider, provider: str
) -> None:
    """A critical deterministic finding returns the decision without asking the reviewer:
    no request reaches the provider, and the gate escalates."""
    guard = gate(reviewer(provider, fake.url), Blocker())
    decision = await guard.acheck(conversation(), draft())
    assert fake.requests == []
    assert decision.action is Action.escalate and decision.review is None
    assert Code.POLICY_CONTRADICTION in decision.codes()
    assert Code.QA_UNAVAILABLE not in decision.codes()


async def test_a_cancelled_review_leaves_the_reviewer_usable(fake: FakeProvider) -> None:
    """A check cancelled mid-request (the caller went away) leaves the same reviewer able
    to serve the next check."""
    shared = reviewer("anthropic", fake.url)
    fake.script(Step.hang(), Step.answer("approve"))
    task = asyncio.create_task(gate(shared).acheck(conversation(), draft()))
    async with asyncio.timeout(30):  # safety net: the request reaches the fake quickly
        while not fake.requests:
            await asyncio.sleep(0.005)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert task.cancelled()
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
