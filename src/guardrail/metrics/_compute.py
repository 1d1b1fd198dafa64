"""Trust metrics from the audit store (the first seed's tiers 2 and 3).

Definitions (also in docs/audit.md):

* **escalation rate** — conversations with at least one escalated decision / conversations;
  by intent (a conversation's intent is the last one it was given, ``(none)`` if never).
* **repeat-contact rate** — conversations whose customer opened another conversation with
  the same intent within 24 h after it / conversations with a customer id.
* **refusal rate** — released (or rewritten) replies that refuse or deflect (one of
  ``[audit] refusal_phrases``) / released replies.
* **grounding citation rate** — drafts with a factual claim (a number, amount, percentage,
  duration, or a grounding finding about one) citing ≥ 1 known source / such drafts.
* **policy accuracy** — policy-citing drafts (naming a golden-set topic in force at
  ``as_of``, or contradicting one) without ``POLICY_CONTRADICTION`` / policy-citing drafts.
* **hallucination rate** — sampled responses with ≥ 1 ``INCONSISTENT`` claim / judged ones.
* **unwarranted-confidence rate** — drafts with confidence ≥ ``[audit] confident_at`` and a
  critical finding / drafts that stated a confidence.
* **latency** — p50 and p99 (nearest rank) of the gate's total time per decision.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..audit import SampleRow, Summary
from ..config import AuditConfig

if TYPE_CHECKING:
    from ..audit import SQLStore
    from ..knowledge import GoldenSet, Knowledge

NO_INTENT = "(none)"
REPEAT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def to_json(self) -> dict[str, Any]:
        value = self.value
        return {
            "value": None if value is None else round(value, 6),
            "numerator": self.numerator,
            "denominator": self.denominator,
        }


@dataclass(frozen=True)
class Alert:
    metric: str
    value: float
    threshold: float
    intent: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "intent": self.intent,
            "value": round(self.value, 6),
            "threshold": self.threshold,
        }

    def __str__(self) -> str:
        where = f" for intent {self.intent!r}" if self.intent else ""
        return f"{self.metric}{where} is {self.value:.1%} (alert above {self.threshold:.0%})"


@dataclass(frozen=True)
class TrustMetrics:
    tenant: str
    since: datetime | None
    until: datetime | None
    decisions: int
    conversations: int
    actions: dict[str, int]
    escalation: Rate
    escalation_by_intent: dict[str, Rate]
    repeat_contact: Rate
    refusal: Rate
    grounding_citation: Rate
    policy_accuracy: Rate
    hallucination: Rate
    unwarranted_confidence: Rate
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    alerts: list[Alert] = field(default_factory=list)

    RATES = (
        "escalation",
        "repeat_contact",
        "refusal",
        "grounding_citation",
        "policy_accuracy",
        "hallucination",
        "unwarranted_confidence",
    )

    def rates(self) -> dict[str, Rate]:
        return {name: getattr(self, name) for name in self.RATES}

    def to_json(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "decisions": self.decisions,
            "conversations": self.conversations,
            "actions": dict(self.actions),
            **{name: rate.to_json() for name, rate in self.rates().items()},
            "escalation_by_intent": {
                k: v.to_json() for k, v in sorted(self.escalation_by_intent.items())
            },
            "latency_ms": {"p50": _round(self.latency_p50_ms), "p99": _round(self.latency_p99_ms)},
            "alerts": [a.to_json() for a in self.alerts],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return ordered[rank - 1]


def compute(
    summaries: Sequence[Summary],
    samples: Sequence[SampleRow],
    *,
    tenant: str,
    config: AuditConfig | None = None,
    golden: GoldenSet | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> TrustMetrics:
    """The trust metrics of a set of decisions (see the module docstring)."""
    cfg = config or AuditConfig()
    actions: dict[str, int] = defaultdict(int)
    convs: dict[str, list[Summary]] = defaultdict(list)
    for s in summaries:
        actions[s.action] += 1
        convs[s.conversation_id].append(s)

    escalated_by_intent: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    escalated = 0
    for decisions in convs.values():
        intents = [d.intent for d in sorted(decisions, key=lambda d: d.as_of) if d.intent]
        bucket = escalated_by_intent[intents[-1] if intents else NO_INTENT]
        hit = any(d.action == "escalate" for d in decisions)
        escalated += hit
        bucket[0] += hit
        bucket[1] += 1
    escalation = Rate(escalated, len(convs))
    by_intent = {k: Rate(n, d) for k, (n, d) in escalated_by_intent.items()}

    released = [s for s in summaries if s.action != "escalate"]
    factual = [s for s in summaries if s.factual]
    confident = [s for s in summaries if s.confidence is not None]
    policy = [s for s in summaries if _policy_citing(s, golden)] if golden is not None else []
    judged = list(samples)
    metrics = TrustMetrics(
        tenant=tenant,
        since=since,
        until=until,
        decisions=len(summaries),
        conversations=len(convs),
        actions=dict(sorted(actions.items())),
        escalation=escalation,
        escalation_by_intent=by_intent,
        repeat_contact=_repeat_contact(convs),
        refusal=Rate(sum(s.refusal for s in released), len(released)),
        grounding_citation=Rate(sum(s.cited for s in factual), len(factual)),
        policy_accuracy=Rate(
            sum("POLICY_CONTRADICTION" not in s.codes for s in policy), len(policy)
        ),
        hallucination=Rate(sum(s.hallucinated for s in judged), len(judged)),
        unwarranted_confidence=Rate(
            sum(s.critical and (s.confidence or 0.0) >= cfg.confident_at for s in confident),
            len(confident),
        ),
        latency_p50_ms=percentile([s.total_ms for s in summaries], 50),
        latency_p99_ms=percentile([s.total_ms for s in summaries], 99),
    )
    return _with_alerts(metrics, cfg)


def _policy_citing(s: Summary, golden: GoldenSet) -> bool:
    if "POLICY_CONTRADICTION" in s.codes:
        return True
    return bool(s.draft_text) and bool(golden.relevant(s.draft_text or "", s.as_of))


def _repeat_contact(convs: dict[str, list[Summary]]) -> Rate:
    starts: dict[tuple[str, str | None], list[datetime]] = defaultdict(list)
    total = 0
    for decisions in convs.values():
        first = min(decisions, key=lambda d: d.as_of)
        if first.customer_id is None:
            continue
        total += 1
        starts[(first.customer_id, first.intent)].append(first.as_of)
    repeated = 0
    for times in starts.values():
        times.sort()
        for i, start in enumerate(times[:-1]):
            nxt = times[i + 1]
            repeated += start < nxt <= start + REPEAT_WINDOW or (nxt == start)
    return Rate(repeated, total)


def _with_alerts(m: TrustMetrics, cfg: AuditConfig) -> TrustMetrics:
    alerts = []
    value = m.escalation.value
    if (
        value is not None
        and m.escalation.denominator >= cfg.alert_min_conversations
        and value > cfg.escalation_alert
    ):
        alerts.append(Alert("escalation_rate", value, cfg.escalation_alert))
    for intent, rate in sorted(m.escalation_by_intent.items()):
        v = rate.value
        if (
            v is not None
            and rate.denominator >= cfg.alert_min_conversations
            and v > cfg.intent_escalation_alert
        ):
            alerts.append(Alert("escalation_rate", v, cfg.intent_escalation_alert, intent=intent))
    return TrustMetrics(**{**m.__dict__, "alerts": alerts})


def collect(
    store: SQLStore,
    knowledge: Knowledge | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> TrustMetrics:
    """Read a window of the store and compute its trust metrics."""
    golden = knowledge.golden if knowledge is not None else None
    return compute(
        store.summaries(since, until, with_text=golden is not None),
        store.samples(since, until),
        tenant=store.tenant,
        config=store.config,
        golden=golden,
        since=since,
        until=until,
    )
