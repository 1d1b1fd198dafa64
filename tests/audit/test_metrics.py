"""Trust metrics from the store: each definition, the alerts, and the three outputs."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from guardrail.audit import AuditConfig, SQLiteStore
from guardrail.knowledge import Fact, FactSource, GoldenSet, Knowledge
from guardrail.metrics import collect, percentile, prometheus, table
from guardrail.models import Action, ClaimVerdict, Code, LayerName

from .factory import AS_OF, case, finding


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "audit.db", "acme", AuditConfig(alert_min_conversations=2))


def _golden() -> Knowledge:
    fact = Fact(
        key="return_window_days",
        value=30,
        unit="day",
        topic=("return", "returns"),
        source=FactSource(id="returns-policy", version="3"),
    )
    return Knowledge(golden=GoldenSet([fact]))


def _escalate(**kw: Any) -> dict[str, Any]:
    return {"action": Action.escalate, "findings": [finding(Code.LOW_CONFIDENCE)], **kw}


def test_escalation_rate_is_per_conversation_and_per_intent(store: SQLiteStore) -> None:
    """A conversation counts once, escalated if any of its decisions escalated, under its
    intent; intents above 25% and the overall rate above 15% alert."""
    store.write(*case(conversation_id="a", intent="billing"))
    store.write(*case(conversation_id="a", intent="billing", **_escalate()))
    store.write(*case(conversation_id="b", intent="billing"))
    for n in range(6):
        store.write(*case(conversation_id=f"r{n}", intent="returns"))
    m = collect(store)
    assert (m.escalation.numerator, m.escalation.denominator) == (1, 8)
    assert m.escalation_by_intent["billing"].value == 0.5
    assert m.escalation_by_intent["returns"].value == 0.0
    assert [(a.metric, a.intent) for a in m.alerts] == [("escalation_rate", "billing")]
    assert m.decisions == 9 and m.conversations == 8


def test_repeat_contact_needs_same_customer_same_intent_within_24h(store: SQLiteStore) -> None:
    """Only a new conversation by the same customer about the same intent within 24 h
    makes the earlier one a repeat contact."""
    store.write(*case(conversation_id="1", customer_id="u1", intent="returns"))
    store.write(*case(conversation_id="2", customer_id="u1", intent="returns",
                      as_of=AS_OF + timedelta(hours=5)))  # fmt: skip
    store.write(*case(conversation_id="3", customer_id="u1", intent="billing",
                      as_of=AS_OF + timedelta(hours=6)))  # fmt: skip
    store.write(*case(conversation_id="4", customer_id="u2", intent="returns"))
    store.write(*case(conversation_id="5", customer_id="u2", intent="returns",
                      as_of=AS_OF + timedelta(hours=25)))  # fmt: skip
    store.write(*case(conversation_id="6", customer_id=None))
    rate = collect(store).repeat_contact
    assert (rate.numerator, rate.denominator) == (1, 5)


def test_refusal_rate_counts_released_deflections(store: SQLiteStore) -> None:
    """A released reply that refuses or deflects is a refusal; escalations are not."""
    store.write(*case(text="I'm sorry, but I can't help with that."))
    store.write(*case(text="Your order ships today."))
    store.write(*case(text="I'm unable to do that.", **_escalate()))
    rate = collect(store).refusal
    assert (rate.numerator, rate.denominator) == (1, 2)


def test_grounding_citation_rate_covers_factual_drafts_only(store: SQLiteStore) -> None:
    """Drafts with a number or duration count; they cite if a known source is attached."""
    store.write(*case(text="Returns within 30 days.", sources=[("returns-policy", "3")]))
    store.write(*case(text="Returns within thirty days.", sources=[]))
    store.write(*case(text="It ships in two weeks.", sources=[("x", "1")],
                      findings=[finding(Code.UNKNOWN_SOURCE)]))  # fmt: skip
    store.write(*case(text="Thanks for reaching out!", sources=[]))
    rate = collect(store).grounding_citation
    assert (rate.numerator, rate.denominator) == (1, 3)


def test_policy_accuracy_uses_the_golden_set_topics(store: SQLiteStore) -> None:
    """Policy-citing drafts (golden-set topic words) are accurate unless contradicted."""
    store.write(*case(text="Our returns window is 30 days."))
    store.write(*case(text="Our return window is 60 days.",
                      findings=[finding(Code.POLICY_CONTRADICTION)]))  # fmt: skip
    store.write(*case(text="Your parcel is on its way."))
    rate = collect(store, _golden()).policy_accuracy
    assert (rate.numerator, rate.denominator) == (1, 2)
    assert collect(store).policy_accuracy.value is None  # no golden set, no claim


def test_hallucination_rate_comes_from_sampler_verdicts(store: SQLiteStore) -> None:
    """Judged responses with an INCONSISTENT claim over all judged responses."""
    ids = []
    for _ in range(4):
        conv, draft, d = case()
        store.write(conv, draft, d)
        ids.append(d.audit_id)
    bad = ClaimVerdict(text="60 days", verdict="INCONSISTENT", reason="30 in force")
    ok = ClaimVerdict(text="30 days", verdict="CONSISTENT", reason="matches")
    store.save_sample(ids[0], "judge", [ok, bad])
    store.save_sample(ids[1], "judge", [ok])
    store.save_sample(ids[2], "judge", [])
    rate = collect(store).hallucination
    assert (rate.numerator, rate.denominator) == (1, 3)


def test_unwarranted_confidence_is_high_confidence_with_a_critical_finding(
    store: SQLiteStore,
) -> None:
    """Confidence ≥ 0.9 with a critical finding, over drafts that stated a confidence."""
    store.write(*case(confidence=0.95, **_escalate(findings=[finding(Code.POLICY_CONTRADICTION)])))
    store.write(*case(confidence=0.95))
    store.write(*case(confidence=0.5, **_escalate(findings=[finding(Code.POLICY_CONTRADICTION)])))
    store.write(
        *case(
            confidence=0.99,
            **_escalate(findings=[finding(Code.HUMAN_REQUESTED, LayerName.routing)]),
        )
    )
    store.write(*case(confidence=None))
    rate = collect(store).unwarranted_confidence
    assert (rate.numerator, rate.denominator) == (1, 4)


def test_latency_percentiles_are_nearest_rank(store: SQLiteStore) -> None:
    """p50 and p99 of total latency use the nearest-rank method."""
    for ms in range(1, 101):
        store.write(*case(total_ms=float(ms)))
    m = collect(store)
    assert (m.latency_p50_ms, m.latency_p99_ms) == (50.0, 99.0)
    assert percentile([], 50) is None and percentile([7.0], 99) == 7.0


def test_an_empty_window_has_no_rates_and_no_alerts(store: SQLiteStore) -> None:
    """With nothing recorded every rate is n/a, not zero, and nothing alerts."""
    m = collect(store)
    assert all(rate.value is None for rate in m.rates().values())
    assert m.alerts == [] and "n/a" in table(m)


def test_outputs_table_json_and_prometheus(store: SQLiteStore) -> None:
    """The table names each metric, JSON round-trips, Prometheus lines are well-formed."""
    store.write(*case(intent='we"ird\\intent', **_escalate()))
    store.write(*case(intent='we"ird\\intent', **_escalate()))
    m = collect(store)
    text = table(m)
    for label in ("Escalation rate", "Repeat-contact rate", "Hallucination rate", "ALERTS"):
        assert label in text
    data = json.loads(json.dumps(m.to_json()))
    assert data["escalation"] == {"value": 1.0, "numerator": 2, "denominator": 2}
    assert data["alerts"][0]["metric"] == "escalation_rate"
    exposition = prometheus(m)
    sample_line = re.compile(r'^guardrail_[a-z_]+\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\} \S+$')
    for line in exposition.strip().splitlines():
        assert line.startswith("# ") or sample_line.match(line), line
    assert 'intent="we\\"ird\\\\intent"' in exposition
    assert "guardrail_hallucination_ratio" not in exposition  # no samples: left out
