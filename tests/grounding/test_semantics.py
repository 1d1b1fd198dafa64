"""The decided semantics of issue 10's defect classes, on the example tenant: absence,
zero and unbounded statements; ranges and bounds; compound and approximate durations;
values the customer stated; a fact's own effective dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from guardrail.grounding import extract_claims
from guardrail.models import SourceRef

from .support import acme_layer

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
RET3 = SourceRef(id="returns-policy", version="3", text="")
WAR = SourceRef(id="warranty-policy", version="1", text="")
REF = SourceRef(id="refunds-policy", version="1", text="")


def codes(text: str, *cite: SourceRef, customer: tuple[str, ...] = ()) -> set[str]:
    found = acme_layer().check(text, as_of=NOW, sources=cite or [RET3], customer=customer)
    return {f.code.value for f in found}


@pytest.mark.parametrize(
    "text",
    [
        "There is no restocking fee on opened electronics.",
        "We don't charge a restocking fee.",
        "You can return it any time.",
        "Returns are accepted at any time.",
        "Your gear has a lifetime warranty.",
    ],
)
def test_absence_and_unbounded_statements_contradict(text: str) -> None:
    """'No fee' against a 15% fee and 'any time'/'lifetime' against a bounded window are
    POLICY_CONTRADICTION, though no number is written."""
    assert "POLICY_CONTRADICTION" in codes(text, RET3, WAR)


@pytest.mark.parametrize(
    "text",
    [
        "There's no restocking fee if the item is unopened.",
        "Is there a restocking fee on opened electronics?",
        "Feel free to contact us any time about your return.",
        "It's not a lifetime warranty: it runs for 12 months.",
        "No, the restocking fee on opened electronics is 15%.",
    ],
)
def test_conditions_questions_negations_and_numbers_are_not_absences(text: str) -> None:
    """A stated condition, a question, a negated phrase, a contact offer or a number
    beside the topic is not an absence or unbounded claim."""
    assert "POLICY_CONTRADICTION" not in codes(text, RET3, WAR)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("You have 30 to 60 days to return it.", True),
        ("You have at least 45 days to return it.", True),
        ("You can return it up to 90 days after delivery.", True),
        ("You can return it within 30 days.", False),
        ("You can return it up to 30 days after delivery.", False),
    ],
)
def test_ranges_and_bounds_must_stay_within_policy(text: str, wrong: bool) -> None:
    """A range or bound agrees only when everything it promises is within the fact."""
    assert ("POLICY_CONTRADICTION" in codes(text)) is wrong


def test_range_against_an_exact_processing_time() -> None:
    """'3-5 business days' agrees with 5; '5-7 business days' reaches past it."""
    assert codes("Refunds take 3-5 business days.", REF) == set()
    assert "POLICY_CONTRADICTION" in codes("Refunds take 5-7 business days.", REF)


def test_compound_durations_are_summed() -> None:
    """'4 weeks and 2 days' is one 30-day claim; '4 weeks and 5 days' is 33."""
    [claim] = extract_claims("You have 4 weeks and 2 days.")
    assert (claim.value, claim.unit) == (30, "day")
    assert codes("You have 4 weeks and 2 days to return it.") == set()
    assert "POLICY_CONTRADICTION" in codes("You have 4 weeks and 5 days to return it.")


def test_approximate_durations_are_compatible() -> None:
    """'a month' and 'about 4 weeks' beside a cited 30-day fact are neither contradicted
    nor unsupported; 'about six weeks' is still wrong."""
    assert codes("You have a month to return it.") == set()
    assert codes("You have about 4 weeks to return it.") == set()
    assert "POLICY_CONTRADICTION" in codes("You have about six weeks to return it.")


def test_values_the_customer_stated_are_not_the_agents_claims() -> None:
    """An echo attributed to the customer is neither judged nor in need of a source;
    a value the customer never said is still the agent's claim."""
    said = ("I paid $129 on Nov 2 and was told I have 60 days",)
    text = "You mentioned you paid $129 on November 2; returns are accepted within 30 days."
    assert codes(text, customer=said) == set()
    assert codes("You said you were told 60 days, but the window is 30 days.", customer=said) == (
        set()
    )
    wrong = "You mentioned you paid $139; returns are accepted within 30 days."
    assert "UNSUPPORTED_CLAIM" in codes(wrong, customer=said)


def test_a_facts_effective_date_is_backed() -> None:
    """The date a fact version took effect is backed by the golden set when the draft
    mentions the fact; another date is not."""
    assert codes("Since October 1 the return window is 30 days.", RET3) == set()
    # citing another document: the date is still backed (by the fact), the 30 days is not
    found = acme_layer().check(
        "Since October 1 the return window has been 30 days.", as_of=NOW, sources=[REF]
    )
    assert [f.evidence["claim"] for f in found] == ["30 days"]
    assert "UNSUPPORTED_CLAIM" in codes("Since November 1 the return window is 30 days.")


def test_values_of_the_case_are_not_judged_against_policy() -> None:
    """A value the context holds with its unit (the order total) describes the case: the
    $129.00 order beside the $50 free-shipping threshold is not a contradiction."""
    ship = SourceRef(id="shipping-policy", version="2", text="")
    text = "Orders of $50 or more get free shipping, so your $129.00 order ships free."
    found = acme_layer().check(
        text, as_of=NOW, sources=[ship], context={"order": {"total_cents": 12900}}
    )
    assert found == []
    assert "POLICY_CONTRADICTION" in codes("Free shipping starts at $129.00.", ship)


def test_yes_affirms_a_yes_no_fact() -> None:
    """An answer opening with "Yes" affirms a yes/no fact (and "No, we don't" denies it)."""
    assert "POLICY_CONTRADICTION" in codes("Yes, we do bereavement refunds.")
    assert "POLICY_CONTRADICTION" not in codes("No, we don't do bereavement refunds.")
