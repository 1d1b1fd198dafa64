"""The report: go/no-go, per-dimension distributions, per-intent pass rates with 95%
Wilson intervals, gate-versus-judge disagreements, usage and cost, and the drift between
holdout and development runs (``history.jsonl``)."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._scores import DIMENSIONS

__all__ = [
    "HISTORY",
    "Prices",
    "Threshold",
    "append_history",
    "drift",
    "parse_price",
    "summarize",
    "wilson",
]

HISTORY = "history.jsonl"
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Threshold:
    """Go when at least ``rate`` of the responses score ≥ ``min_score`` on every
    dimension."""

    rate: float = 0.95
    min_score: int = 2


#: USD per million tokens: model → (input, output).
Prices = Mapping[str, tuple[float, float]]


def parse_price(spec: str) -> tuple[str, tuple[float, float]]:
    """``MODEL=IN:OUT`` (USD per million input / output tokens)."""
    model, sep, rest = spec.partition("=")
    given, sep2, taken = rest.partition(":")
    try:
        if not sep or not sep2 or not model:
            raise ValueError
        return model, (float(given), float(taken))
    except ValueError:
        raise InputError(
            "expected MODEL=IN:OUT in USD per million tokens", field="--price"
        ) from None


def wilson(passed: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (0..1); (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = passed / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _rate(passed: int, n: int) -> dict[str, Any]:
    low, high = wilson(passed, n)
    return {"n": n, "passed": passed, "rate": passed / n if n else None, "low": low, "high": high}


def summarize(
    records: Sequence[dict[str, Any]],
    threshold: Threshold,
    prices: Prices | None = None,
    *,
    split: str = "dev",
    skipped: int = 0,
) -> dict[str, Any]:
    """The report for one split's records."""
    rows = [r for r in records if r.get("split") == split]
    ok = {r["id"] for r in rows if r.get("scores") and _lowest(r) >= threshold.min_score}
    overall = _rate(len(ok), len(rows))
    go = bool(rows) and overall["rate"] is not None and overall["rate"] >= threshold.rate
    by_intent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_intent[r["intent"]].append(r)
    intents = {
        intent: _rate(sum(1 for r in rs if r["id"] in ok), len(rs))
        for intent, rs in sorted(by_intent.items())
    }
    distribution = {
        d: dict(sorted(Counter(r["scores"][d]["score"] for r in rows if r.get("scores")).items()))
        for d in DIMENSIONS
    }
    usage = {
        "input_tokens": sum(r["usage"]["input_tokens"] for r in rows),
        "output_tokens": sum(r["usage"]["output_tokens"] for r in rows),
    }
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "split": split,
        "threshold": {"rate": threshold.rate, "min_score": threshold.min_score},
        "decision": "go" if go else "no-go",
        "overall": overall,
        "per_intent": intents,
        "distribution": distribution,
        "mean": {
            d: _mean([r["scores"][d]["score"] for r in rows if r.get("scores")]) for d in DIMENSIONS
        },
        "disagreements": [
            {
                "id": r["id"],
                "intent": r["intent"],
                "gate": r["gate"]["action"],
                "why": r["disagreement"],
            }
            for r in rows
            if r.get("disagreement")
        ],
        "errors": [{"id": r["id"], "error": r["error"]} for r in rows if r.get("error")],
        "skipped_bad_lines": skipped,
        "usage": usage,
        "cost_usd": _cost(rows, prices or {}),
        "judge_models": sorted({r["judge_model"] for r in rows}),
        "draft_models": sorted({str(r["draft_model"]) for r in rows}),
        "responses": sorted(rows, key=lambda r: r["id"]),
    }


def _lowest(record: dict[str, Any]) -> int:
    return min(int(record["scores"][d]["score"]) for d in DIMENSIONS)


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _cost(rows: Sequence[dict[str, Any]], prices: Prices) -> float | None:
    """USD for the judge's tokens; None when a model used has no price."""
    total = 0.0
    for r in rows:
        price = prices.get(r["judge_model"])
        if price is None:
            return None
        total += r["usage"]["input_tokens"] * price[0] + r["usage"]["output_tokens"] * price[1]
    return round(total / 1e6, 6)


def append_history(path: Path, report: dict[str, Any]) -> list[dict[str, Any]]:
    """Append this run's headline numbers to ``path``; return every run so far."""
    entry = {
        "at": report["generated_at"],
        "split": report["split"],
        "n": report["overall"]["n"],
        "rate": report["overall"]["rate"],
        "mean": report["mean"],
        "judge_models": report["judge_models"],
        "draft_models": report["draft_models"],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
    history = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            history.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return history


def drift(history: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The latest dev and holdout runs side by side, and their gap per dimension (a
    model, prompt or policy change that helps dev but not the holdout shows here)."""
    latest: dict[str, dict[str, Any]] = {}
    for entry in history:
        latest[entry["split"]] = entry
    dev, holdout = latest.get("dev"), latest.get("holdout")
    gap: dict[str, float | None] = {}
    if dev and holdout:
        for d in DIMENSIONS:
            a, b = dev["mean"].get(d), holdout["mean"].get(d)
            gap[d] = None if a is None or b is None else round(a - b, 4)
        if dev["rate"] is not None and holdout["rate"] is not None:
            gap["pass_rate"] = round(dev["rate"] - holdout["rate"], 4)
    return {"dev": dev, "holdout": holdout, "dev_minus_holdout": gap, "runs": list(history)}
