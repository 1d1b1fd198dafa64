"""Trust metrics as a readable table and as Prometheus text exposition (format 0.0.4)."""

from __future__ import annotations

from ._compute import Rate, TrustMetrics

_LABELS = {
    "escalation": ("Escalation rate", "conversations handed to a human"),
    "repeat_contact": ("Repeat-contact rate", "same customer and intent again within 24 h"),
    "refusal": ("Refusal rate", "released replies that refuse or deflect"),
    "grounding_citation": ("Grounding citation rate", "factual drafts citing >= 1 source"),
    "policy_accuracy": ("Policy accuracy", "policy-citing drafts without a contradiction"),
    "hallucination": ("Hallucination rate", "sampled replies with an inconsistent claim"),
    "unwarranted_confidence": (
        "Unwarranted-confidence rate",
        "confident drafts with a critical finding",
    ),
}


def _pct(rate: Rate) -> str:
    value = rate.value
    shown = "n/a" if value is None else f"{value:6.1%}"
    return f"{shown:>7}  ({rate.numerator}/{rate.denominator})"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} ms"


def table(m: TrustMetrics) -> str:
    """A plain-text report: counts, the rates, escalation by intent, latency, alerts."""
    window = f"{m.since.isoformat() if m.since else 'start'} .. "
    window += m.until.isoformat() if m.until else "now"
    actions = ", ".join(f"{k} {v}" for k, v in m.actions.items()) or "none"
    lines = [
        f"Trust metrics for tenant {m.tenant!r} ({window})",
        f"{m.decisions} decisions in {m.conversations} conversations: {actions}",
        "",
    ]
    for name, rate in m.rates().items():
        label, meaning = _LABELS[name]
        lines.append(f"{label:<28} {_pct(rate):<22} {meaning}")
    if m.escalation_by_intent:
        lines += ["", "Escalation rate by intent"]
        for intent, rate in sorted(m.escalation_by_intent.items()):
            lines.append(f"  {intent:<26} {_pct(rate)}")
    lines += [
        "",
        f"Latency p50 {_ms(m.latency_p50_ms)}, p99 {_ms(m.latency_p99_ms)}",
        "",
    ]
    if m.alerts:
        lines += ["ALERTS", *(f"  ! {a}" for a in m.alerts)]
    else:
        lines.append("No alerts.")
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(**labels: str | None) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items() if v is not None)
    return "{" + inner + "}"


def prometheus(m: TrustMetrics) -> str:
    """Prometheus text exposition. Rates with no denominator are left out (not NaN)."""
    t = m.tenant
    out: list[str] = []

    def family(name: str, help_text: str, samples: list[tuple[str, float | None]]) -> None:
        present = [(labels, v) for labels, v in samples if v is not None]
        if not present:
            return
        out.append(f"# HELP guardrail_{name} {help_text}")
        out.append(f"# TYPE guardrail_{name} gauge")
        out.extend(f"guardrail_{name}{labels} {v:.6g}" for labels, v in present)

    family(
        "decisions",
        "Decisions recorded in the window, by action.",
        [(_labels(tenant=t, action=a), float(n)) for a, n in m.actions.items()],
    )
    family("conversations", "Conversations in the window.", [(_labels(tenant=t), m.conversations)])
    for name, rate in m.rates().items():
        label, meaning = _LABELS[name]
        family(f"{name}_ratio", f"{label}: {meaning}.", [(_labels(tenant=t), rate.value)])
    family(
        "escalation_by_intent_ratio",
        "Escalation rate per intent.",
        [(_labels(tenant=t, intent=i), r.value) for i, r in sorted(m.escalation_by_intent.items())],
    )
    family(
        "latency_milliseconds",
        "Gate latency per decision (nearest-rank quantiles).",
        [
            (_labels(tenant=t, quantile="0.5"), m.latency_p50_ms),
            (_labels(tenant=t, quantile="0.99"), m.latency_p99_ms),
        ],
    )
    family(
        "alert",
        "1 for each trust metric above its alert threshold.",
        [(_labels(tenant=t, metric=a.metric, intent=a.intent), 1.0) for a in m.alerts],
    )
    return "\n".join(out) + "\n"
