"""The review request is serialised byte for byte as ``json`` would: the prompt's
indented JSON (built without ``json``'s slow indenting encoder), the system prompt (cut
from its template once) and the Anthropic request body (its constant tail cached)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardrail.review import _prompt
from guardrail.review._anthropic import _TOOL_CHOICE, _TOOLS, AnthropicReviewer
from guardrail.review._protocol import ReviewRequest

TEXT = st.text(alphabet=st.sampled_from('aé"\\\n<>\u2028\x00\x1f😀 }[,:'), max_size=6)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
    st.sampled_from([(1, "a"), {1: "x"}, {None: 1, True: 2}, datetime.date(2026, 1, 2)]),
)
DOCS = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)
)


def reference(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


@settings(max_examples=500, deadline=None)
@given(DOCS)
def test_indented_json_is_jsons(value: Any) -> None:
    assert _prompt._dumps(value) == reference(value)


def test_a_cycle_is_still_jsons_error() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        _prompt._dumps(loop)


@given(st.text(max_size=30))
def test_system_prompt_is_the_template_formatted(nonce: str) -> None:
    opening, closing = f"<untrusted-{nonce}>", f"</untrusted-{nonce}>"
    pieces = (_prompt._SYSTEM_HEAD, opening, _prompt._SYSTEM_MID, closing, _prompt._SYSTEM_TAIL)
    expected = _prompt._SYSTEM.format(open=opening, close=closing, tool=_prompt.TOOL_NAME)
    assert "".join(pieces) == expected


@settings(max_examples=200, deadline=None)
@given(system=st.text(), prompt=st.text(), model=st.text(), max_tokens=st.integers(1, 10**6))
def test_anthropic_body_is_the_payloads_json(
    system: str, prompt: str, model: str, max_tokens: int
) -> None:
    reviewer = AnthropicReviewer(model, api_key="k", max_tokens=max_tokens)
    request = ReviewRequest(None, None, (), (), (), system, prompt, "n")  # type: ignore[arg-type]
    payload = {
        "model": model,
        "max_tokens": max_tokens,
        "system": system,
        "messages": [{"role": "user", "content": prompt}],
        "tools": _TOOLS,
        "tool_choice": _TOOL_CHOICE,
    }
    expected = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    assert reviewer._body(request) == expected
