"""Trust metrics computed from the audit store: escalation rate (overall and by intent,
with alerts), repeat-contact rate, refusal rate, grounding citation rate, policy
accuracy, hallucination rate (from the sampler), unwarranted-confidence rate, latency
p50/p99 — as a table, JSON, or Prometheus text exposition.

    >>> from guardrail.metrics import collect, table
    >>> print(table(collect(store, guard.knowledge)))        # doctest: +SKIP
"""

from __future__ import annotations

from ._compute import Alert, Rate, TrustMetrics, collect, compute, percentile
from ._render import prometheus, table

__all__ = [
    "Alert",
    "Rate",
    "TrustMetrics",
    "collect",
    "compute",
    "percentile",
    "prometheus",
    "table",
]
