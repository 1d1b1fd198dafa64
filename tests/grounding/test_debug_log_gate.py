"""The grounding layer builds its debug event only when the level is on: with it on the
event is logged as before (ids, codes, sources), with it off nothing is."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrail import Guardrail
from guardrail.models import Conversation, Draft

_CONV = Conversation.model_validate(
    {
        "tenant": "acme",
        "id": "c-h4",
        "as_of": "2026-11-20T10:00:00Z",
        "messages": [{"role": "customer", "text": "How long do I have to return these?"}],
    }
)
_DRAFT = Draft(text="You can return unworn items within 60 days of delivery.", confidence=0.9)


def _events(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "guardrail.grounding" and "grounding_findings" in r.getMessage()
    ]


def test_debug_event_when_the_level_is_on(
    caplog: pytest.LogCaptureFixture, acme_config: Path
) -> None:
    g = Guardrail.from_config(str(acme_config), audit=None)
    with caplog.at_level("DEBUG", logger="guardrail"):
        g.check(_CONV, _DRAFT)
    (event,) = _events(caplog)
    assert '"conversation_id": "c-h4"' in event
    assert "POLICY_CONTRADICTION" in event


def test_no_event_when_the_level_is_off(
    caplog: pytest.LogCaptureFixture, acme_config: Path
) -> None:
    g = Guardrail.from_config(str(acme_config), audit=None)
    with caplog.at_level("INFO", logger="guardrail"):
        decision = g.check(_CONV, _DRAFT)
    assert decision.findings
    assert _events(caplog) == []
