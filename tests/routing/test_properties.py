"""Property tests for the triggers: any text is handled without error, and detection
does not depend on letter case or surrounding punctuation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import guardrail.routing as routing
from guardrail.models import Code
from guardrail.routing import BrandConfig, RoutingConfig, TriggerLayer

from .helpers import context
from .strategies import recase, texts
from .test_triggers import HUMAN_POSITIVE, SENSITIVE_POSITIVE

LAYER = TriggerLayer(RoutingConfig(), BrandConfig(names=["Acme"], forbidden=["legally binding"]))
cases = st.lists(st.booleans(), min_size=1, max_size=7)
wrap = st.sampled_from(["", " ", "!!", "...", "\n", " :) ", "“", "—"])


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_any_text_is_handled(customer: str, draft: str) -> None:
    """Arbitrary customer and draft text never makes the triggers raise, and every
    finding is one of the four routing codes."""
    found = list(LAYER.findings(context(customer, draft=draft)))
    assert {f.code for f in found} <= {
        Code.HUMAN_REQUESTED,
        Code.SENSITIVE_INTENT,
        Code.BRAND_SAFETY,
    }


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(HUMAN_POSITIVE), cases, wrap, wrap)
def test_human_request_survives_case_and_punctuation(
    text: str, pattern: list[bool], before: str, after: str
) -> None:
    """A request for a human fires in any letter case and with punctuation around it."""
    codes = {f.code for f in LAYER.findings(context(before + recase(text, pattern) + after))}
    assert Code.HUMAN_REQUESTED in codes


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SENSITIVE_POSITIVE), cases, wrap, wrap)
def test_sensitive_intent_survives_case_and_punctuation(
    case: tuple[str, str], pattern: list[bool], before: str, after: str
) -> None:
    """Sensitive language fires in any letter case and with punctuation around it."""
    text, category = case
    found = LAYER.findings(context(before + recase(text, pattern) + after))
    assert category in {f.evidence.get("category") for f in found}


def test_public_names_are_pinned() -> None:
    """The routing package exports exactly its documented public names."""
    assert sorted(routing.__all__) == sorted(
        [
            "RULES", "BrandConfig", "CallbackSink", "DecisionRule", "HandoffSink", "Router",
            "RoutingConfig", "TriggerLayer", "WebhookConfig", "WebhookSink", "build_handoff",
            "build_sinks", "build_triggers", "webhook_payload",
        ]
    )  # fmt: skip
    assert all(hasattr(routing, name) for name in routing.__all__)
