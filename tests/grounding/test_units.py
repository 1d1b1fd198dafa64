"""Units and currencies: the unit table's units on facts, claims in every spelling the
table documents, exact conversions within a family, and money in other currencies."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pytest

from guardrail.errors import ConfigError
from guardrail.grounding import GroundingLayer, extract_claims
from guardrail.knowledge import Document, Fact, GoldenSet, Knowledge, KnowledgeBase
from guardrail.knowledge._units import CURRENCIES, UNIT_TABLE
from guardrail.models import SourceRef

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)

PLAN = (
    "The Flex plan includes 50 GB of data, download speeds up to 300 Mbps and 500 minutes"
    " of calls. The activation fee is €25."
)
BAGS = (
    "Each passenger may check one bag of up to 23 kg. The hotel package covers 2 nights."
    " Changing a booking costs £10. The airport shuttle runs within 10 km of the terminal."
)


def _fact(key: str, value: int, unit: str, topic: list[str], source: str, **kw: object) -> Fact:
    return Fact.model_validate(
        {"key": key, "value": value, "unit": unit, "topic": topic}
        | {"source": {"id": source, "version": "1"}}
        | kw
    )


@cache
def layer() -> GroundingLayer:
    facts = [
        _fact("data_cap_gb", 50, "GB", ["data", "data allowance"], "plan", bound="at_most"),
        _fact("speed_mbps", 300, "Mbps", ["speed", "speeds"], "plan", bound="at_most"),
        _fact("call_minutes", 500, "minute", ["calls", "call minutes"], "plan"),
        _fact("activation_fee", 2500, "cents", ["activation fee"], "plan", currency="EUR"),
        _fact("bag_kg", 23, "kg", ["bag", "checked bag"], "travel", bound="at_most"),
        _fact("package_nights", 2, "night", ["hotel package"], "travel"),
        _fact("change_fee", 1000, "cents", ["changing a booking", "change fee"], "travel",
              currency="GBP"),
        _fact("shuttle_km", 10, "km", ["shuttle"], "travel"),
    ]  # fmt: skip
    docs = [
        Document(id="plan", version="1", text=PLAN),
        Document(id="travel", version="1", text=BAGS),
    ]
    return GroundingLayer(Knowledge(GoldenSet(facts), KnowledgeBase(docs)))


def codes(text: str, *cite: str) -> set[str]:
    sources = [SourceRef(id=c, version="1", text="") for c in cite]
    return {f.code.value for f in layer().check(text, as_of=NOW, sources=sources)}


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("€25", 2500, "cents:EUR"),
        ("25 EUR", 2500, "cents:EUR"),
        ("25 euros", 2500, "cents:EUR"),
        ("£10", 1000, "cents:GBP"),
        ("GBP 10", 1000, "cents:GBP"),
        ("ten pounds", 1000, "cents:GBP"),
        ("¥1000", 1000, "cents:JPY"),
        ("$5", 500, "cents:USD"),
        ("50 GB", 50, "GB"),
        ("500 MB", 500, "MB"),
        ("300 Mbps", 300, "Mbps"),
        ("1 Gbps", 1, "Gbps"),
        ("500 minutes", 500, "minute"),
        ("23 kg", 23, "kg"),
        ("50 lb", 50, "lb"),
        ("2 nights", 2, "night"),
        ("10 km", 10, "km"),
        ("5 miles", 5, "mi"),
    ],
)
def test_every_documented_spelling_is_read(text: str, value: int, unit: str) -> None:
    """Each spelling the issue lists is one claim with its value in the unit's terms."""
    [claim] = extract_claims(f"That is {text} here.", NOW)
    assert (claim.value, claim.unit) == (value, unit)


def test_pounds_of_luggage_are_weight() -> None:
    """The word "pounds" beside a weight cue is weight; beside a fee it is money."""
    [weight] = extract_claims("Bags can weigh up to 50 pounds.", NOW)
    [money] = extract_claims("The change fee is ten pounds.", NOW)
    assert (weight.unit, money.unit) == ("lb", "cents:GBP")


@pytest.mark.parametrize(
    "text",
    [
        "The Flex plan gives you 50 GB of data at speeds up to 300 Mbps.",
        "Your data allowance is 50,000 MB, with speeds of up to 0.3 Gbps.",
        "The plan includes 500 minutes of calls and the activation fee is 25 euros.",
        "The activation fee is EUR 25.",
    ],
)
def test_exact_conversions_agree(text: str) -> None:
    """A value written in another unit of the same family agrees when it is equal."""
    assert codes(text, "plan") == set()


@pytest.mark.parametrize(
    "text",
    [
        "The Flex plan gives you 60 GB of data.",
        "Speeds go up to 1 Gbps on this plan.",
        "The activation fee is $25.",
        "The activation fee is £25.",
        "The activation fee is €30.",
        "The plan includes 600 minutes of calls.",
    ],
)
def test_wrong_values_and_other_currencies_contradict(text: str) -> None:
    """A different amount, or the same number in another currency, contradicts the fact."""
    assert "POLICY_CONTRADICTION" in codes(text, "plan")


def test_travel_units() -> None:
    """Weight converts exactly (23 kg is 50.7 lb, so 50 lb is within the cap), nights and
    distance are their own families, and a GBP fee is not a EUR one."""
    assert codes("A checked bag can weigh up to 23 kg.", "travel") == set()
    assert "POLICY_CONTRADICTION" in codes("A checked bag can weigh up to 32 kg.", "travel")
    assert "POLICY_CONTRADICTION" in codes("Your checked bag can be 60 lb.", "travel")
    assert codes("The hotel package covers 2 nights.", "travel") == set()
    assert "POLICY_CONTRADICTION" in codes("The hotel package covers 3 nights.", "travel")
    assert codes("Changing a booking costs £10.", "travel") == set()
    assert "POLICY_CONTRADICTION" in codes("Changing a booking costs €10.", "travel")
    assert "POLICY_CONTRADICTION" in codes("The shuttle goes 10 miles out.", "travel")


def test_contradiction_names_both_currencies() -> None:
    """A money contradiction's evidence carries the claim's and the fact's currency."""
    [f] = layer().check(
        "The activation fee is $25.",
        as_of=NOW,
        sources=[SourceRef(id="plan", version="1", text="")],
    )
    ev = f.evidence
    assert (ev["unit"], ev["currency"], ev["expected_currency"]) == ("cents", "USD", "EUR")


def test_unit_table_matches_fact_validation() -> None:
    """Every unit in the table loads on a fact; an unknown unit or currency, or a currency
    on a non-money fact, is refused at load with the field named."""
    for u in UNIT_TABLE:
        _fact("k", 1, u.name, ["t"], "s")
    for code in CURRENCIES:
        _fact("k", 1, "cents", ["t"], "s", currency=code)
    with pytest.raises(ValueError, match="currency"):
        _fact("k", 1, "cents", ["t"], "s", currency="XXX")
    with pytest.raises(ValueError, match="currency"):
        _fact("k", 1, "GB", ["t"], "s", currency="EUR")
    with pytest.raises(ValueError, match="unit"):
        _fact("k", 1, "furlong", ["t"], "s")


def test_versions_must_share_a_currency() -> None:
    """Two versions of one money fact in different currencies are a ConfigError."""
    a = _fact("k", 1, "cents", ["t"], "s", currency="EUR", effective_to="2026-01-01")
    b = _fact("k", 1, "cents", ["t"], "s", effective_from="2026-01-01")
    with pytest.raises(ConfigError, match="currency"):
        GoldenSet([a, b])


def test_context_cents_are_in_the_tenant_currency() -> None:
    """``*_cents`` in context are read in the tenant's currency, or in the one its
    mapping names."""
    eur = layer().check("Your bill was €42.", as_of=NOW, sources=(), context={"bill_cents": 4200})
    assert eur == []
    usd = layer().check("Your bill was $42.", as_of=NOW, sources=(), context={"bill_cents": 4200})
    assert {f.code.value for f in usd} == {"MISSING_CITATION"}
    named = layer().check(
        "Your bill was $42.",
        as_of=NOW,
        sources=(),
        context={"bill": {"amount_cents": 4200, "currency": "USD"}},
    )
    assert named == []


def test_ranges_rates_and_named_dollars() -> None:
    """Two values of one unit joined by "to" are a range; "a month" after a value is a
    rate; "$500 CAD" is Canadian dollars while a bare "$" stays USD."""
    [fee] = extract_claims("The fee is €5.99 to €7.99.", NOW)
    assert (fee.value, fee.unit) == ([599, 799], "cents:EUR")
    assert [c.text for c in extract_claims("You get 50 GB a month.", NOW)] == ["50 GB"]
    [cad] = extract_claims("It is capped at $500 CAD per device.", NOW)
    [usd] = extract_claims("It is capped at $500 per device.", NOW)
    assert (cad.unit, usd.unit) == ("cents:CAD", "cents:USD")


def test_converted_weights_round_as_written() -> None:
    """A weight in the other unit agrees when rounded to the precision written."""
    assert codes("A checked bag can weigh up to 50.7 lb.", "travel") == set()
    assert "POLICY_CONTRADICTION" in codes("A checked bag can weigh up to 52 lb.", "travel")
