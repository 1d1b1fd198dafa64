"""Hypothesis strategies for the routing tests."""

from __future__ import annotations

from hypothesis import strategies as st

from guardrail.models import Code, Finding, Severity

from .helpers import finding, review

codes = st.sampled_from(list(Code))
severities = st.sampled_from(list(Severity))


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    """Any finding: any code, its default or any other severity."""
    code = draw(codes)
    severity = draw(st.one_of(st.none(), severities))
    return finding(code, severity)


reviews = st.one_of(
    st.none(),
    st.builds(
        review,
        verdict=st.sampled_from(["approve", "rewrite", "escalate"]),
        rewrite=st.one_of(st.none(), st.just("a rewrite")),
    ),
)
finding_lists = st.lists(findings(), max_size=6)

#: text for fuzzing the triggers: words that matter to them, mixed with noise
_WORDS = [
    "agent", "human", "person", "lawyer", "sue", "court", "don't", "not", "no", "need",
    "want", "talk", "to", "a", "the", "account", "close", "poem", "acme", "chargeback",
    "please", "!", ",", ".", "?", "-", "'", "\n", "complaint", "bot", "real", "damn",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join),
)


def recase(text: str, pattern: list[bool]) -> str:
    """``text`` with letters upper-cased where ``pattern`` says so (cycled)."""
    if not pattern:
        return text
    return "".join(c.upper() if pattern[i % len(pattern)] else c for i, c in enumerate(text))


__all__ = ["finding_lists", "recase", "reviews", "texts"]
