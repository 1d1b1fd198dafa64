"""The review prompt: what the reviewer sees, the injection fence, and reading the
answer back."""

from __future__ import annotations

import json
import typing

import pytest
from hypothesis import given, settings

from guardrail import (
    Code,
    Conversation,
    Draft,
    Finding,
    LayerName,
    ReviewAnswer,
    ToolCall,
    ToolCallResult,
    Violation,
)
from guardrail._build import load_knowledge
from guardrail.config import load_config
from guardrail.knowledge import Knowledge
from guardrail.layers import CheckContext
from guardrail.models import ClaimVerdict
from guardrail.review import MalformedReview
from guardrail.review._prompt import ANSWER_SCHEMA, build_request, parse_answer

from ..conftest import ACME
from .conftest import conversation, draft
from .strategies import untrusted_text


def acme_knowledge() -> Knowledge:
    config, base = load_config(ACME / "guardrail.toml")
    return load_knowledge(config, base)


def context(conv: dict[str, object], dft: dict[str, object], **kw: object) -> CheckContext:
    knowledge = kw.pop("knowledge", None) or Knowledge()
    return CheckContext(
        Conversation.model_validate(conv),
        Draft.model_validate(dft),
        knowledge,  # type: ignore[arg-type]
        "audit-1",
        **kw,  # type: ignore[arg-type]
    )


def split_fence(prompt: str, nonce: str) -> tuple[str, str, str]:
    opening, closing = f"<untrusted-{nonce}>", f"</untrusted-{nonce}>"
    assert prompt.count(opening) == 1 and prompt.count(closing) == 1
    before, rest = prompt.split(opening)
    inside, after = rest.split(closing)
    return before, inside, after


@settings(max_examples=150, deadline=None)
@given(customer=untrusted_text, text=untrusted_text, source=untrusted_text, arg=untrusted_text)
def test_untrusted_text_cannot_leave_the_fence(
    customer: str, text: str, source: str, arg: str
) -> None:
    """Whatever the customer, the draft, a source or a tool argument says, the fence
    opens and closes exactly once, the untrusted material round-trips as JSON inside it,
    and no tag of any kind appears within it."""
    dft = draft(
        text,
        sources=[{"id": "returns-policy", "version": "3", "text": source}],
        tool_calls=[{"name": "refund_order", "arguments": {"note": arg}}],
    )
    request = build_request(context(conversation(customer), dft), nonce="n0nce")
    _, inside, _ = split_fence(request.prompt, "n0nce")
    assert "<" not in inside and ">" not in inside
    material = json.loads(inside)
    assert material["conversation"]["messages"][0]["text"] == customer
    assert material["draft"]["text"] == text
    assert material["sources"][0]["text_as_cited"] == source
    assert material["tool_calls"][0]["arguments"] == {"note": arg}
    assert request.system.count("<untrusted-n0nce>") == 1


def test_each_request_gets_a_fresh_nonce() -> None:
    """The fence markers are unguessable: two requests never share a nonce."""
    ctx = context(conversation(), draft())
    first, second = build_request(ctx), build_request(ctx)
    assert first.nonce != second.nonce and len(first.nonce) >= 16
    assert first.fence[0] in first.prompt and first.fence[0] in first.system


def test_reviewer_sees_facts_in_force_and_source_versions() -> None:
    """The trusted section lists the golden-set facts in force at as_of (30 days, not the
    superseded 60), and each cited source says whether its version was in force."""
    dft = draft(
        "You have 60 days to return your boots.",
        sources=[{"id": "returns-policy", "version": "2", "text": "60 days"}],
    )
    request = build_request(
        context(conversation("Can I return my boots?"), dft, knowledge=acme_knowledge())
    )
    before, inside, _ = split_fence(request.prompt, request.nonce)
    facts = json.loads(before.split("golden set)\n", 1)[1].split("\n\n## ", 1)[0])
    window = next(f for f in facts if f["key"] == "return_window_days")
    assert window["value"] == 30
    (source,) = json.loads(inside)["sources"]
    assert source["cited_version"] == "2" and source["version_in_force"] == "3"
    assert source["cited_version_is_in_force"] is False
    assert "30 days" in source["text_in_force"]


def test_reviewer_sees_the_tool_layers_verdicts() -> None:
    """Each proposed tool call is shown with the tool layer's allowed flag and violations."""
    call = ToolCall(name="refund_order", arguments={"order_id": "A-1", "amount_cents": 99999})
    blocked = ToolCallResult.block(
        call, [Violation(rule="within-order-total", message="refund exceeds the order total")]
    )
    dft = draft(tool_calls=[call.model_dump()])
    request = build_request(context(conversation(), dft, tool_results=[blocked]))
    _, inside, _ = split_fence(request.prompt, request.nonce)
    (shown,) = json.loads(inside)["tool_calls"]
    assert shown["allowed"] is False
    assert shown["violations"][0]["rule"] == "within-order-total"
    assert shown["arguments"]["amount_cents"] == 99999


def test_answer_schema_matches_the_review_answer_contract() -> None:
    """ANSWER_SCHEMA (sent to the providers) and ReviewAnswer (which validates the reply)
    agree on fields and allowed values."""
    props = ANSWER_SCHEMA["properties"]
    assert set(props) == set(ReviewAnswer.model_fields) == set(ANSWER_SCHEMA["required"])
    verdicts = typing.get_args(ReviewAnswer.model_fields["verdict"].annotation)
    assert props["verdict"]["enum"] == list(verdicts)
    claim_verdicts = typing.get_args(ClaimVerdict.model_fields["verdict"].annotation)
    assert props["claims"]["items"]["properties"]["verdict"]["enum"] == list(claim_verdicts)
    assert set(props["claims"]["items"]["required"]) == set(ClaimVerdict.model_fields)


VALID = {"verdict": "rewrite", "reasoning": "r", "claims": [], "rewrite": "better"}


@pytest.mark.parametrize(
    "raw",
    [
        VALID,
        json.dumps(VALID),
        "```json\n" + json.dumps(VALID) + "\n```",
        "Here is my verdict: " + json.dumps(VALID) + " Thanks.",
    ],
    ids=["dict", "json", "code-block", "in-prose"],
)
def test_answer_is_read_from_arguments_or_text(raw: object) -> None:
    """A tool call's arguments, bare JSON text, a fenced block or JSON amid prose all
    parse to the same ReviewAnswer."""
    assert parse_answer(raw) == ReviewAnswer.model_validate(VALID)


@pytest.mark.parametrize(
    "raw",
    [
        "Looks good to me!",
        "[1, 2]",
        42,
        {**VALID, "verdict": "maybe"},
        {**VALID, "extra": 1},
        {"verdict": "approve"},
        {**VALID, "claims": [{"text": "x", "verdict": "TRUE", "reason": "r"}]},
    ],
    ids=["prose", "list", "number", "bad-verdict", "extra-key", "missing", "bad-claim"],
)
def test_anything_else_is_malformed(raw: object) -> None:
    """Output that is not a schema-valid answer raises MalformedReview."""
    with pytest.raises(MalformedReview):
        parse_answer(raw)


def test_soft_grounding_claims_are_put_to_the_reviewer_inside_the_fence() -> None:
    """Grounding's UNSUPPORTED_CLAIM and MISSING_CITATION claims are listed as
    "claims_to_check" in the fenced material (they quote the draft), with the in-force
    documents of the relevant facts when nothing was cited; hard findings are not."""
    findings = [
        Finding.of(LayerName.grounding, Code.UNSUPPORTED_CLAIM, "u", claim="5 days", cited=[]),
        Finding.of(
            LayerName.grounding, Code.MISSING_CITATION, "m", claims=[{"claim": "a fortnight"}]
        ),
        Finding.of(LayerName.grounding, Code.POLICY_CONTRADICTION, "p", claim="60 days"),
    ]
    ctx = context(
        conversation("Can I return my boots?"),
        draft("You can return boots within a fortnight."),
        knowledge=acme_knowledge(),
        findings=findings,
    )
    request = build_request(ctx)
    _, inside, _ = split_fence(request.prompt, request.nonce)
    material = json.loads(inside)
    assert [c["claim"] for c in material["claims_to_check"]] == ["5 days", "a fortnight"]
    assert "returns-policy" in {d["id"] for d in material["reference_documents"]}
    assert '"claims_to_check"' in request.system
