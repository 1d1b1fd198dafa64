"""Properties: extraction never raises, spans are exact, the same amount written
different ways normalises to the same value, and the check never raises."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from guardrail.grounding import extract_claims
from guardrail.models import SourceRef

from .strategies import day_spellings, dollar_spellings, drafty_text
from .support import acme_layer

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
SOURCES = [SourceRef(id="returns-policy", version="3"), SourceRef(id="nope", version="1")]


@settings(max_examples=300, deadline=None)
@given(drafty_text)
@example("İstanbul order, delivered ſept 3 or next ſunday, 30 days")
@example("İ ſEPT 3 and ſept 3rd, 2026")
def test_extraction_never_raises_and_spans_are_exact(text: str) -> None:
    """On any text, extraction returns ordered claims whose spans slice their text."""
    claims = extract_claims(text, NOW)
    for c in claims:
        assert text[c.start : c.end] == c.text
        assert c.low <= c.high
    assert [c.start for c in claims] == sorted(c.start for c in claims)


@settings(max_examples=150, deadline=None)
@given(dollar_spellings())
def test_money_spellings_agree(case: tuple[int, list[str]]) -> None:
    """Every spelling of a whole-dollar amount normalises to the same number of cents."""
    n, ways = case
    for way in ways:
        [claim] = extract_claims(f"That comes to {way} in total.", NOW)
        assert (claim.unit, claim.low) == ("cents:USD", n * 100), way


@settings(max_examples=150, deadline=None)
@given(day_spellings())
def test_duration_spellings_agree(case: tuple[int, list[str]]) -> None:
    """Every spelling of a number of days has the same canonical value."""
    n, ways = case
    for way in ways:
        [claim] = extract_claims(f"You have {way} for that.", NOW)
        assert claim.canonical()[:2] == ("time", n * 24), way


@settings(max_examples=200, deadline=None)
@given(drafty_text, st.booleans())
def test_check_never_raises(text: str, cite: bool) -> None:
    """The full check returns findings (never raises) on arbitrary draft text."""
    findings = acme_layer().check(text, as_of=NOW, sources=SOURCES if cite else [])
    assert all(f.layer.value == "grounding" for f in findings)
