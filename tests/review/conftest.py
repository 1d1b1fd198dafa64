"""Fixtures for the review tests: the loopback fake provider, cases, and gates built
directly from layers (so the review is what is under test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from guardrail import Code, Finding, Guardrail, LayerName, LayerResult
from guardrail.layers import CheckContext
from guardrail.review import AnthropicReviewer, OpenAIReviewer, Reviewer, ReviewLayer
from guardrail.testing._fake_provider import FakeProvider

PROVIDERS = ["anthropic", "openai"]


def conversation(*texts: str, **extra: Any) -> dict[str, Any]:
    """A minimal acme conversation with the given customer messages."""
    return {
        "tenant": "acme",
        "id": "c-review",
        "customer_id": "u-1",
        "as_of": "2026-11-20T10:00:00Z",
        "messages": [{"role": "customer", "text": t} for t in texts or ("Hi there",)],
        **extra,
    }


def draft(text: str = "Thanks for reaching out, happy to help.", **extra: Any) -> dict[str, Any]:
    return {"text": text, "model": "agent-model-1", "confidence": 0.95, **extra}


def reviewer(provider: str, url: str, *, model: str = "reviewer-model") -> Reviewer:
    """A real SDK-backed reviewer pointed at the fake server."""
    cls = AnthropicReviewer if provider == "anthropic" else OpenAIReviewer
    return cls(model, api_key="test-key", base_url=url, timeout_s=5.0)


def gate(review: Reviewer | ReviewLayer, *layers: Any, **options: Any) -> Guardrail:
    """A gate with the review layer and only the given deterministic layers."""
    layer = review if isinstance(review, ReviewLayer) else ReviewLayer(review, **options)
    return Guardrail(tenant="acme", review=layer, extra_layers=layers)


class Blocker:
    """A deterministic layer that always finds something critical."""

    name = LayerName.grounding

    async def run(self, ctx: CheckContext) -> LayerResult:
        finding = Finding.of(LayerName.grounding, Code.POLICY_CONTRADICTION, "test block")
        return LayerResult(findings=(finding,))


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    """A running loopback fake provider (stopped after the test)."""
    with FakeProvider() as server:
        yield server


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest) -> str:
    """Each provider in turn."""
    return str(request.param)
