"""PII is stripped with ``guardrail.redact`` before anything reaches the judge."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guardrail.testing import FakeProvider

from .conftest import run_eval, ticket, write_tickets

EMAIL = "jane.doe@example.com"
PHONE = "+44 20 7946 0958"
CARD = "4111 1111 1111 1111"


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_judge_never_receives_email_phone_or_card(
    fake: FakeProvider, tmp_path: Path, provider: str
) -> None:
    """No request the fake provider receives carries an email, phone or card number that
    appears in the tickets' messages, context, reply, tool calls or sources."""
    rows = []
    for i in range(12):
        row = ticket(
            f"p{i}",
            text=f"Mail me at {EMAIL} or call {PHONE}; I paid with {CARD}.",
            reply=f"We will write to {EMAIL} and call {PHONE} about card {CARD}.",
        )
        row["conversation"]["context"] = {"customer": {"email": EMAIL, "phone": PHONE}}
        row["draft"]["tool_calls"] = [{"name": "lookup", "arguments": {"card": CARD}}]
        row["draft"]["sources"] = [{"id": "kb", "version": "1", "text": f"Contact {EMAIL}"}]
        rows.append(row)
    path = write_tickets(tmp_path / "t.jsonl", rows)
    run_eval(fake, path, tmp_path / "out", provider=provider)
    assert fake.requests, "the judge was never called"
    digits = re.compile(r"\d")
    for request in fake.requests:
        raw = str(request.body)
        assert EMAIL not in raw and "@example.com" not in raw
        compact = "".join(digits.findall(raw))
        assert "4111111111111111" not in compact and "2079460958" not in compact
        assert "<EMAIL>" in raw and "<PHONE>" in raw and "<CARD>" in raw
