"""The human review queue and judge–human agreement.

A scored response is queued when the judge was unsure (any dimension's confidence below
``low_confidence``, 0.6 by default) or when it sits at the threshold: one point on one
dimension would flip pass/fail and the judge's confidence on that dimension is below
``near_confidence`` (0.8). A person's scores go to ``human.jsonl`` in the output folder
(the last one per ticket wins).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._scores import DIMENSIONS

__all__ = ["HUMAN", "agreement", "parse_human_scores", "queue", "read_human", "record_human"]

HUMAN = "human.jsonl"


def _reasons(record: dict[str, Any], min_score: int, low: float, near: float) -> list[str]:
    scores = record.get("scores")
    if not scores:
        return []
    why = [
        f"low confidence on {d} ({scores[d]['confidence']:.2f})"
        for d in DIMENSIONS
        if scores[d]["confidence"] < low
    ]
    lowest = min(scores[d]["score"] for d in DIMENSIONS)
    deciding = [d for d in DIMENSIONS if scores[d]["score"] == lowest]
    if lowest in (min_score - 1, min_score) and len(deciding) == 1:
        d = deciding[0]
        if scores[d]["confidence"] < near and not any(d in w for w in why):
            why.append(f"near the threshold on {d} ({scores[d]['score']})")
    return why


def queue(
    records: Sequence[dict[str, Any]],
    *,
    min_score: int = 2,
    low_confidence: float = 0.6,
    near_confidence: float = 0.8,
) -> list[dict[str, Any]]:
    """The responses a person should look at, with why, sorted by ticket id."""
    items = []
    for r in records:
        why = _reasons(r, min_score, low_confidence, near_confidence)
        if why:
            items.append({"id": r["id"], "intent": r["intent"], "split": r["split"], "why": why})
    return sorted(items, key=lambda i: i["id"])


def parse_human_scores(spec: str) -> dict[str, int]:
    """``factual_accuracy=3,policy_compliance=2,…`` with all five dimensions, each 0–3."""
    scores: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in DIMENSIONS:
            raise InputError(f"unknown dimension {name!r}", field="--scores")
        if value.strip() not in ("0", "1", "2", "3"):
            raise InputError(f"{name} must be 0, 1, 2 or 3", field="--scores")
        scores[name] = int(value)
    missing = [d for d in DIMENSIONS if d not in scores]
    if missing:
        raise InputError(f"missing dimension {missing[0]}", field="--scores")
    return scores


def record_human(out: Path, ticket_id: str, scores: dict[str, int], reviewer: str | None) -> None:
    """Append a person's scores for a ticket."""
    entry = {
        "id": ticket_id,
        "scores": scores,
        "reviewer": reviewer,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with open(out / HUMAN, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")


def read_human(out: Path) -> dict[str, dict[str, int]]:
    path = out / HUMAN
    latest: dict[str, dict[str, int]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                latest[entry["id"]] = entry["scores"]
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return latest


def agreement(
    records: Sequence[dict[str, Any]], human: dict[str, dict[str, int]], min_score: int = 2
) -> dict[str, Any]:
    """Judge–human agreement over the tickets both scored: per dimension the share of
    exact matches and of matches within one point, and pass/fail agreement."""
    both = [(r["scores"], human[r["id"]]) for r in records if r.get("scores") and r["id"] in human]
    n = len(both)
    if n == 0:
        return {"n": 0}
    per_dim = {
        d: {
            "exact": sum(j[d]["score"] == h[d] for j, h in both) / n,
            "within_one": sum(abs(j[d]["score"] - h[d]) <= 1 for j, h in both) / n,
        }
        for d in DIMENSIONS
    }
    verdicts = sum(
        (min(j[d]["score"] for d in DIMENSIONS) >= min_score)
        == (min(h[d] for d in DIMENSIONS) >= min_score)
        for j, h in both
    )
    return {"n": n, "dimensions": per_dim, "pass_fail": verdicts / n}
